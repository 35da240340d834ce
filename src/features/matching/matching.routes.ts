import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeatureOptions } from '../../app.js';
import { Problem } from '../../platform/http/problem.js';
import { requireActor } from '../../platform/http/request-actor.js';
import {
  decideDisclosure,
  getDisclosure,
  listDisclosures,
  requestDisclosure,
  revokeDisclosure,
  withdrawDisclosure,
} from './disclosures.service.js';
import { listKeys, rotateKey } from './matching.keys.js';
import {
  CheckBody,
  CheckView,
  DecisionBody,
  DisclosureDetail,
  DisclosureList,
  DisclosureListQuery,
  DisclosureRequestBody,
  DisclosureView,
  HitList,
  HitListQuery,
  HitStateBody,
  HitView,
  KeyList,
  MatchIdParams,
  MatchStatusView,
  RevokeBody,
  RotateView,
  XrefBody,
  XrefJobList,
  XrefJobView,
  XrefResultList,
  XrefResultsQuery,
} from './matching.schema.js';
import {
  checkEntity,
  getHit,
  listHits,
  matchStatus,
  setHitState,
  takeCheckQuota,
} from './matching.service.js';
import { createXrefJob, getXrefJob, listXrefJobs, xrefResults } from './xref.service.js';

const tags = ['matching'];

