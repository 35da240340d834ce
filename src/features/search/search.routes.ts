import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeatureOptions } from '../../app.js';
import { requireActor } from '../../platform/http/request-actor.js';
import { SearchQuery, SearchResult } from './search.schema.js';
import { searchRecords } from './search.service.js';

const tags = ['search'];

/** Record search: full text, fuzzy names, facets and keyset pages, within the reader's policy scope. */
export const searchRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  // Anonymous requests get 401 before their input is validated (401 → 400 → 200).
  app.addHook('preValidation', async (request) => {
    requireActor(request);
  });

  app.get(
    '/search',
    {
      schema: {
        tags,
        summary: 'Search the records you may read',
        querystring: SearchQuery,
        response: { 200: SearchResult },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'records:read' });
      return searchRecords(ctx, actor, request.query, { ip: request.ip });
    },
  );
};
