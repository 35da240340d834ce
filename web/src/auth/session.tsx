import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from '../api/client.js';
import type { LoginResult, Me, MfaState, SessionResult } from '../api/types.js';
import { hasSavedLanguage, setLanguage } from '../i18n/i18n.js';

/** Where the sign-in stands: checking, signed out, half-way (MFA), or signed in. */
export type SessionStatus =
  | { kind: 'checking' }
  | { kind: 'signed_out'; expired?: boolean }
  | { kind: 'mfa'; mfa: Exclude<MfaState, 'none'> }
  | { kind: 'signed_in'; me: Me };

interface SessionApi {
  status: SessionStatus;
  login: (email: string, password: string) => Promise<MfaState>;
  /** Completes sign-in after the MFA step (verify or activate) answered with a user and token. */
  complete: (user: Me, csrfToken: string) => void;
  logout: () => Promise<void>;
  /** Replaces the signed-in user (after a change to MFA, for instance). */
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

function adoptLocale(me: Me) {
  // The account's language applies unless the user chose one in this browser.
  if (!hasSavedLanguage() && me.locale) void setLanguage(me.locale.slice(0, 2), false);
}

/** Provides the session: probes `/auth/session` at start and signs in, out and through MFA. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>({ kind: 'checking' });

  const probe = useCallback(async () => {
    try {
      const s = await api<SessionResult>('GET', '/auth/session', { quiet401: true });
      setCsrfToken(s.csrfToken);
      adoptLocale(s.user);
      setStatus({ kind: 'signed_in', me: s.user });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'mfa_required') {
        const mfa = err.body.mfa === 'enroll' ? 'enroll' : 'verify';
        setStatus({ kind: 'mfa', mfa });
      } else {
        setStatus({ kind: 'signed_out' });
      }
    }
  }, []);

  useEffect(() => {
    void probe();
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setStatus((prev) => (prev.kind === 'signed_in' ? { kind: 'signed_out', expired: true } : prev));
    });
    return () => setUnauthenticatedHandler(null);
  }, [probe]);

  const login = useCallback(async (email: string, password: string) => {
    const result = await api<LoginResult>('POST', '/auth/login', {
      body: { email, password },
      quiet401: true,
    });
    setCsrfToken(result.csrfToken);
    if (result.mfa === 'none') {
      adoptLocale(result.user);
      setStatus({ kind: 'signed_in', me: result.user });
    } else {
      setStatus({ kind: 'mfa', mfa: result.mfa });
    }
    return result.mfa;
  }, []);

  const complete = useCallback((user: Me, csrfToken: string) => {
    setCsrfToken(csrfToken);
    adoptLocale(user);
    setStatus({ kind: 'signed_in', me: user });
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('POST', '/auth/logout', { body: {}, quiet401: true });
    } catch {
      // The session may already be gone; signing out locally is what matters.
    }
    setCsrfToken(null);
    setStatus({ kind: 'signed_out' });
  }, []);

  const value = useMemo<SessionApi>(
    () => ({ status, login, complete, logout, refresh: probe }),
    [status, login, complete, logout, probe],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session API; only under SessionProvider. */
export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in user; only on pages behind sign-in. */
export function useMe(): Me {
  const { status } = useSession();
  if (status.kind !== 'signed_in') throw new Error('useMe without a signed-in user');
  return status.me;
}

/** Whether the signed-in user holds a platform permission such as `audit.read`. */
export function useCan(permission: string): boolean {
  return useMe().permissions.includes(permission);
}