/** Cross-jurisdiction matching: hits, checks, disclosures, cross-referencing (docs/API-MATCHING.md). */
export const matchingRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  app.addHook('preValidation', async (request) => {
    requireActor(request);
  });

  app.get(
    '/match/status',
    { schema: { tags, summary: 'Matching status of your organization', response: { 200: MatchStatusView } } },
    async (request) => matchStatus(ctx, requireActor(request, { scope: 'match:read' })),
  );

  app.get(
    '/match/hits',
    {
      schema: {
        tags,
        summary: 'Hits of your organization',
        querystring: HitListQuery,
        response: { 200: HitList },
      },
    },
    async (request) =>
      listHits(ctx, requireActor(request, { scope: 'match:read' }), request.query, request.ip),
  );

  app.get(
    '/match/hits/:id',
    { schema: { tags, summary: 'One hit', params: MatchIdParams, response: { 200: HitView } } },
    async (request) =>
      getHit(ctx, requireActor(request, { scope: 'match:read' }), request.params.id, request.ip),
  );

  app.post(
    '/match/hits/:id/state',
    {
      schema: {
        tags,
        summary: 'Mark a hit new, seen or dismissed in your inbox',
        params: MatchIdParams,
        body: HitStateBody,
        response: { 200: HitView },
      },
    },
    async (request) =>
      setHitState(
        ctx,
        requireActor(request, { scope: 'match:write' }),
        request.params.id,
        request.body.state,
      ),
  );

  app.post(
    '/match/check',
    {
      schema: {
        tags,
        summary: 'Hit/no-hit check of an entity against the organizations you may match with',
        body: CheckBody,
        response: { 200: CheckView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, { scope: 'match:check' });
      const wait = await takeCheckQuota(ctx, actor);
      if (wait !== null) {
        reply.header('retry-after', String(wait));
        throw new Problem(
          429,
          'rate_limited',
          'Too many checks',
          `Checks are limited per user and per organization; try again in ${wait} s.`,
          [],
          { retryAfter: wait },
        );
      }
      return checkEntity(ctx, actor, request.body, request.ip);
    },
  );

  app.post(
    '/match/disclosures',
    {
      schema: {
        tags,
        summary: 'Ask the owner of a matched record to disclose it',
        body: DisclosureRequestBody,
        response: { 201: DisclosureView },
      },
    },
    async (request, reply) => {
      const view = await requestDisclosure(
        ctx,
        requireActor(request, { scope: 'match:write' }),
        request.body,
        request.ip,
      );
      return reply.status(201).header('location', `/api/v1/match/disclosures/${view.id}`).send(view);
    },
  );

  app.get(
    '/match/disclosures',
    {
      schema: {
        tags,
        summary: 'Disclosure requests to or from your organization',
        querystring: DisclosureListQuery,
        response: { 200: DisclosureList },
      },
    },
    async (request) => listDisclosures(ctx, requireActor(request, { scope: 'match:read' }), request.query),
  );

  app.get(
    '/match/disclosures/:id',
    {
      schema: {
        tags,
        summary: 'One disclosure request, with the records to compare',
        params: MatchIdParams,
        response: { 200: DisclosureDetail },
      },
    },
    async (request) =>
      getDisclosure(ctx, requireActor(request, { scope: 'match:read' }), request.params.id, request.ip),
  );

  app.post(
    '/match/disclosures/:id/decision',
    {
      schema: {
        tags,
        summary: 'Disclose (all or chosen properties) or decline',
        params: MatchIdParams,
        body: DecisionBody,
        response: { 200: DisclosureView },
      },
    },
    async (request) =>
      decideDisclosure(
        ctx,
        requireActor(request, { scope: 'match:write' }),
        request.params.id,
        request.body,
        request.ip,
      ),
  );

  app.post(
    '/match/disclosures/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a disclosure',
        params: MatchIdParams,
        body: RevokeBody,
        response: { 200: DisclosureView },
      },
    },
    async (request) =>
      revokeDisclosure(
        ctx,
        requireActor(request, { scope: 'match:write' }),
        request.params.id,
        request.body.reason,
        request.ip,
      ),
  );

  app.post(
    '/match/disclosures/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw your pending request',
        params: MatchIdParams,
        response: { 200: DisclosureView },
      },
    },
    async (request) =>
      withdrawDisclosure(ctx, requireActor(request, { scope: 'match:write' }), request.params.id, request.ip),
  );

  app.post(
    '/match/xref',
    {
      schema: {
        tags,
        summary: 'Cross-reference your organization or one import against every partner',
        body: XrefBody,
        response: { 202: XrefJobView },
      },
    },
    async (request, reply) => {
      const job = await createXrefJob(ctx, requireActor(request, { scope: 'match:write' }), request.body);
      return reply.status(202).header('location', `/api/v1/match/xref/${job.id}`).send(job);
    },
  );

  app.get(
    '/match/xref',
    {
      schema: { tags, summary: 'Cross-reference jobs of your organization', response: { 200: XrefJobList } },
    },
    async (request) => listXrefJobs(ctx, requireActor(request, { scope: 'match:read' })),
  );

  app.get(
    '/match/xref/:id',
    {
      schema: {
        tags,
        summary: 'One cross-reference job',
        params: MatchIdParams,
        response: { 200: XrefJobView },
      },
    },
    async (request) => getXrefJob(ctx, requireActor(request, { scope: 'match:read' }), request.params.id),
  );

  app.get(
    '/match/xref/:id/results',
    {
      schema: {
        tags,
        summary: 'Results of a cross-reference job, best score first',
        params: MatchIdParams,
        querystring: XrefResultsQuery,
        response: { 200: XrefResultList },
      },
    },
    async (request) =>
      xrefResults(ctx, requireActor(request, { scope: 'match:read' }), request.params.id, request.query),
  );

  app.get(
    '/match/keys',
    { schema: { tags, summary: 'Blind keys (platform administrators)', response: { 200: KeyList } } },
    async (request) => {
      requireActor(request, { scope: 'admin', roles: ['platform_admin'] });
      return { items: await listKeys(ctx) };
    },
  );

  app.post(
    '/match/keys/rotate',
    {
      schema: {
        tags,
        summary: 'Make a new blind key and re-encode everything under it',
        response: { 200: RotateView },
      },
    },
    async (request) => {
      requireActor(request, { scope: 'admin', roles: ['platform_admin'] });
      return rotateKey(ctx);
    },
  );
};
