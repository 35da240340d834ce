import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FeatureOptions } from '../../app.js';
import { databaseIsHealthy } from '../../platform/db/migrate.js';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  databaseOk: Type.Boolean(),
  bus: Type.Union([Type.Literal('memory'), Type.Literal('nats')]),
  demo: Type.Boolean(),
  time: Type.String({ format: 'date-time' }),
});

/** GET /api/health: liveness and readiness for load balancers and the cold-start benchmark. */
export const healthRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['platform'],
        summary: 'Health of the process and its database',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const databaseOk = await databaseIsHealthy(ctx.db);
      const body = {
        status: databaseOk ? ('ok' as const) : ('degraded' as const),
        database: ctx.dbKind,
        databaseOk,
        bus: ctx.bus.kind,
        demo: ctx.config.demo,
        time: ctx.clock.now().toISOString(),
      };
      return reply.status(databaseOk ? 200 : 503).send(body);
    },
  );
};
