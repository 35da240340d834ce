import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeatureOptions } from '../../app.js';
import { requireActor } from '../../platform/http/request-actor.js';
import { getLinks } from './records.links.js';
import { describeSchemata } from './records.model.js';
import { extendRecord, reviewRecord } from './records.retention.js';
import {
  ExtendBody,
  HistoryView,
  IdParams,
  LinksView,
  RecordCreateBody,
  RecordList,
  RecordListQuery,
  RecordUpdateBody,
  RecordView,
  RetractBody,
  ReviewBody,
  SchemataView,
} from './records.schema.js';
import {
  createRecord,
  getHistory,
  getRecord,
  listRecords,
  retractRecord,
  updateRecord,
} from './records.service.js';

const tags = ['records'];

/** Intelligence records: FollowTheMoney entities under governed sharing. */
export const recordRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  // Anonymous requests get 401 before their input is validated (401 → 400 → 403/404 → 200).
  app.addHook('preValidation', async (request) => {
    requireActor(request);
  });

  app.get(
    '/schemata',
    {
      schema: { tags, summary: 'FollowTheMoney schemata a record may have', response: { 200: SchemataView } },
    },
    async (request) => {
      requireActor(request);
      return { items: describeSchemata() };
    },
  );

  app.get(
    '/records',
    {
      schema: {
        tags,
        summary: 'List the records you may read',
        querystring: RecordListQuery,
        response: { 200: RecordList },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'records:read' });
      return listRecords(ctx, actor, request.query, { ip: request.ip });
    },
  );

  app.post(
    '/records',
    {
      schema: {
        tags,
        summary: 'Create a record owned by your organization',
        body: RecordCreateBody,
        response: { 201: RecordView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, { scope: 'records:write' });
      const record = await createRecord(ctx, actor, request.body, { ip: request.ip });
      return reply.status(201).header('location', `/api/v1/records/${record.id}`).send(record);
    },
  );

  app.get(
    '/records/:id',
    {
      schema: { tags, summary: 'Read one record', params: IdParams, response: { 200: RecordView } },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'records:read' });
      return getRecord(ctx, actor, request.params.id, { ip: request.ip });
    },
  );

  app.patch(
    '/records/:id',
    {
      schema: {
        tags,
        summary: 'Update your organization’s record',
        params: IdParams,
        body: RecordUpdateBody,
        response: { 200: RecordView },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'records:write' });
      return updateRecord(ctx, actor, request.params.id, request.body, { ip: request.ip });
    },
  );

  app.post(
    '/records/:id/retract',
    {
      schema: {
        tags,
        summary: 'Retract your organization’s record with a reason',
        params: IdParams,
        body: RetractBody,
        response: { 200: RecordView },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'records:write' });
      return retractRecord(ctx, actor, request.params.id, request.body.reason, { ip: request.ip });
    },
  );

  app.get(
    '/records/:id/history',
    {
      schema: {
        tags,
        summary: 'Versions of a record, newest first, with the fields each changed',
        params: IdParams,
        response: { 200: HistoryView },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'records:read' });
      return getHistory(ctx, actor, request.params.id, { ip: request.ip });
    },
  );

  app.get(
    '/records/:id/links',
    {
      schema: {
        tags,
        summary: 'The record and its direct links; ends you may not read are restricted placeholders',
        params: IdParams,
        response: { 200: LinksView },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'records:read' });
      return getLinks(ctx, actor, request.params.id, { ip: request.ip });
    },
  );

  app.post(
    '/records/:id/extend',
    {
      schema: {
        tags,
        summary: 'Extend your organization’s record past its expiry, with a reason',
        params: IdParams,
        body: ExtendBody,
        response: { 200: RecordView },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'records:write' });
      return extendRecord(ctx, actor, request.params.id, request.body, { ip: request.ip });
    },
  );

  app.post(
    '/records/:id/review',
    {
      schema: {
        tags,
        summary: 'Confirm your organization still needs the record; moves its review date',
        params: IdParams,
        body: ReviewBody,
        response: { 200: RecordView },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'records:write' });
      return reviewRecord(ctx, actor, request.params.id, request.body, { ip: request.ip });
    },
  );
};
