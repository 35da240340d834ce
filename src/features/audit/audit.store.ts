import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/db.js';
import type { Database } from '../../platform/db/schema.js';
import type { AuditScope } from './audit.policy.js';
import type { AuditOutcome } from './audit.schema.js';

export interface AuditFilter {
  action?: string;
  actorOrgId?: string;
  objectType?: string;
  objectId?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
}

export interface AuditListRow {
  seq: string;
  at: Date;
  actor_user_id: string | null;
  actor_org_id: string | null;
  actor_email: string | null;
  actor_org_name: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  owner_org_id: string | null;
  basis: string | null;
  basis_ref: string | null;
  outcome: string;
  details: Record<string, unknown>;
  hash: string;
}

function matching(scope: AuditScope, f: AuditFilter) {
  return (eb: ExpressionBuilder<Database, 'audit_log'>): Expression<SqlBool> => {
    const c: Expression<SqlBool>[] = [];
    switch (scope.kind) {
      case 'all':
        break;
      case 'organization':
        c.push(
          eb.or([
            eb('audit_log.actor_org_id', '=', scope.organizationId),
            eb('audit_log.owner_org_id', '=', scope.organizationId),
          ]),
        );
        break;
      default: {
        const never: never = scope;
        throw new Error(`unknown audit scope ${String(never)}`);
      }
    }
    if (f.action !== undefined) c.push(eb('audit_log.action', '=', f.action));
    if (f.actorOrgId !== undefined) c.push(eb('audit_log.actor_org_id', '=', f.actorOrgId));
    if (f.objectType !== undefined) c.push(eb('audit_log.object_type', '=', f.objectType));
    if (f.objectId !== undefined) c.push(eb('audit_log.object_id', '=', f.objectId));
    if (f.outcome !== undefined) c.push(eb('audit_log.outcome', '=', f.outcome));
    if (f.from !== undefined) c.push(eb('audit_log.at', '>=', f.from));
    if (f.to !== undefined) c.push(eb('audit_log.at', '<=', f.to));
    return eb.and(c);
  };
}

/**
 * One page of audit entries, newest first, with the total that match. The scope is applied in
 * SQL, so an organization's auditor never loads another organization's entries. The acting user's
 * e-mail and organization name are joined in.
 */
export async function listAuditEntries(
  executor: Executor,
  scope: AuditScope,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: AuditListRow[]; total: number }> {
  const where = matching(scope, filter);
  const rows = await executor
    .selectFrom('audit_log')
    .where(where)
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .leftJoin('organizations', 'organizations.id', 'audit_log.actor_org_id')
    .select([
      'audit_log.seq',
      'audit_log.at',
      'audit_log.actor_user_id',
      'audit_log.actor_org_id',
      'users.email as actor_email',
      'organizations.name as actor_org_name',
      'audit_log.action',
      'audit_log.object_type',
      'audit_log.object_id',
      'audit_log.owner_org_id',
      'audit_log.basis',
      'audit_log.basis_ref',
      'audit_log.outcome',
      'audit_log.details',
      'audit_log.hash',
    ])
    .orderBy('audit_log.seq', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await executor
    .selectFrom('audit_log')
    .where(where)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows: rows.map((r) => ({ ...r, seq: String(r.seq) })), total: Number(count.n) };
}
