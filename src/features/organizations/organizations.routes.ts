import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeatureOptions } from '../../app.js';
import { requireActor } from '../../platform/http/request-actor.js';
import {
  IdParams,
  OrganizationCreateBody,
  OrganizationList,
  OrganizationListQuery,
  OrganizationUpdateBody,
  OrganizationView,
} from './organizations.schema.js';
import {
  createOrganization,
  getOrganization,
  listOrganizations,
  updateOrganization,
} from './organizations.service.js';

const tags = ['organizations'];

/** The organization directory. */
export const organizationRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  // Anonymous requests get 401 before their input is validated (401 → 400 → 403/404 → 200).
  app.addHook('preValidation', async (request) => {
    requireActor(request);
  });

  app.get(
    '/organizations',
    {
      schema: {
        tags,
        summary: 'The directory of organizations',
        querystring: OrganizationListQuery,
        response: { 200: OrganizationList },
      },
    },
    async (request) =>
      listOrganizations(ctx, requireActor(request, { scope: 'organizations:read' }), request.query),
  );
  app.get(
    '/organizations/:id',
    { schema: { tags, summary: 'One organization', params: IdParams, response: { 200: OrganizationView } } },
    async (request) =>
      getOrganization(ctx, requireActor(request, { scope: 'organizations:read' }), request.params.id),
  );
  app.post(
    '/organizations',
    {
      schema: {
        tags,
        summary: 'Register an organization (platform admin)',
        body: OrganizationCreateBody,
        response: { 201: OrganizationView },
      },
    },
    async (request, reply) => {
      const org = await createOrganization(ctx, requireActor(request, { scope: 'admin' }), request.body);
      return reply.status(201).send(org);
    },
  );
  app.patch(
    '/organizations/:id',
    {
      schema: {
        tags,
        summary: 'Edit an organization (platform admin)',
        params: IdParams,
        body: OrganizationUpdateBody,
        response: { 200: OrganizationView },
      },
    },
    async (request) =>
      updateOrganization(ctx, requireActor(request, { scope: 'admin' }), request.params.id, request.body),
  );
};
