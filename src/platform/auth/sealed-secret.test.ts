import { describe, expect, it } from 'vitest';
import { openSealedSecret, sealSecret } from './sealed-secret.js';

const KEY = 'a-test-secret-key-that-is-long-enough-1234';

describe('sealed secrets (AES-256-GCM)', () => {
  it('round-trips and never repeats a ciphertext', () => {
    const a = sealSecret(KEY, 'mfa', 'user-1', 'JBSWY3DPEHPK3PXP');
    const b = sealSecret(KEY, 'mfa', 'user-1', 'JBSWY3DPEHPK3PXP');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(a.startsWith('v1.')).toBe(true);
    expect(openSealedSecret(KEY, 'mfa', 'user-1', a)).toBe('JBSWY3DPEHPK3PXP');
    expect(openSealedSecret(KEY, 'mfa', 'user-1', b)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses another binding, purpose or key, and any tampering', () => {
    const sealed = sealSecret(KEY, 'mfa', 'user-1', 'secret');
    expect(() => openSealedSecret(KEY, 'mfa', 'user-2', sealed)).toThrow();
    expect(() => openSealedSecret(KEY, 'other', 'user-1', sealed)).toThrow();
    expect(() => openSealedSecret(`${KEY}x`, 'mfa', 'user-1', sealed)).toThrow();
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3] ?? '', 'base64url');
    ct[0] = (ct[0] ?? 0) ^ 1;
    const tampered = [parts[0], parts[1], parts[2], ct.toString('base64url')].join('.');
    expect(() => openSealedSecret(KEY, 'mfa', 'user-1', tampered)).toThrow();
    expect(() => openSealedSecret(KEY, 'mfa', 'user-1', 'garbage')).toThrow();
  });
});
