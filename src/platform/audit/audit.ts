import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { sql } from 'kysely';
import type { Executor } from '../db/db.js';
import type { AuditRow } from '../db/schema.js';

export const GENESIS_HASH = '0'.repeat(64);

/** One fact for the audit log. `outcome` is `allow` for reads that returned data and for writes. */
export interface AuditEntry {
  action: string;
  actorUserId?: string | null;
  actorOrgId?: string | null;
  objectType?: string | null;
  objectId?: string | null;
  ownerOrgId?: string | null;
  /** On which basis data was returned: owner, agreement, named_recipient, tlp_clear, team, disclosure. */
  basis?: string | null;
  /** The agreement, team or disclosure id behind the basis. */
  basisRef?: string | null;
  outcome?: 'allow' | 'deny' | 'success' | 'failure';
  ip?: string | null;
  details?: Record<string, unknown>;
}

interface ChainFields {
  seq: string;
  at: Date;
  actor_user_id: string | null;
  actor_org_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  owner_org_id: string | null;
  basis: string | null;
  basis_ref: string | null;
  outcome: string;
  ip: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
}

/** The hash of one entry: SHA-256 over the RFC 8785 canonical JSON of every field and the previous hash. */
export function entryHash(f: ChainFields): string {
  const canonical = canonicalize({
    seq: String(f.seq),
    at: f.at.toISOString(),
    actor_user_id: f.actor_user_id,
    actor_org_id: f.actor_org_id,
    action: f.action,
    object_type: f.object_type,
    object_id: f.object_id,
    owner_org_id: f.owner_org_id,
    basis: f.basis,
    basis_ref: f.basis_ref,
    outcome: f.outcome,
    ip: f.ip,
    details: f.details,
    prev_hash: f.prev_hash,
  });
  return createHash('sha256')
    .update(canonical ?? '')
    .digest('hex');
}

/**
 * Appends entries to the hash chain inside the caller's transaction, so the audit entry commits
 * or rolls back with the change it records. Appends are serialised with a transaction-scoped
 * advisory lock: two processes on one PostgreSQL never fork the chain.
 */
export async function appendAudit(executor: Executor, at: Date, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!executor.isTransaction) {
    await executor.transaction().execute((trx) => appendAudit(trx, at, entries));
    return;
  }
  await sql`select pg_advisory_xact_lock(7263001)`.execute(executor);
  const last = await executor
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  let seq = last ? BigInt(last.seq) : 0n;
  let prev = last?.hash ?? GENESIS_HASH;
  const rows = entries.map((e) => {
    seq += 1n;
    const fields: ChainFields = {
      seq: seq.toString(),
      at,
      actor_user_id: e.actorUserId ?? null,
      actor_org_id: e.actorOrgId ?? null,
      action: e.action,
      object_type: e.objectType ?? null,
      object_id: e.objectId ?? null,
      owner_org_id: e.ownerOrgId ?? null,
      basis: e.basis ?? null,
      basis_ref: e.basisRef ?? null,
      outcome: e.outcome ?? 'success',
      ip: e.ip ?? null,
      details: e.details ?? {},
      prev_hash: prev,
    };
    const hash = entryHash(fields);
    prev = hash;
    return { ...fields, details: JSON.stringify(fields.details), hash };
  });
  // Chunked so a large read (a list of hundreds of records) stays under parameter limits.
  for (let i = 0; i < rows.length; i += 500) {
    await executor
      .insertInto('audit_log')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headHash: string;
  /** The first entry that does not verify, and why. */
  broken?: { seq: string; reason: string };
}

/**
 * Walks the whole chain in sequence order and recomputes every hash. Detects a changed row
 * (hash mismatch), a deleted row (sequence gap or previous-hash mismatch) and reordering.
 * Deleting the newest rows is only detectable against a head hash kept elsewhere, so the
 * verifier reports the head hash for operators to record.
 */
export async function verifyAuditChain(executor: Executor): Promise<VerifyResult> {
  let expectedSeq = 1n;
  let prev = GENESIS_HASH;
  let checked = 0;
  let after: string | null = null;
  for (;;) {
    let q = executor.selectFrom('audit_log').selectAll().orderBy('seq', 'asc').limit(2000);
    if (after !== null) q = q.where('seq', '>', after);
    const batch: AuditRow[] = await q.execute();
    if (batch.length === 0) break;
    for (const row of batch) {
      const seq = BigInt(row.seq);
      if (seq !== expectedSeq) {
        return {
          ok: false,
          checked,
          headHash: prev,
          broken: {
            seq: String(row.seq),
            reason: `sequence gap: expected ${expectedSeq}, found ${seq} (entry deleted)`,
          },
        };
      }
      if (row.prev_hash !== prev) {
        return {
          ok: false,
          checked,
          headHash: prev,
          broken: {
            seq: String(row.seq),
            reason: 'previous-hash link broken (entry deleted, inserted or reordered)',
          },
        };
      }
      const recomputed = entryHash({ ...row, details: row.details ?? {} });
      if (recomputed !== row.hash) {
        return {
          ok: false,
          checked,
          headHash: prev,
          broken: { seq: String(row.seq), reason: 'content changed: hash does not match the entry' },
        };
      }
      prev = row.hash;
      expectedSeq += 1n;
      checked += 1;
    }
    after = String(batch[batch.length - 1]?.seq);
  }
  return { ok: true, checked, headHash: prev };
}
