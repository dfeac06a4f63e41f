import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { mayDo, type Right } from '../../../../core/model/rights';
import { api, ApiError, setCsrfToken } from './client';
import type { SessionAnswer } from './types';
import type { SignInMethods } from '../../../api/src/session/sign-in-methods';

/** Who is signed in, until when, and the CSRF token (`GET /v1/session`, `POST /v1/session`). */
export type Session = SessionAnswer;

export const SESSION_KEY = ['session'] as const;

function remember(session: Session | null): Session | null {
  setCsrfToken(session?.csrfToken);
  return session;
}

/** The signed-in person, or `null` when nobody is (a 401). */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async ({ signal }) => {
      try {
        return remember(await api<Session>('/v1/session', { signal }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return remember(null);
        throw error;
      }
    },
    staleTime: 60_000,
    refetchInterval: 5 * 60_000,
  });
}

/** Pastes an API key once: the API answers with a session cookie and the session. */
export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => api<Session>('/v1/session', { method: 'POST', body: { key } }),
    onSuccess: (session) => {
      client.clear();
      client.setQueryData(SESSION_KEY, remember(session));
    },
  });
}

/** Ends the session on the server (the cookie stops working), then forgets everything read with it. */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api<void>('/v1/session', { method: 'DELETE' });
      } catch (error) {
        // Already ended (expired, or signed out in another tab): nothing left to end.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    },
    onSuccess: () => {
      client.clear();
      client.setQueryData(SESSION_KEY, remember(null));
    },
  });
}

/**
 * Whether the signed-in role holds `right` (core/model/rights.ts, the table the API
 * enforces): the console hides what a role may not do, and the API refuses it anyway.
 */
export function may(session: Session | null | undefined, right: Right): boolean {
  return !!session && mayDo(session, right);
}

/** How people may sign in (`GET /v1/session/methods`): an API key always, single sign-on when the API has it configured. */
export function useSignInMethods() {
  return useQuery({
    queryKey: ['session', 'methods'] as const,
    queryFn: ({ signal }) => api<SignInMethods>('/v1/session/methods', { signal }),
    staleTime: Infinity,
  });
}

/**
 * Where the browser goes to sign in through the identity provider: a navigation, not a fetch,
 * as the provider's pages are its own. The API brings the browser back to `returnTo`.
 */
export const ssoSignInUrl = (returnTo: string) => `/v1/session/oidc?returnTo=${encodeURIComponent(returnTo)}`;
