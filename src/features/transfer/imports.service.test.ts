import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/context.js';
import { createOrg, createUser, type TestOrg, uniq } from '../../../test/support/factories.js';
import type { Role } from '../../domain/vocabulary.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { ImportDefaults } from './imports.model.js';
import { IMPORT_BATCH_SIZE, runImport } from './imports.service.js';

const defaults: ImportDefaults = {
  tlp: 'TLP:AMBER',
  codes: ['H0'],
  evaluation: { scheme: 'eu4x4', source: 'B', information: '2' },
  purposes: ['criminal_investigation'],
  crimeAreas: ['drug_trafficking'],
  subjectCategory: 'suspect',
};

function lines(entities: unknown[]): string {
  return `${entities.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n')}\n`;
}

async function* source(text: string, chunk = 37): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  // Small chunks: lines straddle chunk boundaries as they do when reading a file.
  for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
}

describe('runImport', () => {
  let t: TestApp;
  let org: TestOrg;
  let actor: Actor;
  // Every test uses its own id prefix so re-imports of one test never meet another's records.
  const ext = () => `ext-${uniq()}`;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.ctx);
    const user = await createUser(t.ctx, org, ['analyst']);
    actor = {
      userId: user.id,
      organizationId: org.id,
      email: user.email,
      displayName: 'Importer',
      roles: ['analyst'] as Role[],
      via: 'system',
      scopes: null,
    };
  });

  async function recordsOf(externalIds: string[]) {
    return t.ctx.db
      .selectFrom('records')
      .selectAll()
      .where('owner_org_id', '=', org.id)
      .where('external_id', 'in', externalIds)
      .execute();
  }

  it('imports good lines, rejects bad ones with their line numbers, and writes versions, audit and event', async () => {
    const p = ext();
    const file = lines([
      { id: `${p}-1`, schema: 'Person', properties: { name: ['Ana Gomez'], nationality: ['es'] } },
      '{not json',
      { id: `${p}-2`, schema: 'Company', properties: { name: ['Blue Lagoon Holdings'] } },
      { id: `${p}-3`, schema: 'Spaceship', properties: { name: ['Nope'] } },
      { id: `${p}-4`, schema: 'Person', properties: { birthDate: ['not a date'], name: ['X'] } },
    ]);
    const summary = await runImport(t.ctx, actor, { format: 'ftm', source: source(file), defaults });
    expect(summary.status).toBe('done');
    expect(summary.created).toBe(2);
    expect(summary.rejected).toBe(3);
    expect(summary.errors.map((e) => e.index)).toEqual([2, 4, 5]);
    expect(summary.bytesRead).toBe(new TextEncoder().encode(file).length);

    const rows = await recordsOf([`${p}-1`, `${p}-2`, `${p}-3`, `${p}-4`]);
    expect(rows.map((r) => r.external_id).sort()).toEqual([`${p}-1`, `${p}-2`]);
    const person = rows.find((r) => r.schema === 'Person');
    expect(person?.tlp).toBe('TLP:AMBER');
    expect(person?.subject_category).toBe('suspect');
    expect(person?.caption).toBe('Ana Gomez');
    expect(rows.find((r) => r.schema === 'Company')?.subject_category).toBeNull();

    const versions = await t.ctx.db
      .selectFrom('record_versions')
      .selectAll()
      .where(
        'record_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    expect(versions.map((v) => v.action)).toEqual(['created', 'created']);

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_id', '=', summary.id)
      .where('action', '=', 'records.imported')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ created: 2, updated: 0 });
    expect(((audit[0]?.details ?? {}) as { createdIds: string[] }).createdIds.sort()).toEqual(
      rows.map((r) => r.id).sort(),
    );

    const events = await t.ctx.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'records.imported')
      .execute();
    expect(events.some((e) => (e.payload as { importId?: string }).importId === summary.id)).toBe(true);

    const job = await t.ctx.db
      .selectFrom('import_jobs')
      .selectAll()
      .where('id', '=', summary.id)
      .executeTakeFirst();
    expect(job).toMatchObject({ status: 'done', created: 2, rejected: 3, processed: 5 });
    const stored = await t.ctx.db
      .selectFrom('import_errors')
      .select(['source_index', 'reason'])
      .where('job_id', '=', summary.id)
      .orderBy('seq')
      .execute();
    expect(stored.map((e) => e.source_index)).toEqual([2, 4, 5]);
  });

  it('updates on re-import, leaves unchanged records alone and never duplicates', async () => {
    const p = ext();
    const first = lines([
      { id: `${p}-a`, schema: 'Company', properties: { name: ['Alpha Ltd'] } },
      { id: `${p}-b`, schema: 'Company', properties: { name: ['Beta Ltd'] } },
    ]);
    expect((await runImport(t.ctx, actor, { format: 'ftm', source: source(first), defaults })).created).toBe(
      2,
    );
    const again = await runImport(t.ctx, actor, { format: 'ftm', source: source(first), defaults });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });

    const changed = lines([
      { id: `${p}-a`, schema: 'Company', properties: { name: ['Alpha Limited'] } },
      { id: `${p}-b`, schema: 'Company', properties: { name: ['Beta Ltd'] } },
      { id: `${p}-c`, schema: 'Company', properties: { name: ['Gamma Ltd'] } },
    ]);
    const third = await runImport(t.ctx, actor, { format: 'ftm', source: source(changed), defaults });
    expect(third).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    const rows = await recordsOf([`${p}-a`, `${p}-b`, `${p}-c`]);
    expect(rows).toHaveLength(3);
    const a = rows.find((r) => r.external_id === `${p}-a`);
    expect(a?.caption).toBe('Alpha Limited');
    expect(a?.version).toBe(2);
    const versions = await t.ctx.db
      .selectFrom('record_versions')
      .select(['version', 'action'])
      .where('record_id', '=', a?.id as string)
      .orderBy('version')
      .execute();
    expect(versions).toEqual([
      { version: 1, action: 'created' },
      { version: 2, action: 'updated' },
    ]);
  });

  // The next batch is planned while the one before is being written (ImportRun.flush).
  function pipelineFile(p: string, rewrite: boolean) {
    const firstBatch = [
      { id: `${p}-a`, schema: 'Person', properties: { name: ['Person In Flight'] } },
      ...Array.from({ length: IMPORT_BATCH_SIZE - 1 }, (_, i) => ({
        id: `${p}-f${i}`,
        schema: 'Company',
        properties: { name: [`Filler ${i}`] },
      })),
    ];
    return lines([
      ...firstBatch,
      // The second batch links to an entity of the first (and may write one of its entities again).
      { id: `${p}-link`, schema: 'Ownership', properties: { owner: [`${p}-a`], asset: [`${p}-b`] } },
      { id: `${p}-b`, schema: 'Company', properties: { name: ['Second Batch Company'] } },
      ...(rewrite ? [{ id: `${p}-f0`, schema: 'Company', properties: { name: ['Filler 0 renamed'] } }] : []),
    ]);
  }

  it('plans a batch while the one before is written: links to it resolve, its entities written again are updates', async () => {
    const p = ext();
    const summary = await runImport(t.ctx, actor, {
      format: 'ftm',
      source: source(pipelineFile(p, true), 8192),
      defaults,
    });
    expect(summary.failedBatches).toBe(0);
    expect(summary.created).toBe(IMPORT_BATCH_SIZE + 2);
    expect(summary.updated).toBe(1);
    expect(summary.rejected).toBe(0);
    const [a, b, link, f0] = await Promise.all(
      [`${p}-a`, `${p}-b`, `${p}-link`, `${p}-f0`].map(async (id) => (await recordsOf([id]))[0]),
    );
    expect(link?.properties).toEqual({ owner: [a?.id], asset: [b?.id] });
    expect(f0?.caption).toBe('Filler 0 renamed');
    expect(f0?.version).toBe(2);
  });

  it('when the batch in flight rolls back, the next one is planned again without it', async () => {
    const p = ext();
    const summary = await runImport(t.ctx, actor, {
      format: 'ftm',
      source: source(pipelineFile(p, false), 8192),
      defaults,
      failBatch: 1,
    });
    expect(summary.failedBatches).toBe(1);
    // The link's owner was in the rolled-back batch: held back, then reported; the rest is written.
    expect(summary.created).toBe(1);
    expect(summary.rejected).toBe(IMPORT_BATCH_SIZE + 1);
    const rows = await recordsOf([`${p}-a`, `${p}-b`, `${p}-link`, `${p}-f0`]);
    expect(rows.map((r) => [r.external_id, r.caption]).sort()).toEqual([[`${p}-b`, 'Second Batch Company']]);
    const { rows: errors } = await sql<{ source_index: number; reason: string }>`
      SELECT source_index, reason FROM import_errors WHERE job_id = ${summary.id} ORDER BY seq`.execute(
      t.ctx.db,
    );
    expect(errors).toHaveLength(IMPORT_BATCH_SIZE + 1);
    expect(errors.filter((e) => /rolled back/.test(e.reason))).toHaveLength(IMPORT_BATCH_SIZE);
    const linkError = errors.find((e) => e.source_index === IMPORT_BATCH_SIZE + 1);
    expect(linkError?.reason).toMatch(/references entities not found/);
  });

  it('resolves references within a batch, across batches (link before its ends) and to earlier imports', async () => {
    const p = ext();
    const filler = Array.from({ length: IMPORT_BATCH_SIZE }, (_, i) => ({
      id: `${p}-f${i}`,
      schema: 'Company',
      properties: { name: [`Filler ${i}`] },
    }));
    const file = lines([
      // The link comes first; its owner is in the same batch, its asset only in the next one.
      { id: `${p}-own`, schema: 'Ownership', properties: { owner: [`${p}-o`], asset: [`${p}-late`] } },
      { id: `${p}-o`, schema: 'Person', properties: { name: ['Owner Person'] } },
      ...filler,
      { id: `${p}-late`, schema: 'Company', properties: { name: ['Late Company'] } },
      {
        id: `${p}-dangling`,
        schema: 'Ownership',
        properties: { owner: [`${p}-o`], asset: [`${p}-nowhere`] },
      },
    ]);
    const summary = await runImport(t.ctx, actor, { format: 'ftm', source: source(file, 4096), defaults });
    expect(summary.created).toBe(IMPORT_BATCH_SIZE + 3);
    expect(summary.rejected).toBe(1);
    expect(summary.errors[0]?.index).toBe(IMPORT_BATCH_SIZE + 4);
    expect(summary.errors[0]?.reason).toMatch(/nowhere/);
    const [own, owner, late] = await Promise.all(
      [`${p}-own`, `${p}-o`, `${p}-late`].map(async (id) => (await recordsOf([id]))[0]),
    );
    expect(own?.properties).toEqual({ owner: [owner?.id], asset: [late?.id] });

    // A later import links to records of the earlier one by their external ids.
    const later = lines([
      {
        id: `${p}-dir`,
        schema: 'Directorship',
        properties: { director: [`${p}-o`], organization: [`${p}-late`] },
      },
    ]);
    const second = await runImport(t.ctx, actor, { format: 'ftm', source: source(later), defaults });
    expect(second.created).toBe(1);
    const dir = (await recordsOf([`${p}-dir`]))[0];
    expect(dir?.properties).toEqual({ director: [owner?.id], organization: [late?.id] });
  });

  it('rolls a failed batch back as a whole and goes on with the next', async () => {
    const p = ext();
    // The repeated id closes the first batch early, so this small file has two batches.
    const file = lines([
      { id: `${p}-1`, schema: 'Company', properties: { name: ['One'] } },
      { id: `${p}-2`, schema: 'Company', properties: { name: ['Two'] } },
      { id: `${p}-1`, schema: 'Company', properties: { name: ['One again'] } },
      { id: `${p}-3`, schema: 'Company', properties: { name: ['Three'] } },
    ]);
    const summary = await runImport(t.ctx, actor, {
      format: 'ftm',
      source: source(file),
      defaults,
      failBatch: 1,
    });
    expect(summary.status).toBe('done');
    expect(summary.failedBatches).toBe(1);
    expect(summary.rejected).toBe(2);
    expect(summary.errors.map((e) => e.index)).toEqual([1, 2]);
    expect(summary.errors[0]?.reason).toMatch(/rolled back/);
    expect(summary.created).toBe(2);
    const rows = await recordsOf([`${p}-1`, `${p}-2`, `${p}-3`]);
    expect(rows.map((r) => [r.external_id, r.caption]).sort()).toEqual([
      [`${p}-1`, 'One again'],
      [`${p}-3`, 'Three'],
    ]);
    const audits = await t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('object_id', '=', summary.id)
      .execute();
    expect(audits.map((a) => (a.details as { batch: number }).batch)).toEqual([2]);
  });

  it('applies source TLP over the default, needs a subject category for people, and refuses bad defaults', async () => {
    const p = ext();
    const noSubject = { ...defaults, subjectCategory: null };
    const file = lines([{ id: `${p}-p`, schema: 'Person', properties: { name: ['Someone'] } }]);
    const summary = await runImport(t.ctx, actor, {
      format: 'ftm',
      source: source(file),
      defaults: noSubject,
    });
    expect(summary.rejected).toBe(1);
    expect(summary.errors[0]?.reason).toMatch(/subject/);

    await expect(
      runImport(t.ctx, actor, {
        format: 'ftm',
        source: source(file),
        defaults: { ...defaults, evaluation: { scheme: 'eu4x4', source: 'F', information: '2' } },
      }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      runImport(t.ctx, { ...actor, roles: ['viewer'] }, { format: 'ftm', source: source(file), defaults }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('rejects a record id that belongs to a record of another schema', async () => {
    const p = ext();
    await runImport(t.ctx, actor, {
      format: 'ftm',
      source: source(lines([{ id: `${p}-x`, schema: 'Company', properties: { name: ['X Co'] } }])),
      defaults,
    });
    const summary = await runImport(t.ctx, actor, {
      format: 'ftm',
      source: source(lines([{ id: `${p}-x`, schema: 'Vessel', properties: { name: ['X Boat'] } }])),
      defaults,
    });
    expect(summary).toMatchObject({ created: 0, updated: 0, rejected: 1 });
    expect(summary.errors[0]?.reason).toMatch(/Company record/);
  });
});
