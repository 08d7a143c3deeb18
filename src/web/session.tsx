import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, onSessionEnded, setCsrfToken } from './api/client.js';
import type { Session } from './api/types.js';

interface SessionState {
  /** undefined while the first check is running, null when signed out. */
  session: Session | null | undefined;
  /** Why the user was sent back to the sign-in form (e.g. the session expired). */
  endedReason: string | null;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [endedReason, setEndedReason] = useState<string | null>(null);

  const adopt = useCallback((next: Session | null) => {
    setCsrfToken(next?.csrf_token ?? null);
    setSession(next);
  }, []);

  useEffect(() => {
    api.get<Session>('/api/v1/auth/session').then(adopt, () => adopt(null));
    return onSessionEnded((error) => {
      setEndedReason(error.message);
      adopt(null);
    });
  }, [adopt]);

  const signIn = useCallback(async (email: string, password: string) => {
    const next = await api.post<Session>('/api/v1/auth/sign-in', { email, password });
    setEndedReason(null);
    adopt(next);
  }, [adopt]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/sign-out');
    } catch (error) {
      // Already signed out on the server: the result is the same.
      if (!(error instanceof ApiError)) throw error;
    }
    setEndedReason(null);
    adopt(null);
  }, [adopt]);

  return <SessionContext.Provider value={{ session, endedReason, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession needs a SessionProvider');
  return state;
}

/** The signed-in session; only for pages rendered behind the sign-in gate. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn outside the signed-in app');
  return session;
}
