import type { AppContext } from '../../context.js';
import { appendAudit, type VerifyResult, verifyAuditChain } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { forbidden, invalid } from '../../platform/http/problem.js';
import { type AuditScope, auditScope } from './audit.policy.js';
import type { AuditEntryViewT, AuditListInput, AuditListView } from './audit.schema.js';
import { type AuditFilter, type AuditListRow, listAuditEntries } from './audit.store.js';

interface RequestMeta {
  ip?: string | null;
}

/** The scope, or a 403 that is itself written to the audit log (a denied look at the log is a fact worth keeping). */
async function requireAuditScope(
  ctx: AppContext,
  actor: Actor,
  action: 'audit.read' | 'audit.verify',
  meta: RequestMeta,
): Promise<AuditScope> {
  const scope = auditScope(actor);
  if (scope) return scope;
  await appendAudit(ctx.db, ctx.clock.now(), [
    {
      action,
      actorUserId: actor.userId,
      actorOrgId: actor.organizationId,
      objectType: 'audit_log',
      outcome: 'deny',
      ip: meta.ip ?? null,
      details: { reason: 'role_required' },
    },
  ]);
  throw forbidden('Reading the audit log needs the auditor role.', 'role_required');
}

function present(r: AuditListRow): AuditEntryViewT {
  return {
    seq: r.seq,
    at: r.at.toISOString(),
    actor: {
      userId: r.actor_user_id,
      orgId: r.actor_org_id,
      ...(r.actor_email !== null ? { email: r.actor_email } : {}),
      ...(r.actor_org_name !== null ? { orgName: r.actor_org_name } : {}),
    },
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    ownerOrgId: r.owner_org_id,
    basis: r.basis,
    basisRef: r.basis_ref,
    outcome: r.outcome,
    details: r.details ?? {},
    hash: r.hash,
  };
}

/**
 * Lists the audit entries the actor may read (its organization's, or all for a platform-admin
 * auditor), filtered in the database, newest first. The read is audited as `audit.read` in the
 * same transaction, with the filters used and the number of entries returned.
 */
export async function listAudit(
  ctx: AppContext,
  actor: Actor,
  query: AuditListInput,
  meta: RequestMeta = {},
): Promise<AuditListView> {
  const filter: AuditFilter = {
    action: query.action,
    actorOrgId: query.actorOrg,
    objectType: query.objectType,
    objectId: query.objectId,
    outcome: query.outcome,
    from: query.from !== undefined ? new Date(query.from) : undefined,
    to: query.to !== undefined ? new Date(query.to) : undefined,
  };
  if (filter.from && filter.to && filter.from > filter.to) {
    throw invalid('querystring.to', 'range', '`to` must not be before `from`.');
  }
  const scope = await requireAuditScope(ctx, actor, 'audit.read', meta);
  const now = ctx.clock.now();
  const page = { limit: query.limit, offset: query.offset };
  const { rows, total } = await ctx.db.transaction().execute(async (trx) => {
    const result = await listAuditEntries(trx, scope, filter, page);
    const filters = Object.fromEntries(
      Object.entries({
        action: query.action,
        actorOrg: query.actorOrg,
        objectType: query.objectType,
        objectId: query.objectId,
        outcome: query.outcome,
        from: query.from,
        to: query.to,
      }).filter(([, v]) => v !== undefined),
    );
    await appendAudit(trx, now, [
      {
        action: 'audit.read',
        actorUserId: actor.userId,
        actorOrgId: actor.organizationId,
        objectType: 'audit_log',
        ownerOrgId: scope.kind === 'organization' ? scope.organizationId : null,
        outcome: 'allow',
        ip: meta.ip ?? null,
        details: {
          scope: scope.kind,
          filters,
          limit: page.limit,
          offset: page.offset,
          returned: result.rows.length,
          total: result.total,
        },
      },
    ]);
    return result;
  });
  return { items: rows.map(present), total, limit: page.limit, offset: page.offset };
}

/**
 * Recomputes the whole hash chain for an auditor and audits the check (`audit.verify`, with the
 * result). The result names the first broken entry and the head hash to record elsewhere.
 */
export async function verifyAudit(
  ctx: AppContext,
  actor: Actor,
  meta: RequestMeta = {},
): Promise<VerifyResult> {
  await requireAuditScope(ctx, actor, 'audit.verify', meta);
  const result = await verifyAuditChain(ctx.db);
  await appendAudit(ctx.db, ctx.clock.now(), [
    {
      action: 'audit.verify',
      actorUserId: actor.userId,
      actorOrgId: actor.organizationId,
      objectType: 'audit_log',
      outcome: result.ok ? 'success' : 'failure',
      ip: meta.ip ?? null,
      details: {
        ok: result.ok,
        checked: result.checked,
        headHash: result.headHash,
        ...(result.broken ? { broken: result.broken } : {}),
      },
    },
  ]);
  return result;
}
