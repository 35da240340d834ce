import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/context.js';

describe('HTTP platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });

  it('answers health with the database kind', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', databaseOk: true });
    expect(['pglite', 'postgres']).toContain(res.json().database);
  });

  it('publishes OpenAPI 3.1 covering every API route, and interactive docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/records',
      '/api/v1/records/{id}',
      '/api/v1/organizations',
      '/api/v1/agreements',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
  });

  it('sends security headers and no CORS headers', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers unknown API routes with a problem+json 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('not_found');
  });

  it('rejects oversized and malformed bodies with problem+json, never 500', async () => {
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      payload: `{"schema":"${'x'.repeat(2_000_000)}"}`,
    });
    expect([401, 413]).toContain(big.statusCode);
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organizations',
      headers: { 'content-type': 'application/json' },
      payload: '{"slug": ',
    });
    expect(malformed.statusCode).toBeLessThan(500);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
  });
});

describe('cross-origin writes', () => {
  it('refuses a foreign Origin on a write (including sign-in) and accepts the same origin', async () => {
    const t = await createTestApp();
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: 'https://evil.example', host: 'entente.example' },
      payload: { email: 'a@b.example', password: 'x'.repeat(12) },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('cross_origin');
    const same = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: 'https://entente.example', host: 'entente.example' },
      payload: { email: 'nobody@b.example', password: 'x'.repeat(12) },
    });
    expect(same.statusCode).toBe(401);
  });
});
