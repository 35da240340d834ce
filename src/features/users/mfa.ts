import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { openSealedSecret, sealSecret } from '../../platform/auth/sealed-secret.js';

/** RFC 6238 parameters every authenticator app understands. */
const TOTP_PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
const ISSUER = 'Entente';
const SEAL_PURPOSE = 'mfa-secret';
/** Accept the previous and the next 30-second step: phones drift. */
const WINDOW = 1;

/**
 * What `users.mfa_secret` holds: the TOTP secret sealed under the platform key (bound to the user
 * id), and the last time step a code was accepted for, so a code cannot be replayed within its
 * window. The step is not secret; keeping it next to the seal lets a compare-and-set update on the
 * column reject two concurrent uses of one code.
 */
export interface StoredMfa {
  sealed: string;
  lastStep: number | null;
}

/** A fresh 160-bit TOTP secret, base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** Serialises the stored MFA state for `users.mfa_secret`. */
export function storeMfa(
  secretKey: string,
  userId: string,
  secretBase32: string,
  lastStep: number | null,
): string {
  return JSON.stringify({ sealed: sealSecret(secretKey, SEAL_PURPOSE, userId, secretBase32), lastStep });
}

/** Parses `users.mfa_secret`; throws when the value is not ours or does not open for this user. */
export function readMfa(
  secretKey: string,
  userId: string,
  stored: string,
): { secret: string; lastStep: number | null } {
  const parsed = JSON.parse(stored) as Partial<StoredMfa>;
  if (typeof parsed.sealed !== 'string') throw new Error('Unreadable MFA state.');
  const secret = openSealedSecret(secretKey, SEAL_PURPOSE, userId, parsed.sealed);
  return { secret, lastStep: typeof parsed.lastStep === 'number' ? parsed.lastStep : null };
}

/** The same stored state with a new last-used step (the seal is kept as is). */
export function withLastStep(stored: string, lastStep: number): string {
  const parsed = JSON.parse(stored) as StoredMfa;
  return JSON.stringify({ sealed: parsed.sealed, lastStep });
}

function totp(secretBase32: string, label = 'user'): TOTP {
  return new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(secretBase32), ...TOTP_PARAMS });
}

/** The `otpauth://totp/…` URL an authenticator app imports (also encoded in the QR code). */
export function otpauthUrl(secretBase32: string, accountEmail: string): string {
  return totp(secretBase32, accountEmail).toString();
}

/** A PNG data URL of the QR code for the otpauth URL. */
export function qrDataUrl(url: string): Promise<string> {
  return QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/**
 * Checks a code at time `at` (the platform clock, never the wall clock) within ±1 step, and
 * returns the time step it belongs to, or null when it is wrong or was already used (its step is
 * not after `lastStep`).
 */
export function acceptTotp(
  secretBase32: string,
  code: string,
  at: Date,
  lastStep: number | null,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const t = totp(secretBase32);
  const timestamp = at.getTime();
  const delta = t.validate({ token: code, timestamp, window: WINDOW });
  if (delta === null) return null;
  const step = t.counter({ timestamp }) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}
