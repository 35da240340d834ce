/**
 * The CLI end to end, as an operator uses it: each command runs in its own process against a
 * PGlite data directory (one process at a time may open it), then the API checks the result.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openRuntime } from '../../src/runtime.js';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

describe.skipIf(!!process.env.DATABASE_URL)('entente CLI (embedded database)', () => {
  let dir: string;
  const env = () => ({ ...process.env, ENTENTE_DATA_DIR: dir, NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  const cli = (...args: string[]) => run(TSX, ['src/main.ts', ...args], { env: env(), timeout: 90_000 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'entente-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates, loads the demo, creates a user and a token that the API accepts', async () => {
    expect((await cli('migrate')).stdout).toMatch(/applied: 0001_foundation/);
    expect((await cli('migrate')).stdout).toMatch(/up to date/);
    expect((await cli('demo')).stdout).toMatch(/demo scenario loaded/);
    expect((await cli('demo')).stdout).toMatch(/already holds data/);

    const created = await cli(
      'user',
      'create',
      '--email',
      'cli.analyst@kestrel.demo.entente.example',
      '--org',
      'kestrel-bureau',
      '--name',
      'CLI Analyst',
      '--role',
      'analyst',
      '--password',
      'a-long-enough-password',
    );
    expect(created.stdout).toMatch(/created user cli\.analyst@kestrel/);

    const token = await cli(
      'token',
      'create',
      '--user',
      'cli.analyst@kestrel.demo.entente.example',
      '--scope',
      'records:read',
    );
    const lines = token.stdout.trim().split('\n');
    const secret = lines[lines.length - 1] ?? '';
    expect(secret).toMatch(/^ent_/);

    const runtime = await openRuntime(loadConfig({ NODE_ENV: 'test', ENTENTE_DATA_DIR: dir }));
    try {
      const app = await buildApp(runtime.ctx);
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/records?limit=5',
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().total).toBeGreaterThan(0);
      const write = await app.inject({
        method: 'POST',
        url: '/api/v1/records',
        headers: { authorization: `Bearer ${secret}` },
        payload: {
          schema: 'Company',
          properties: { name: ['Blue Lagoon Holdings'] },
          handling: { tlp: 'TLP:AMBER', codes: ['H0'] },
          evaluation: { scheme: 'eu4x4', source: 'B', information: '2' },
          crimeAreas: ['money_laundering'],
          purposes: ['criminal_investigation'],
        },
      });
      // The token was created with records:read only.
      expect(write.statusCode).toBe(403);
      expect(write.json().code).toBe('insufficient_scope');
      await app.close();
    } finally {
      await runtime.close();
    }
  }, 240_000);

  it('explains bad usage and refuses to serve with the demo secret outside demo mode', async () => {
    await expect(cli('user', 'create', '--email', 'x@y.z')).rejects.toMatchObject({ code: 1 });
    const refused = await cli('serve', '--port', '0').catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toMatch(/demo secret/);
    const help = await cli('token', 'create', '--help');
    expect(help.stdout).toMatch(/printed as the last line/);
  }, 120_000);
});
