import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeatureOptions } from '../../app.js';
import { requireActor } from '../../platform/http/request-actor.js';
import { EXPORT_CAP, exportRecords } from './exports.service.js';
import { ExportQuery } from './transfer.schema.js';

/** GET /records/export: the records you may read, as a file (FtM lines, STIX, MISP or CSV). */
export const exportRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  app.addHook('preValidation', async (request) => {
    requireActor(request);
  });

  app.get(
    '/records/export',
    {
      schema: {
        tags: ['records'],
        summary: `Export the records you may read (at most ${EXPORT_CAP}); H2 records of others are withheld`,
        description:
          'Answers the file as an attachment. `x-entente-export-withheld` counts H2-coded records of other ' +
          'organizations left out; `x-entente-export-truncated: true` says the selection held more than the cap.',
        querystring: ExportQuery,
        produces: ['application/x-ndjson', 'application/stix+json', 'application/json', 'text/csv'],
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, { scope: 'records:read' });
      const result = await exportRecords(ctx, actor, request.query, { ip: request.ip });
      return reply
        .type(result.contentType)
        .header('content-disposition', `attachment; filename="${result.filename}"`)
        .header('x-entente-export-withheld', String(result.withheld))
        .header('x-entente-export-count', String(result.count))
        .header('x-entente-export-truncated', String(result.truncated))
        .send(Readable.from(result.body));
    },
  );
};
