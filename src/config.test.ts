import { describe, expect, it } from 'vitest';
import { assertSafeToServe, ConfigError, DEMO_SECRET_KEY, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to the embedded database in ./data', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(loadConfig({ ENTENTE_DATA_DIR: '/tmp/x' }).dataDir).toBe('/tmp/x');
  });

  it('refuses demo mode, the demo secret and short secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, { demo: true })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ENTENTE_SECRET_KEY must be set/);
    expect(() => loadConfig({ NODE_ENV: 'production', ENTENTE_SECRET_KEY: DEMO_SECRET_KEY })).toThrow(
      /demo secret/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', ENTENTE_SECRET_KEY: 'short' })).toThrow(
      /32 characters/,
    );
    const ok = loadConfig({ NODE_ENV: 'production', ENTENTE_SECRET_KEY: 'k'.repeat(40) });
    expect(ok.secureCookies).toBe(true);
  });

  it('refuses to serve outside demo mode with the demo secret', () => {
    expect(() => assertSafeToServe(loadConfig({ NODE_ENV: 'development' }))).toThrow(/demo secret/);
    expect(() => assertSafeToServe(loadConfig({ NODE_ENV: 'development' }, { demo: true }))).not.toThrow();
    expect(() =>
      assertSafeToServe(
        loadConfig({ NODE_ENV: 'development', ENTENTE_SECRET_KEY: 'a-real-secret-of-enough-length-1234' }),
      ),
    ).not.toThrow();
  });

  it('rejects malformed numbers with the variable name', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be/);
  });
});
