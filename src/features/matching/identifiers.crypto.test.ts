import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, bech32m, createBase58check, hex } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cryptoCurrencyOf,
  eip55Checksum,
  normalizeCryptoAddress,
  parseCryptoAddress,
} from './identifiers.crypto.js';

const base58check = createBase58check(sha256);

// A fixed 20-byte hash (HASH160 of the secp256k1 generator point's public key, the hash the
// BIP 173 examples use) for building the address forms the BIPs do not list.
const HASH = hex.decode('751e76e8199196d454941c45d1b3a323f1433bd6');

function base58With(version: number, payload: Uint8Array): string {
  return base58check.encode(Uint8Array.of(version, ...payload));
}

function segwit(prefix: string, version: number, program: Uint8Array, modern: boolean): string {
  return (modern ? bech32m : bech32).encode(prefix, [version, ...bech32.toWords(program)]);
}

describe('Bitcoin addresses', () => {
  it.each([
    // P2PKH: the BIP 173 example key's legacy address, and the genesis block's coinbase address.
    ['1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH', 'btc:1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH'],
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
    // P2SH, the Bitcoin wiki's example.
    ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
    // BIP 173 examples: P2WPKH in both cases, P2WSH.
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
    [
      'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3',
      'btc:bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3',
    ],
    // BIP 350 / BIP 86: Taproot (v1), and the v2 and v16 vectors.
    [
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
      'btc:bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    ],
    ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', 'btc:bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs'],
    ['BC1SW50QGDZ25J', 'btc:bc1sw50qgdz25j'],
    // Payment URIs (BIP 21), surrounding and embedded white space, our own prefix.
    [
      'bitcoin:1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH?amount=0.5&label=x',
      'btc:1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH',
    ],
    ['BITCOIN:BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
    ['  1BgGZ9tcN4rm9KBz\nDn7KprQz87SZ26SAMH ', 'btc:1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH'],
    ['btc:1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH', 'btc:1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeCryptoAddress(raw)).toBe(expected);
  });

  it.each([
    ['1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMh', 'one character changed (checksum)'],
    ['1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAM', 'one character missing'],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'bech32 checksum broken'],
    ['bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'mixed case'],
    ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', 'testnet'],
    ['mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r', 'testnet P2PKH'],
    [segwit('bc', 1, HASH, false), 'witness v1 with a bech32 (not bech32m) checksum'],
    [segwit('bc', 0, HASH, true), 'witness v0 with a bech32m checksum'],
    [segwit('bc', 0, Uint8Array.of(...HASH, 1), false), 'witness v0 with a 21-byte program'],
    [segwit('bc', 1, Uint8Array.of(1), true), 'a 1-byte program'],
    [base58With(0x00, new Uint8Array(20)), 'the all-zero hash (a burn address)'],
    [base58With(0x00, HASH.slice(0, 19)), 'a 19-byte hash'],
    [base58With(0x80, HASH), 'an unknown version byte (a private-key prefix)'],
    ['1111111111111111111114oLvT2', 'the all-zero hash, as usually written'],
    ['', 'empty'],
    ['bitcoin:', 'a bare scheme'],
  ])('%s → null: %s', (raw) => {
    expect(normalizeCryptoAddress(raw)).toBeNull();
  });

  const hash20 = fc.uint8Array({ minLength: 20, maxLength: 20 }).filter((b) => b.some((x) => x !== 0));

  it('accepts every well-formed address and rejects one-character errors in it', () => {
    const alphabet = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
    fc.assert(
      fc.property(hash20, fc.nat(), fc.nat(), (program, at, shift) => {
        const address = segwit('bc', 0, program, false);
        expect(normalizeCryptoAddress(address)).toBe(`btc:${address}`);
        expect(normalizeCryptoAddress(address.toUpperCase())).toBe(`btc:${address}`);
        // bech32 detects any single substitution in the data part (BIP 173).
        const i = 3 + (at % (address.length - 3));
        const original = address[i]!;
        const replacement = alphabet[(alphabet.indexOf(original) + 1 + (shift % 31)) % 32]!;
        expect(normalizeCryptoAddress(address.slice(0, i) + replacement + address.slice(i + 1))).toBeNull();
      }),
    );
  });

  it('accepts every base58check P2PKH and P2SH address, unchanged', () => {
    fc.assert(
      fc.property(hash20, fc.constantFrom(0x00, 0x05), (payload, version) => {
        const address = base58With(version, payload);
        expect(parseCryptoAddress(address)).toEqual({ currency: 'btc', address });
      }),
    );
  });
});

describe('other base58 and bech32 families', () => {
  it('recognises Tron addresses (version 0x41)', () => {
    // From the Tron documentation and the CryptoTron::AddrTools manual.
    expect(normalizeCryptoAddress('TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp')).toBe(
      'trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp',
    );
    expect(normalizeCryptoAddress('TQHgMpVzWkhSsRB4BzZgmV8uW4cFL8eaBr')).toBe(
      'trx:TQHgMpVzWkhSsRB4BzZgmV8uW4cFL8eaBr',
    );
    expect(normalizeCryptoAddress('TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUq')).toBeNull();
    expect(normalizeCryptoAddress('TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp', 'USDT-TRC20')).toBe(
      'trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp',
    );
  });

  it('recognises Litecoin and Dogecoin addresses', () => {
    const ltcLegacy = base58With(0x30, HASH);
    const ltcP2sh = base58With(0x32, HASH);
    const ltcSegwit = segwit('ltc', 0, HASH, false);
    const doge = base58With(0x1e, HASH);
    expect(ltcLegacy.startsWith('L')).toBe(true);
    expect(doge.startsWith('D')).toBe(true);
    expect(normalizeCryptoAddress(ltcLegacy)).toBe(`ltc:${ltcLegacy}`);
    expect(normalizeCryptoAddress(ltcP2sh)).toBe(`ltc:${ltcP2sh}`);
    expect(normalizeCryptoAddress(ltcSegwit.toUpperCase())).toBe(`ltc:${ltcSegwit}`);
    expect(normalizeCryptoAddress(doge)).toBe(`doge:${doge}`);
  });

  it('reads the shared "3…" P2SH form as Bitcoin unless the record says Litecoin, and keeps that', () => {
    const address = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
    expect(normalizeCryptoAddress(address)).toBe(`btc:${address}`);
    expect(normalizeCryptoAddress(address, 'BTC')).toBe(`btc:${address}`);
    expect(normalizeCryptoAddress(address, 'Litecoin')).toBe(`ltc:${address}`);
    expect(normalizeCryptoAddress(`ltc:${address}`)).toBe(`ltc:${address}`);
    expect(normalizeCryptoAddress(`litecoin:${address}`, 'BTC')).toBe(`ltc:${address}`);
  });

  it('does not let a currency label turn one family into another', () => {
    expect(normalizeCryptoAddress('1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH', 'ETH')).toBe(
      'btc:1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH',
    );
    expect(normalizeCryptoAddress('TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp', 'BTC')).toBe(
      'trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp',
    );
  });
});

describe('EVM addresses', () => {
  // The test cases of EIP-55.
  const checksummed = [
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ];
  const singleCase = [
    '0x52908400098527886E0F7030069857D2E4169EE7',
    '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
    '0xde709f2102306220921060314715629080e2fb77',
    '0x27b1fdb04752bbc536007a920d24acb045561c26',
  ];

  it.each([...checksummed, ...singleCase])('accepts %s as lower case', (address) => {
    expect(normalizeCryptoAddress(address)).toBe(`eth:${address.toLowerCase()}`);
  });

  it('computes the EIP-55 checksum of the specification and of the Tron documentation', () => {
    for (const address of checksummed)
      expect(`0x${eip55Checksum(address.slice(2).toLowerCase())}`).toBe(address);
    // Tron's documentation shows TBhCf…'s 20 bytes as this EVM address.
    expect(eip55Checksum('12e94f5a3c88b17d2f6e0b9a45cd310f8e7a6d29')).toBe(
      '12E94f5a3c88b17d2F6E0b9a45Cd310f8E7a6D29',
    );
  });

  it.each([
    ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', 'a wrong EIP-55 checksum'],
    ['0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'a wrong EIP-55 checksum'],
    ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe', '39 digits'],
    ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd', '41 digits'],
    ['0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg', 'not hexadecimal'],
    ['0x0000000000000000000000000000000000000000', 'the zero address'],
    ['5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', 'bare hex without an EVM currency'],
  ])('%s → null: %s', (raw) => {
    expect(normalizeCryptoAddress(raw)).toBeNull();
  });

  it('reads bare hex, payment URIs and every EVM chain as the same address', () => {
    const canonical = 'eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed';
    expect(normalizeCryptoAddress('5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', 'ETH')).toBe(canonical);
    expect(normalizeCryptoAddress('ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed@1')).toBe(canonical);
    expect(
      normalizeCryptoAddress('ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed@56/transfer?value=1'),
    ).toBe(canonical);
    for (const chain of ['ETH', 'BNB', 'Polygon', 'USDT (ERC20)', 'BEP20', 'Arbitrum'])
      expect(normalizeCryptoAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', chain)).toBe(canonical);
    expect(normalizeCryptoAddress(canonical)).toBe(canonical);
  });

  it('rejects a change of case in any letter of a checksummed address', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.nat(), (bytes, pick) => {
        const lower = hex.encode(bytes);
        const mixed = eip55Checksum(lower);
        expect(normalizeCryptoAddress(`0x${mixed}`)).toBe(/^0+$/.test(lower) ? null : `eth:0x${lower}`);
        const letters = [...mixed].flatMap((c, i) => (/[a-f]/i.test(c) ? [i] : []));
        const i = letters[pick % Math.max(letters.length, 1)];
        if (i === undefined) return;
        const c = mixed[i]!;
        const flipped =
          mixed.slice(0, i) +
          (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) +
          mixed.slice(i + 1);
        // Flipping the only upper-case letter leaves an all-lower-case address, which has no checksum.
        if (flipped === lower || flipped === lower.toUpperCase()) return;
        expect(normalizeCryptoAddress(`0x${flipped}`)).toBeNull();
      }),
    );
  });
});

describe('cryptoCurrencyOf', () => {
  it.each([
    ['BTC', 'btc'],
    ['Bitcoin', 'btc'],
    ['XBT', 'btc'],
    ['usdt-trc20', 'trx'],
    ['TRON', 'trx'],
    ['ETH', 'eth'],
    ['USDT ERC20', 'eth'],
    ['LTC', 'ltc'],
    ['Dogecoin', 'doge'],
    ['USDT', null],
    ['BTC/ETH', null],
    ['', null],
    [null, null],
  ])('%s → %s', (label, expected) => {
    expect(cryptoCurrencyOf(label)).toBe(expected);
  });
});

describe('crypto normalization on any text', () => {
  it('never throws and is idempotent', () => {
    const addressish = fc.string({
      unit: fc.constantFrom(...'13bcqTx0AaFf9:?@/ ltcpzry'.split('')),
      maxLength: 50,
    });
    fc.assert(
      fc.property(
        fc.oneof(addressish, fc.string({ unit: 'binary', maxLength: 60 })),
        fc.constantFrom(undefined, 'LTC', 'ETH'),
        (raw, hint) => {
          const once = normalizeCryptoAddress(raw, hint);
          if (once !== null) expect(normalizeCryptoAddress(once)).toBe(once);
        },
      ),
    );
  });
});
