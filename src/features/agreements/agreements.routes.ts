import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FeatureOptions } from '../../app.js';
import { requireActor } from '../../platform/http/request-actor.js';
import {
  Agreement,
  AgreementList,
  AgreementParams,
  CreateAgreementBody,
  ExtensionBody,
  ExtensionParams,
  History,
  IncidentBody,
  ListQuery,
  OptionalDeclineBody,
  TransitionBody,
  UpdateAgreementBody,
} from './agreements.schema.js';
import {
  consentExtension,
  createAgreement,
  declineExtension,
  getAgreement,
  getAgreementHistory,
  listAgreementsFor,
  proposeExtension,
  reportIncident,
  signAgreement,
  transitionAgreement,
  updateAgreementTerms,
} from './agreements.service.js';

const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), rule: Type.String(), message: Type.String() })),
    ),
  },
  { additionalProperties: true },
);
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['agreements'];
const read = { scope: 'agreements:read' as const };
const write = { scope: 'agreements:write' as const };

/**
 * Agreements: the lifecycle of the agreements data flows under (create, edit, sign, transition),
 * incidents, extensions by consent of all parties, and the history. Thin: schema → actor → service.
 */
export const agreementRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  // Anonymous requests get 401 before their input is validated (401 → 400 → 403/404 → 200).
  app.addHook('preValidation', async (request) => {
    requireActor(request);
  });

  app.get(
    '/agreements',
    {
      schema: {
        tags,
        summary: 'Agreements the caller’s organization is a party to (all, for platform administrators)',
        querystring: ListQuery,
        response: { 200: AgreementList, ...errors },
      },
    },
    async (request) => listAgreementsFor(ctx, requireActor(request, read), request.query),
  );

  app.post(
    '/agreements',
    {
      schema: {
        tags,
        summary: 'Create a draft agreement',
        body: CreateAgreementBody,
        response: { 201: Agreement, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, { ...write, roles: ['org_admin', 'platform_admin'] });
      return reply.status(201).send(await createAgreement(ctx, actor, request.body));
    },
  );

  app.get(
    '/agreements/:id',
    {
      schema: {
        tags,
        summary: 'One agreement',
        params: AgreementParams,
        response: { 200: Agreement, ...errors },
      },
    },
    async (request) => getAgreement(ctx, requireActor(request, read), request.params.id),
  );

  app.patch(
    '/agreements/:id',
    {
      schema: {
        tags,
        summary: 'Edit a draft (optimistic locking on version)',
        params: AgreementParams,
        body: UpdateAgreementBody,
        response: { 200: Agreement, ...errors },
      },
    },
    async (request) =>
      updateAgreementTerms(ctx, requireActor(request, write), request.params.id, request.body),
  );

  app.get(
    '/agreements/:id/history',
    {
      schema: {
        tags,
        summary: 'Every change to the agreement, oldest first',
        params: AgreementParams,
        response: { 200: History, ...errors },
      },
    },
    async (request) => getAgreementHistory(ctx, requireActor(request, read), request.params.id),
  );

  app.post(
    '/agreements/:id/sign',
    {
      schema: {
        tags,
        summary: 'Sign for the caller’s organization',
        params: AgreementParams,
        response: { 200: Agreement, ...errors },
      },
    },
    async (request) => signAgreement(ctx, requireActor(request, write), request.params.id),
  );

  app.post(
    '/agreements/:id/transition',
    {
      schema: {
        tags,
        summary: 'Move the agreement to another status',
        params: AgreementParams,
        body: TransitionBody,
        response: { 200: Agreement, ...errors },
      },
    },
    async (request) =>
      transitionAgreement(ctx, requireActor(request, write), request.params.id, request.body),
  );

  app.post(
    '/agreements/:id/incidents',
    {
      schema: {
        tags,
        summary: 'Report misuse or a breach; suspends the agreement at once',
        params: AgreementParams,
        body: IncidentBody,
        response: { 201: Agreement, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await reportIncident(ctx, requireActor(request, write), request.params.id, request.body)),
  );

  app.post(
    '/agreements/:id/extensions',
    {
      schema: {
        tags,
        summary: 'Propose a new sunset; applies when every party consents',
        params: AgreementParams,
        body: ExtensionBody,
        response: { 201: Agreement, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await proposeExtension(ctx, requireActor(request, write), request.params.id, request.body)),
  );

  app.post(
    '/agreements/:id/extensions/:extensionId/consent',
    {
      schema: {
        tags,
        summary: 'Consent to a pending extension for the caller’s organization',
        params: ExtensionParams,
        response: { 200: Agreement, ...errors },
      },
    },
    async (request) =>
      consentExtension(ctx, requireActor(request, write), request.params.id, request.params.extensionId),
  );

  app.post(
    '/agreements/:id/extensions/:extensionId/decline',
    {
      schema: {
        tags,
        summary: 'Decline (or, as proposer, withdraw) a pending extension',
        params: ExtensionParams,
        body: OptionalDeclineBody,
        response: { 200: Agreement, ...errors },
      },
    },
    async (request) =>
      declineExtension(
        ctx,
        requireActor(request, write),
        request.params.id,
        request.params.extensionId,
        request.body ?? {},
      ),
  );
};
