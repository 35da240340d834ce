import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const keyCache = new Map<string, Buffer>();

/**
 * A 256-bit key for one purpose, derived from the platform secret with HKDF-SHA256. Separate
 * purposes get unrelated keys, so a key leaked from one use does not open another.
 */
function derivedKey(secretKey: string, purpose: string): Buffer {
  const cacheKey = `${purpose}\u0000${secretKey}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secretKey, 'entente-sealed-secret', `entente:${purpose}`, 32));
    keyCache.set(cacheKey, key);
  }
  return key;
}

/**
 * Encrypts a small secret with AES-256-GCM under a key derived from `secretKey` for `purpose`.
 * `boundTo` (e.g. the owning user's id) is authenticated but not stored: a sealed value copied
 * onto another row does not open there. Output: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export function sealSecret(secretKey: string, purpose: string, boundTo: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', derivedKey(secretKey, purpose), iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/**
 * Decrypts what `sealSecret` produced with the same key, purpose and binding. Throws on any
 * tampering, a wrong key or a wrong binding (GCM authentication fails).
 */
export function openSealedSecret(
  secretKey: string,
  purpose: string,
  boundTo: string,
  sealed: string,
): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new Error('Not a sealed secret (unknown format).');
  }
  const decipher = createDecipheriv(
    'aes-256-gcm',
    derivedKey(secretKey, purpose),
    Buffer.from(iv, 'base64url'),
    { authTagLength: TAG_BYTES },
  );
  decipher.setAAD(Buffer.from(boundTo, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}
