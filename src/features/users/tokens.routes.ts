import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FeatureOptions } from '../../app.js';
import { requireActor } from '../../platform/http/request-actor.js';
import { issueToken, listTokens, revokeToken } from './tokens.service.js';
import { ApiTokenList, IdParams, ListQuery, TokenCreateBody, TokenCreated } from './users.schema.js';

/**
 * /tokens: the caller's API tokens. Managed from a browser session or with a token carrying the
 * `admin` scope, so a narrowly scoped integration token cannot mint itself broader ones.
 */
export const tokenRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  app.get(
    '/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'My API tokens (never the secrets)',
        querystring: ListQuery,
        response: { 200: ApiTokenList },
      },
    },
    async (request) => listTokens(ctx, requireActor(request, { scope: 'admin' }), request.query),
  );

  app.post(
    '/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token',
        description:
          'The token is in the response once and never again. Scopes are limited to what your roles allow; lifetime 1–365 days.',
        body: TokenCreateBody,
        response: { 201: TokenCreated },
      },
    },
    async (request, reply) => {
      const created = await issueToken(ctx, requireActor(request, { scope: 'admin' }), request.body);
      return reply.status(201).send({
        ...created,
        expiresAt: created.expiresAt.toISOString(),
        createdAt: created.createdAt.toISOString(),
      });
    },
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await revokeToken(ctx, requireActor(request, { scope: 'admin' }), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
