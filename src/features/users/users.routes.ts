import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeatureOptions } from '../../app.js';
import { requireActor } from '../../platform/http/request-actor.js';
import { tokenRoutes } from './tokens.routes.js';
import {
  IdParams,
  OrgSecurity,
  OrgSecurityBody,
  User,
  UserCreateBody,
  UserList,
  UserPatchBody,
  UsersQuery,
} from './users.schema.js';
import { createUserAs, listUsers, setOrganizationSecurity, updateUser } from './users.service.js';

const ADMINS = ['org_admin', 'platform_admin'] as const;

/** /users and /organizations/{id}/security: user administration (org admins, platform admins). */
export const userRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  // Authentication before validation, so an anonymous caller learns nothing from input errors.
  app.addHook('preValidation', async (request) => {
    requireActor(request);
  });

  await app.register(tokenRoutes, { ctx });

  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Users the caller administers',
        description:
          'Org admins see their organization; platform admins every organization (filter with `organization`).',
        querystring: UsersQuery,
        response: { 200: UserList },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'admin', roles: [...ADMINS] });
      return listUsers(ctx, actor, request.query);
    },
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        description:
          'Org admins create users in their own organization; platform admins anywhere. Only a platform admin grants `platform_admin`. Passwords have at least 12 characters.',
        body: UserCreateBody,
        response: { 201: User },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, { scope: 'admin', roles: [...ADMINS] });
      const user = await createUserAs(ctx, actor, request.body);
      return reply.status(201).send(user);
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: "Change a user's roles, display name or disabled flag, or reset their MFA",
        description: 'Disabling revokes every session and API token of the user at once.',
        params: IdParams,
        body: UserPatchBody,
        response: { 200: User },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'admin', roles: [...ADMINS] });
      return updateUser(ctx, actor, request.params.id, request.body);
    },
  );

  app.patch(
    '/organizations/:id/security',
    {
      schema: {
        tags: ['organizations'],
        summary: "Set an organization's security policy (MFA required)",
        params: IdParams,
        body: OrgSecurityBody,
        response: { 200: OrgSecurity },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'admin', roles: [...ADMINS] });
      return setOrganizationSecurity(ctx, actor, request.params.id, request.body);
    },
  );
};
