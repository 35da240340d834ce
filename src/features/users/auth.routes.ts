import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../../app.js';
import type { AppContext } from '../../context.js';
import { type PendingMfa, SESSION_COOKIE } from '../../platform/auth/authenticate.js';
import { conflict, forbidden, Problem, unauthenticated } from '../../platform/http/problem.js';
import { requireActor } from '../../platform/http/request-actor.js';
import {
  activateMfa,
  currentSession,
  disableMfa,
  dummyPasswordHash,
  enrollMfa,
  type IssuedSession,
  login,
  logout,
  type MfaSubject,
  type RequestMeta,
  verifyMfa,
} from './auth.service.js';
import {
  LoginBody,
  LoginResponse,
  MeResponse,
  MeWithCsrfResponse,
  MfaCodeBody,
  MfaEnrollResponse,
  SessionResponse,
} from './users.schema.js';

function meta(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
}

function setSessionCookie(ctx: AppContext, reply: FastifyReply, session: IssuedSession): void {
  reply.setCookie(SESSION_COOKIE, session.secret, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: ctx.config.secureCookies,
    // Relative, so a browser's clock (or the demo's time travel) does not shorten it.
    maxAge: ctx.config.sessionMaxHours * 3600,
  });
}

/**
 * Who may enrol or activate MFA: a session still pending enrolment (organization requires MFA),
 * or a fully signed-in cookie session. API tokens cannot change the second factor.
 */
function mfaSubject(request: FastifyRequest, pendingKinds: PendingMfa['kind'][]): MfaSubject {
  const pending = request.pendingMfa;
  if (pending) {
    if (!pendingKinds.includes(pending.kind)) throw unauthenticated('Complete the MFA step first.');
    return { userId: pending.userId, sessionId: pending.sessionId };
  }
  const actor = requireActor(request);
  if (actor.via !== 'session' || !actor.sessionId) {
    throw forbidden('MFA is managed from a signed-in browser session.', 'session_required');
  }
  return { userId: actor.userId, sessionId: actor.sessionId };
}

/** Authentication (a full or MFA-pending session) before validation: anonymous callers get 401. */
async function signedInOrPending(request: FastifyRequest): Promise<void> {
  if (!request.actor && !request.pendingMfa) throw unauthenticated();
}

/** /auth: sign-in with password and TOTP, sign-out, the current session, MFA enrolment. */
export const authRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  // Computed now so the first unknown-e-mail attempt is not measurably slower than the others.
  await dummyPasswordHash(ctx);
  const loginRateLimit = { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' };

  app.post(
    '/auth/login',
    {
      config: { rateLimit: loginRateLimit, ignoreCredentials: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password',
        description:
          'Sets the `entente_session` cookie. `mfa` says what comes next: `none` (signed in), `verify` ' +
          '(POST /auth/mfa/verify) or `enroll` (the organization requires MFA: POST /auth/mfa/enroll, then /activate). ' +
          'Answers 401 `invalid_credentials`, 423 `account_locked`, 429 when rate limited.',
        security: [],
        body: LoginBody,
        response: { 200: LoginResponse },
      },
    },
    async (request, reply) => {
      const result = await login(ctx, request.body, meta(request));
      setSessionCookie(ctx, reply, result.session);
      return { user: result.user, csrfToken: result.session.csrfToken, mfa: result.mfa };
    },
  );

  app.post(
    '/auth/mfa/verify',
    {
      preValidation: signedInOrPending,
      config: { rateLimit: loginRateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Complete sign-in with a TOTP code',
        description: 'Replaces the pending session with a new one (new cookie and CSRF token).',
        body: MfaCodeBody,
        response: { 200: MeWithCsrfResponse },
      },
    },
    async (request, reply) => {
      const pending = request.pendingMfa;
      if (pending?.kind !== 'mfa_verify') {
        if (request.actor) throw conflict('mfa_not_pending', 'This session needs no MFA verification.');
        throw unauthenticated();
      }
      const result = await verifyMfa(ctx, pending, request.body.code, meta(request));
      setSessionCookie(ctx, reply, result.session);
      return { user: result.user, csrfToken: result.session.csrfToken };
    },
  );

  app.post(
    '/auth/mfa/enroll',
    {
      preValidation: signedInOrPending,
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrolment',
        description: 'Generates a secret; scan the QR code, then confirm with POST /auth/mfa/activate.',
        response: { 200: MfaEnrollResponse },
      },
    },
    async (request) => enrollMfa(ctx, mfaSubject(request, ['mfa_enroll']), meta(request)),
  );

  app.post(
    '/auth/mfa/activate',
    {
      preValidation: signedInOrPending,
      config: { rateLimit: loginRateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Activate TOTP with a first code',
        description: 'Replaces the session with a new, MFA-verified one (new cookie and CSRF token).',
        body: MfaCodeBody,
        response: { 200: MeWithCsrfResponse },
      },
    },
    async (request, reply) => {
      const result = await activateMfa(
        ctx,
        mfaSubject(request, ['mfa_enroll']),
        request.body.code,
        meta(request),
      );
      setSessionCookie(ctx, reply, result.session);
      return { user: result.user, csrfToken: result.session.csrfToken };
    },
  );

  app.post(
    '/auth/mfa/disable',
    {
      preValidation: signedInOrPending,
      config: { rateLimit: loginRateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Turn TOTP off with a valid code',
        body: MfaCodeBody,
        response: { 200: MeResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      mfaSubject(request, []);
      return { user: await disableMfa(ctx, actor, request.body.code, meta(request)) };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: revoke the session and clear the cookie',
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      const subject =
        actor?.via === 'session' && actor.sessionId
          ? { userId: actor.userId, organizationId: actor.organizationId, sessionId: actor.sessionId }
          : request.pendingMfa
            ? {
                userId: request.pendingMfa.userId,
                organizationId: null,
                sessionId: request.pendingMfa.sessionId,
              }
            : null;
      await logout(ctx, subject, meta(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and the CSRF token for writes',
        description:
          '401 `unauthenticated` without a session; 401 `mfa_required` (with `mfa: verify|enroll`) while MFA is pending.',
        response: { 200: SessionResponse },
      },
    },
    async (request) => {
      const pending = request.pendingMfa;
      if (pending) {
        throw new Problem(401, 'mfa_required', 'MFA required', 'Complete the MFA step to continue.', [], {
          mfa: pending.kind === 'mfa_verify' ? 'verify' : 'enroll',
        });
      }
      return currentSession(ctx, requireActor(request));
    },
  );
};
