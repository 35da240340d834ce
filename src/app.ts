import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { AppContext } from './context.js';
import { agreementRoutes } from './features/agreements/agreements.routes.js';
import { auditRoutes } from './features/audit/audit.routes.js';
import { healthRoutes } from './features/health/health.routes.js';
import { matchingRoutes } from './features/matching/matching.routes.js';
import { organizationRoutes } from './features/organizations/organizations.routes.js';
import { recordRoutes } from './features/records/records.routes.js';
import { searchRoutes } from './features/search/search.routes.js';
import { exportRoutes } from './features/transfer/exports.routes.js';
import { importRoutes } from './features/transfer/imports.routes.js';
import { authRoutes } from './features/users/auth.routes.js';
import { userRoutes } from './features/users/users.routes.js';
import { authenticate, type PendingMfa } from './platform/auth/authenticate.js';
import { installErrorHandler } from './platform/http/error-handler.js';
import { forbidden, notFound } from './platform/http/problem.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    /** A signed-in session that still has to pass or set up MFA. */
    pendingMfa: PendingMfa | null;
  }
}

/** Options every feature plugin receives. */
export interface FeatureOptions {
  ctx: AppContext;
}

const WEB_DIR = fileURLToPath(new URL('../dist/web/', import.meta.url));

/**
 * Builds the HTTP application: API under /api, the web application at /. Used by `entente serve`
 * and by tests through `app.inject`.
 */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      ctx.config.logLevel === 'silent'
        ? false
        : {
            level: ctx.config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
          },
    bodyLimit: ctx.config.bodyLimitBytes,
    // Who read what is in the audit log; per-request lines only when asked for (LOG_REQUESTS=1).
    logController: new LogController({ disableRequestLogging: process.env.LOG_REQUESTS !== '1' }),
    trustProxy:
      typeof ctx.config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(ctx.config.trustProxy)
        : ctx.config.trustProxy,
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array' } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Entente API',
        version: '1',
        description:
          'Governed sharing between organizations cooperating against transnational organized crime. ' +
          'Authenticate with a session cookie (plus x-csrf-token on writes) or `Authorization: Bearer <token>`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'entente_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.decorateRequest('actor', null);
  app.decorateRequest('pendingMfa', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    // Browsers send Origin on cross-site writes: refusing a foreign one stops cross-site request
    // forgery where no session exists yet (the sign-in form) as well as behind the CSRF token.
    if (UNSAFE_METHODS.has(request.method) && request.headers.origin) {
      let originHost: string | null = null;
      try {
        originHost = new URL(request.headers.origin).host;
      } catch {
        originHost = null;
      }
      // request.host honours X-Forwarded-Host when ENTENTE_TRUST_PROXY trusts the proxy.
      if (originHost !== request.host) {
        throw forbidden('Cross-origin requests are not accepted.', 'cross_origin');
      }
    }
    const result = await authenticate(ctx, request);
    request.actor = result.actor;
    request.pendingMfa = result.pendingMfa;
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes, { ctx });
  await app.register(authRoutes, { ctx, prefix: '/api/v1' });
  await app.register(userRoutes, { ctx, prefix: '/api/v1' });
  await app.register(organizationRoutes, { ctx, prefix: '/api/v1' });
  await app.register(agreementRoutes, { ctx, prefix: '/api/v1' });
  // Export before records, so the static /records/export wins over /records/:id in any Fastify version.
  await app.register(exportRoutes, { ctx, prefix: '/api/v1' });
  await app.register(recordRoutes, { ctx, prefix: '/api/v1' });
  await app.register(searchRoutes, { ctx, prefix: '/api/v1' });
  await app.register(importRoutes, { ctx, prefix: '/api/v1' });
  await app.register(auditRoutes, { ctx, prefix: '/api/v1' });
  await app.register(matchingRoutes, { ctx, prefix: '/api/v1' });

  const hasWeb = existsSync(`${WEB_DIR}index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: WEB_DIR, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler(
    { preHandler: app.rateLimit({ max: 300, timeWindow: '1 minute' }) },
    async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      // Paths with a file extension are assets: a missing one is a 404, never the HTML shell.
      if (!path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path) && request.method === 'GET' && hasWeb) {
        // The web application routes on the client: unknown paths load the shell.
        return reply.type('text/html').sendFile('index.html');
      }
      throw notFound('route');
    },
  );
  return app;
}
