import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeatureOptions } from '../../app.js';
import { requireActor } from '../../platform/http/request-actor.js';
import { AuditList, AuditListQuery, AuditVerifyView } from './audit.schema.js';
import { listAudit, verifyAudit } from './audit.service.js';

const tags = ['audit'];

/** The tamper-evident audit log, for auditors: filtered listing and chain verification. */
export const auditRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  app.get(
    '/audit',
    {
      schema: {
        tags,
        summary: 'List audit entries (auditor: own organization; platform admin + auditor: all)',
        querystring: AuditListQuery,
        response: { 200: AuditList },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'audit:read' });
      return listAudit(ctx, actor, request.query, { ip: request.ip });
    },
  );

  app.get(
    '/audit/verify',
    {
      schema: {
        tags,
        summary: 'Recompute the audit hash chain and report the first broken entry',
        response: { 200: AuditVerifyView },
      },
    },
    async (request) => {
      const actor = requireActor(request, { scope: 'audit:read' });
      return verifyAudit(ctx, actor, { ip: request.ip });
    },
  );
};
