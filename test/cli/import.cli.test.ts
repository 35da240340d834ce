/**
 * `entente import` end to end: its own process against a PGlite data directory prepared with
 * `migrate` and `demo`, as an operator runs it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { demoLogins } from '../../src/features/demo/demo.scenario.js';
import { openRuntime } from '../../src/runtime.js';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

describe.skipIf(!!process.env.DATABASE_URL)('entente import (embedded database)', () => {
  let dir: string;
  let file: string;
  const env = () => ({ ...process.env, ENTENTE_DATA_DIR: dir, NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  const cli = (...args: string[]) => run(TSX, ['src/main.ts', ...args], { env: env(), timeout: 120_000 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'entente-import-cli-'));
    file = join(dir, 'people.ftm.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify({ id: 'cli-1', schema: 'Person', properties: { name: ['Cli Person One'] } }),
        '{ broken',
        JSON.stringify({ id: 'cli-2', schema: 'Company', properties: { name: ['Cli Company'] } }),
        JSON.stringify({
          id: 'cli-3',
          schema: 'Ownership',
          properties: { owner: ['cli-1'], asset: ['cli-2'] },
        }),
      ].join('\n'),
    );
    await cli('migrate');
    await cli('demo');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports as a writer of an organization, reports rejected lines, and re-imports without duplicates', async () => {
    const writer = demoLogins().users.find((u) => u.roles.includes('analyst'));
    if (!writer) throw new Error('the demo has no analyst');
    const runtime0 = await openRuntime(loadConfig({ NODE_ENV: 'test', ENTENTE_DATA_DIR: dir }));
    const user = await runtime0.ctx.db
      .selectFrom('users as u')
      .innerJoin('organizations as o', 'o.id', 'u.organization_id')
      .select(['o.slug', 'o.id'])
      .where('u.email', '=', writer.email)
      .executeTakeFirstOrThrow();
    await runtime0.close();
    const args = [
      'import',
      file,
      '--format',
      'ftm',
      '--org',
      user.slug,
      '--user',
      writer.email,
      '--tlp',
      'TLP:GREEN',
      '--purpose',
      'criminal_investigation',
      '--crime-area',
      'drug_trafficking',
      '--subject-category',
      'suspect',
    ];
    const first = await cli(...args);
    expect(first.stdout).toMatch(/: done/);
    expect(first.stdout).toMatch(/created 3, updated 0, unchanged 0, rejected 1/);
    expect(first.stdout).toMatch(/line 2: invalid JSON/);

    const second = await cli(...args);
    expect(second.stdout).toMatch(/created 0, updated 0, unchanged 3, rejected 1/);

    const runtime = await openRuntime(loadConfig({ NODE_ENV: 'test', ENTENTE_DATA_DIR: dir }));
    try {
      const rows = await runtime.ctx.db
        .selectFrom('records')
        .select(['external_id', 'tlp', 'properties'])
        .where('owner_org_id', '=', user.id)
        .where('external_id', 'in', ['cli-1', 'cli-2', 'cli-3'])
        .execute();
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.tlp === 'TLP:GREEN')).toBe(true);
    } finally {
      await runtime.close();
    }

    // A user who is not of that organization: nothing runs, exit code 1.
    const wrong = await cli(...args.map((a) => (a === user.slug ? 'no-such-org' : a))).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(wrong?.code).toBe(1);
    expect(wrong?.stderr).toMatch(/is not a user of no-such-org/);
  });
});
