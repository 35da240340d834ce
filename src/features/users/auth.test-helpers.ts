import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { buildApp } from '../../app.js';
import type { Config } from '../../config.js';
import type { AppContext } from '../../context.js';
import { SESSION_COOKIE } from '../../platform/auth/authenticate.js';
import { hashPassword } from '../../platform/auth/secrets.js';
import { ManualClock } from '../../platform/clock.js';

export const PASSWORD = 'correct horse battery staple';

export interface AuthTestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: ManualClock;
}

/**
 * Like createTestApp(), on the worker's context (`workerRuntime()`), with configuration overrides.
 * The login rate limit is raised by default (it counts real time per app instance), so only the
 * test that is about it meets it. Test support lives in src/ without importing test/ so that the
 * production build (rootDir src) still compiles.
 */
export async function authTestApp(base: AppContext, config: Partial<Config> = {}): Promise<AuthTestApp> {
  const clock = new ManualClock(new Date('2026-06-01T12:00:00Z'));
  const ctx: AppContext = {
    ...base,
    clock,
    config: { ...base.config, loginRateLimitPerMinute: 1000, ...config },
  };
  const app = await buildApp(ctx);
  await app.ready();
  return { app, ctx, clock };
}

const passwordHashes = new Map<string, Promise<string>>();

/** The argon2id hash of PASSWORD at the configured cost, for the user factory's `passwordHash`. */
export function passwordHash(ctx: AppContext): Promise<string> {
  const key = JSON.stringify(ctx.config.argon2);
  let hash = passwordHashes.get(key);
  if (!hash) {
    hash = hashPassword(PASSWORD, ctx.config.argon2);
    passwordHashes.set(key, hash);
  }
  return hash;
}

export interface Signed {
  res: LightMyRequestResponse;
  cookie: string;
  csrf: string;
  /** Headers for a cookie-authenticated write. */
  headers: { cookie: string; 'x-csrf-token': string };
}

/** The session cookie a response set, or '' when it set none. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === SESSION_COOKIE && x.value !== '');
  return c ? c.value : '';
}

/** Signs in through the API. */
export async function signIn(app: FastifyInstance, email: string, password = PASSWORD): Promise<Signed> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  return signed(res);
}

/** Extracts cookie and CSRF token from a response that opened a session. */
export function signed(res: LightMyRequestResponse): Signed {
  const cookie = sessionCookie(res);
  const body = res.statusCode === 200 ? (res.json() as { csrfToken?: string }) : {};
  const csrf = body.csrfToken ?? '';
  return { res, cookie, csrf, headers: { cookie: `${SESSION_COOKIE}=${cookie}`, 'x-csrf-token': csrf } };
}

/** The TOTP code an authenticator app shows at `at`. */
export function totpAt(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at.getTime(),
  });
}
