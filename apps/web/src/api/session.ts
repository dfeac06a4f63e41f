import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { hasRole } from '../../../../core/model/roles';
import { api, ApiError, setCsrfToken } from './client';
import type { SessionAnswer } from './types';

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

/** A responder or admin may act; a viewer only reads (and the API refuses anyway). */
export function canAct(session: Session | null | undefined): boolean {
  return !!session && hasRole(session, 'responder');
}
