import { resolve } from 'node:path';

/** The one validated configuration object, built from the environment and CLI flags. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** PostgreSQL connection string; absent means embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory (`memory://` for an in-memory database). */
  dataDir: string;
  /** NATS server for the event bus; absent means the in-process bus. */
  natsUrl?: string;
  /** Secret for keyed hashes (MFA secret encryption, later blind keys). */
  secretKey: string;
  demo: boolean;
  /** Session lifetime, in minutes of inactivity, and absolute maximum in hours. */
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** Login protection: failures before lockout, and lockout length. */
  lockoutThreshold: number;
  lockoutMinutes: number;
  /** Requests per minute per IP on the login route. */
  loginRateLimitPerMinute: number;
  /** Serve cookies with the Secure attribute (behind TLS). */
  secureCookies: boolean;
  /** Interval of background jobs, in milliseconds; 0 disables them (tests run them by hand). */
  jobIntervalMs: number;
  /** argon2id cost; tests lower it, production keeps the OWASP-recommended defaults. */
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  bodyLimitBytes: number;
  logLevel: string;
  /**
   * Which proxies to trust for the client address (Fastify's `trustProxy`): false (default), true,
   * a hop count, or comma-separated addresses/CIDRs. Set it behind a reverse proxy so audit entries
   * and login rate limits see the real client.
   */
  trustProxy: boolean | number | string;
  /** Days an expired or retracted record's content is kept before it is purged to a tombstone. */
  purgeGraceDays: number;
}

/** The well-known secret the demo runs with. Production refuses to start with it. */
export const DEMO_SECRET_KEY = 'entente-demo-secret-key-not-for-production-use';

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

/**
 * Builds the configuration. Throws ConfigError with a clear message on a weak or inconsistent
 * setting: production refuses demo mode, the demo secret and short secrets.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: { port?: number; demo?: boolean } = {},
): Config {
  const nodeEnv =
    env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const demo = flags.demo ?? env.ENTENTE_DEMO === '1';
  const secretKey = env.ENTENTE_SECRET_KEY ?? (demo || nodeEnv !== 'production' ? DEMO_SECRET_KEY : '');
  const config: Config = {
    env: nodeEnv,
    port: flags.port ?? intFrom(env, 'PORT', 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.ENTENTE_DATA_DIR
      ? env.ENTENTE_DATA_DIR.startsWith('memory://')
        ? env.ENTENTE_DATA_DIR
        : resolve(env.ENTENTE_DATA_DIR)
      : resolve('data'),
    natsUrl: env.NATS_URL || undefined,
    secretKey,
    demo,
    sessionIdleMinutes: intFrom(env, 'ENTENTE_SESSION_IDLE_MINUTES', 60),
    sessionMaxHours: intFrom(env, 'ENTENTE_SESSION_MAX_HOURS', 12),
    lockoutThreshold: intFrom(env, 'ENTENTE_LOCKOUT_THRESHOLD', 5),
    lockoutMinutes: intFrom(env, 'ENTENTE_LOCKOUT_MINUTES', 15),
    loginRateLimitPerMinute: intFrom(env, 'ENTENTE_LOGIN_RATE_LIMIT', 10),
    secureCookies: env.ENTENTE_SECURE_COOKIES === '1' || nodeEnv === 'production',
    jobIntervalMs: intFrom(env, 'ENTENTE_JOB_INTERVAL_MS', 60_000),
    argon2:
      nodeEnv === 'test'
        ? { memoryCost: 1024, timeCost: 2, parallelism: 1 }
        : { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
    bodyLimitBytes: intFrom(env, 'ENTENTE_BODY_LIMIT', 1_048_576),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    trustProxy: parseTrustProxy(env.ENTENTE_TRUST_PROXY),
    purgeGraceDays: intFrom(env, 'ENTENTE_PURGE_GRACE_DAYS', 30),
  };
  if (config.env === 'production') {
    if (config.demo) throw new ConfigError('Demo mode is not for production: unset ENTENTE_DEMO / --demo.');
    if (!env.ENTENTE_SECRET_KEY) throw new ConfigError('ENTENTE_SECRET_KEY must be set in production.');
    if (config.secretKey === DEMO_SECRET_KEY)
      throw new ConfigError('ENTENTE_SECRET_KEY is the demo secret; set a real one.');
    if (config.secretKey.length < 32)
      throw new ConfigError('ENTENTE_SECRET_KEY must be at least 32 characters.');
  }
  return config;
}

/**
 * Refuses to serve outside demo mode with the demo secret: a real deployment must set its own
 * ENTENTE_SECRET_KEY. Tests and the demo are exempt.
 */
export function assertSafeToServe(config: Config): void {
  if (!config.demo && config.env !== 'test' && config.secretKey === DEMO_SECRET_KEY) {
    throw new ConfigError(
      'Refusing to start outside demo mode with the demo secret: set ENTENTE_SECRET_KEY (or run with --demo).',
    );
  }
}
