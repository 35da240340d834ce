import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** argon2id cost parameters (see Config.argon2). */
export interface Argon2Cost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

// @node-rs/argon2's Algorithm is a const enum; 2 is Argon2id. Spelled out because isolatedModules
// cannot inline ambient const enums.
const ARGON2ID = 2;

/** Hashes a password with argon2id. */
export function hashPassword(password: string, cost: Argon2Cost): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...cost });
}

/** Verifies a password against an argon2id hash; false on any malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A random opaque secret with a recognisable prefix (`ent_` for API tokens, `ses_` for sessions). */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * Tokens and session ids are stored as SHA-256 hashes: they are 256-bit random values, so a fast
 * hash is enough (no dictionary to attack), and lookups stay indexable.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
