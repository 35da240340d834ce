import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/context.js';
import { createOrg, createUser, type TestUser, uniq } from '../../../test/support/factories.js';
import { waitForImport } from './imports.routes.js';

const DEFAULTS = {
  tlp: 'TLP:AMBER',
  codes: ['H0'],
  evaluation: { scheme: 'eu4x4', source: 'B', information: '2' },
  purposes: ['criminal_investigation'],
  crimeAreas: ['drug_trafficking'],
  subjectCategory: 'suspect',
};
const DATA = '/work/shared/data';

describe('imports API', () => {
  let t: TestApp;
  let writer: TestUser;
  let viewer: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    const org = await createOrg(t.ctx);
    writer = await createUser(t.ctx, org, ['analyst']);
    viewer = await createUser(t.ctx, org, ['viewer']);
    stranger = await createUser(t.ctx, await createOrg(t.ctx), ['analyst']);
  });

  function upload(
    user: TestUser | null,
    body: string | Buffer,
    opts: { format?: string; defaults?: unknown } = {},
  ) {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (user) Object.assign(headers, user.auth);
    if (opts.defaults !== null)
      headers['x-entente-import-defaults'] = JSON.stringify(opts.defaults ?? DEFAULTS);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/imports?format=${opts.format ?? 'ftm'}`,
      headers,
      payload: body,
    });
  }

  async function importAndWait(user: TestUser, body: string | Buffer, format = 'ftm') {
    const res = await upload(user, body, { format });
    expect(res.statusCode).toBe(202);
    const id = res.json().id as string;
    await waitForImport(id);
    const job = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: user.auth });
    expect(job.statusCode).toBe(200);
    return job.json();
  }

  it('walks 401 → 400 → 403 → 202 and reports the job to its organization only', async () => {
    const p = uniq();
    const file = [
      JSON.stringify({ id: `${p}-1`, schema: 'Company', properties: { name: ['Upload One'] } }),
      'garbage',
      JSON.stringify({ id: `${p}-2`, schema: 'Company', properties: { name: ['Upload "Two"'] } }),
    ].join('\n');
    expect((await upload(null, file)).statusCode).toBe(401);
    const badFormat = await upload(writer, file, { format: 'xml' });
    expect(badFormat.statusCode).toBe(400);
    const noDefaults = await upload(writer, file, { defaults: null });
    expect(noDefaults.statusCode).toBe(400);
    expect(noDefaults.json().errors[0].field).toBe('defaults');
    const badDefaults = await upload(writer, file, { defaults: { ...DEFAULTS, tlp: 'TLP:PINK' } });
    expect(badDefaults.statusCode).toBe(400);
    expect(badDefaults.json().errors.map((e: { field: string }) => e.field)).toContain('defaults.tlp');
    const badGrade = await upload(writer, file, {
      defaults: { ...DEFAULTS, evaluation: { scheme: 'eu4x4', source: 'F', information: '2' } },
    });
    expect(badGrade.statusCode).toBe(400);
    expect(badGrade.json().errors[0].field).toBe('defaults.evaluation.source');
    expect((await upload(viewer, file)).statusCode).toBe(403);
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports?format=ftm',
      headers: { ...writer.auth, 'x-entente-import-defaults': JSON.stringify(DEFAULTS) },
      payload: { not: 'a file' },
    });
    expect(json.statusCode).toBe(415);

    const job = await importAndWait(writer, file);
    expect(job).toMatchObject({
      format: 'ftm',
      status: 'done',
      created: 2,
      rejected: 1,
      processed: 3,
      bytesTotal: Buffer.byteLength(file),
      bytesRead: Buffer.byteLength(file),
    });
    expect(job.errors).toEqual([{ index: 2, reason: expect.stringMatching(/JSON/) }]);

    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/imports/${job.id}`, headers: stranger.auth }))
        .statusCode,
    ).toBe(404);
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/imports', headers: writer.auth });
    expect(mine.json().items.map((j: { id: string }) => j.id)).toContain(job.id);
    const theirs = await t.app.inject({ method: 'GET', url: '/api/v1/imports', headers: stranger.auth });
    expect(theirs.json().items.map((j: { id: string }) => j.id)).not.toContain(job.id);

    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/v1/imports/${job.id}/errors.csv`,
      headers: writer.auth,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = csv.body.trim().split('\n');
    expect(rows[0]).toBe('index,reason');
    expect(rows[1]).toMatch(/^2,"invalid JSON/);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/imports/${job.id}/errors.csv`,
          headers: stranger.auth,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('documents the import routes in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/imports', '/api/v1/imports/{id}', '/api/v1/records/export']),
    );
  });

  it('previews the first entities of a file and the columns of a CSV', async () => {
    const body = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ id: `pv-${i}`, schema: 'Company', properties: { name: [`Preview ${i}`] } }),
    ).join('\n');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/preview?format=ftm',
      headers: { ...writer.auth, 'content-type': 'application/octet-stream' },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(20);
    expect(res.json().items[0]).toMatchObject({ type: 'entity', index: 1, entity: { externalId: 'pv-0' } });
    const csv = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/preview?format=csv',
      headers: { ...writer.auth, 'content-type': 'application/octet-stream' },
      payload: 'ref,"full name",country\n1,Ana,es\n',
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.json().columns).toEqual(['ref', 'full name', 'country']);
    // Nothing was written by a preview.
    const written = await t.ctx.db
      .selectFrom('records')
      .select('id')
      .where('owner_org_id', '=', writer.organizationId)
      .where('external_id', '=', 'pv-0')
      .execute();
    expect(written).toHaveLength(0);
  });

  it('previews a large file over real HTTP and still answers (the rest of the body is drained)', async () => {
    const own = await createTestApp();
    const address = await own.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const body = Array.from({ length: 5000 }, (_, i) =>
        JSON.stringify({
          id: `big-${i}`,
          schema: 'Company',
          properties: { name: [`Large File Company ${i}`] },
        }),
      ).join('\n');
      expect(body.length).toBeGreaterThan(4 * 64 * 1024);
      const res = await fetch(`${address}/api/v1/imports/preview?format=ftm`, {
        method: 'POST',
        headers: { ...writer.auth, 'content-type': 'application/octet-stream' },
        body,
      });
      expect(res.status).toBe(200);
      const json = (await res.json()) as { items: { index: number }[] };
      expect(json.items.map((i) => i.index)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    } finally {
      // fetch keeps its connection alive; close it so the server can stop.
      own.app.server.closeAllConnections();
      await own.app.close();
    }
  });

  it('saves CSV mappings per organization and validates their properties', async () => {
    const url = '/api/v1/import-mappings';
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const bad = await t.app.inject({
      method: 'POST',
      url,
      headers: writer.auth,
      payload: { name: 'People', schema: 'Person', idColumn: 'ref', columns: { 'full name': 'wingspan' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('columns.full name');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url,
          headers: viewer.auth,
          payload: { name: 'People', schema: 'Person', idColumn: 'ref', columns: { 'full name': 'name' } },
        })
      ).statusCode,
    ).toBe(403);
    const ok = await t.app.inject({
      method: 'POST',
      url,
      headers: writer.auth,
      payload: {
        name: 'People',
        schema: 'Person',
        idColumn: 'ref',
        columns: { 'full name': 'name', country: 'nationality' },
      },
    });
    expect(ok.statusCode).toBe(201);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_org_id', 'details'])
      .where('object_id', '=', ok.json().id)
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'import_mapping.created',
        details: expect.objectContaining({ columns: { 'full name': 'name', country: 'nationality' } }),
      }),
    ]);
    const mine = await t.app.inject({ method: 'GET', url, headers: writer.auth });
    expect(mine.json().items.map((m: { id: string }) => m.id)).toContain(ok.json().id);
    const theirs = await t.app.inject({ method: 'GET', url, headers: stranger.auth });
    expect(theirs.json().items.map((m: { id: string }) => m.id)).not.toContain(ok.json().id);
    // Another organization's mapping cannot be used.
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports?format=csv&mapping=${ok.json().id}`,
      headers: {
        ...stranger.auth,
        'content-type': 'application/octet-stream',
        'x-entente-import-defaults': JSON.stringify(DEFAULTS),
      },
      payload: 'ref,full name\n1,Ana\n',
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0].field).toBe('mapping');
  });

  for (const [format, folder] of [
    ['stix', 'stix2-examples'],
    ['misp', 'misp-events'],
  ] as const) {
    const dir = join(DATA, folder);
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
    describe.skipIf(files.length === 0)(`${format} example files from ${dir}`, () => {
      if (files.length === 0) console.warn(`skipping ${format} imports: ${dir} is absent`);
      for (const file of files) {
        it(`imports ${file} without crashing, accounting for every object`, async () => {
          const job = await importAndWait(writer, readFileSync(join(dir, file)), format);
          expect(job.status).toBe('done');
          expect(job.processed).toBeGreaterThan(0);
          expect(job.created + job.updated + job.unchanged + job.rejected + job.skipped).toBe(job.processed);
          // Re-importing the same file creates nothing new.
          const again = await importAndWait(writer, readFileSync(join(dir, file)), format);
          expect(again.created).toBe(0);
          expect(again.updated + again.unchanged).toBe(job.created + job.updated + job.unchanged);
        });
      }
    });
  }
});
