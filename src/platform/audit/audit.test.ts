import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, type Db, openDatabase } from '../db/db.js';
import { migrateToLatest } from '../db/migrate.js';
import { type AuditEntry, appendAudit, entryHash, GENESIS_HASH, verifyAuditChain } from './audit.js';

const T0 = new Date('2026-05-01T09:00:00Z');

function entries(n: number, from = 1): AuditEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    action: 'record.read',
    actorUserId: '00000000-0000-4000-8000-000000000001',
    actorOrgId: '00000000-0000-4000-8000-0000000000a1',
    objectType: 'record',
    objectId: `rec-${from + i}`,
    ownerOrgId: '00000000-0000-4000-8000-0000000000b2',
    basis: 'agreement',
    basisRef: 'AGR-1',
    outcome: 'allow' as const,
    ip: '192.0.2.1',
    details: { n: from + i, nested: { list: [1, 2, 3] } },
  }));
}

/**
 * These tests rewrite the audit log on purpose, so they run on a private in-memory database:
 * the shared test database is used by other files at the same time.
 */
describe('verifyAuditChain on a tampered log', () => {
  let handle: DatabaseHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await openDatabase({ dataDir: 'memory://' });
    db = handle.db;
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await handle?.close();
  });
  beforeEach(async () => {
    await db.deleteFrom('audit_log').execute();
    await appendAudit(db, T0, entries(3));
    // A second append continues the chain where the first ended.
    await appendAudit(db, new Date(T0.getTime() + 60_000), entries(2, 4));
  });

  it('an empty log verifies, with the genesis hash as head', async () => {
    await db.deleteFrom('audit_log').execute();
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 0, headHash: GENESIS_HASH });
  });

  it('an untouched chain verifies and reports the hash of its last entry', async () => {
    const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => String(r.seq))).toEqual(['1', '2', '3', '4', '5']);
    expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
    const result = await verifyAuditChain(db);
    expect(result).toEqual({ ok: true, checked: 5, headHash: rows[4]?.hash });
  });

  it('detects a changed entry at its sequence number', async () => {
    await db
      .updateTable('audit_log')
      .set({ details: JSON.stringify({ n: 3, nested: { list: [1, 2] } }) })
      .where('seq', '=', '3')
      .execute();
    const result = await verifyAuditChain(db);
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(2);
    expect(result.broken).toEqual({ seq: '3', reason: expect.stringContaining('content changed') });
  });

  it('detects a changed actor or time, not only details', async () => {
    await db
      .updateTable('audit_log')
      .set({ at: new Date(T0.getTime() + 1) })
      .where('seq', '=', '2')
      .execute();
    expect((await verifyAuditChain(db)).broken?.seq).toBe('2');
  });

  it('detects a change whose hash was recomputed, at the next entry', async () => {
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', '3').executeTakeFirstOrThrow();
    const forged = { ...row, details: { n: 3, forged: true } };
    await db
      .updateTable('audit_log')
      .set({ details: JSON.stringify(forged.details), hash: entryHash(forged) })
      .where('seq', '=', '3')
      .execute();
    const result = await verifyAuditChain(db);
    expect(result.broken).toEqual({ seq: '4', reason: expect.stringContaining('previous-hash link broken') });
  });

  it('detects a deleted entry in the middle', async () => {
    await db.deleteFrom('audit_log').where('seq', '=', '3').execute();
    const result = await verifyAuditChain(db);
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(2);
    expect(result.broken).toEqual({ seq: '4', reason: expect.stringContaining('sequence gap') });
  });

  it('detects two entries swapped (reordering)', async () => {
    // seq is the primary key: move one row out of the way first.
    await sql`update audit_log set seq = -2 where seq = 2`.execute(db);
    await sql`update audit_log set seq = 2 where seq = 4`.execute(db);
    await sql`update audit_log set seq = 4 where seq = -2`.execute(db);
    const result = await verifyAuditChain(db);
    expect(result.ok).toBe(false);
    expect(result.broken?.seq).toBe('2');
  });

  it('does not see the newest entries deleted, but the head hash moves: record it elsewhere', async () => {
    const before = await verifyAuditChain(db);
    await db.deleteFrom('audit_log').where('seq', '=', '5').execute();
    const after = await verifyAuditChain(db);
    expect(after.ok).toBe(true);
    expect(after.headHash).not.toBe(before.headHash);
  });

  it('verifies a chain longer than one read batch', async () => {
    await appendAudit(db, T0, entries(2100, 6));
    const result = await verifyAuditChain(db);
    expect(result).toMatchObject({ ok: true, checked: 2105 });
    await db.updateTable('audit_log').set({ action: 'record.update' }).where('seq', '=', '2050').execute();
    expect((await verifyAuditChain(db)).broken?.seq).toBe('2050');
  });
});

function runCli(
  dataDir: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ENTENTE_DATA_DIR: dataDir, NODE_ENV: 'test' };
  // The CLI must open the temporary PGlite directory, not the suite's PostgreSQL or NATS.
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  return new Promise((resolve, reject) => {
    // `node --import tsx` is what `npx tsx` runs, without npm's start-up cost.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('entente audit verify (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'entente-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on an intact log and 1 naming the first tampered entry', async () => {
    // A PGlite directory is opened by one process at a time: close before each CLI run.
    let handle = await openDatabase({ dataDir: dir });
    await migrateToLatest(handle.db);
    await appendAudit(handle.db, T0, entries(4));
    const head = (await verifyAuditChain(handle.db)).headHash;
    await handle.close();

    const intact = await runCli(dir, ['audit', 'verify']);
    expect(intact.stderr).not.toContain('BROKEN');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('intact');
    expect(intact.stdout).toContain('4 entries');
    expect(intact.stdout).toContain(head);

    handle = await openDatabase({ dataDir: dir });
    await handle.db.updateTable('audit_log').set({ object_id: 'rec-other' }).where('seq', '=', '3').execute();
    await handle.close();

    const broken = await runCli(dir, ['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('BROKEN at entry 3');
    // Two cold CLI starts (tsx, PGlite, migrations) take a while on a busy two-core machine.
  }, 120_000);
});
