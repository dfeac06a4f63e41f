import { z } from 'zod';

/** `GET /v1/session/methods`: how people may sign in to the console, asked before anyone is signed in. */
export const SignInMethodsSchema = z.object({
  /** Pasting an API key (`POST /v1/session`): always offered. */
  apiKey: z.boolean(),
  /** Single sign-on through the organisation's OpenID provider: `GET /v1/session/oidc` starts it. */
  sso: z.boolean(),
});
export type SignInMethods = z.infer<typeof SignInMethodsSchema>;
