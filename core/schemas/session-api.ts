/**
 * The console's sign-in: `POST /v1/session` exchanges an API key for a session cookie;
 * `GET /v1/session` says who is signed in; `DELETE /v1/session` signs out.
 */
import { z } from 'zod';
import { ROLES } from './config';

/** The CSRF header a mutating request authenticated by the session cookie must carry. */
export const CSRF_HEADER = 'X-CSRF-Token';

export const SignInSchema = z
  .object({
    key: z.string().min(1).max(4096).optional().describe('The API key to sign in with; or send it as `Authorization: Bearer <key>`.'),
  })
  .strict();
export type SignIn = z.infer<typeof SignInSchema>;

export const SessionAnswerSchema = z.object({
  /** The key's name: the actor on the timeline. */
  name: z.string(),
  role: z.enum(ROLES),
  /** When the session ends (ISO 8601). */
  expiresAt: z.string(),
  /** Send it as `X-CSRF-Token` with every request that changes something. */
  csrfToken: z.string(),
});
export type SessionAnswer = z.infer<typeof SessionAnswerSchema>;
