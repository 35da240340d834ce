import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bech32, bech32m, createBase58check } from '@scure/base';

/**
 * The address families we recognise. `eth` stands for every EVM chain (Ethereum, BNB Smart Chain,
 * Polygon, Arbitrum, USDT/USDC as ERC-20 tokens…): one key controls the same 20-byte address on
 * all of them, so a wallet seen on one chain and the same address on another are the same holder.
 */
export type CryptoCurrency = 'btc' | 'ltc' | 'doge' | 'trx' | 'eth';

/** A validated address: the family and its canonical text. */
export interface CryptoAddress {
  currency: CryptoCurrency;
  address: string;
}

const base58check = createBase58check(sha256);

// Version bytes of base58check addresses (P2PKH, P2SH; Tron's single form). Litecoin's legacy
// P2SH addresses reused Bitcoin's 0x05, so "3…" is Bitcoin unless the record says Litecoin.
const BASE58_VERSIONS = new Map<number, CryptoCurrency[]>([
  [0x00, ['btc']],
  [0x05, ['btc', 'ltc']],
  [0x30, ['ltc']],
  [0x32, ['ltc']],
  [0x1e, ['doge']],
  [0x16, ['doge']],
  [0x41, ['trx']],
]);

const SEGWIT_PREFIXES: Record<string, CryptoCurrency> = { bc: 'btc', ltc: 'ltc' };

const CURRENCY_ALIASES: Record<string, CryptoCurrency> = {
  btc: 'btc',
  xbt: 'btc',
  bitcoin: 'btc',
  ltc: 'ltc',
  litecoin: 'ltc',
  doge: 'doge',
  dogecoin: 'doge',
  trx: 'trx',
  tron: 'trx',
  trc20: 'trx',
  eth: 'eth',
  ether: 'eth',
  ethereum: 'eth',
  erc20: 'eth',
  evm: 'eth',
  bnb: 'eth',
  bsc: 'eth',
  bep20: 'eth',
  matic: 'eth',
  pol: 'eth',
  polygon: 'eth',
  arb: 'eth',
  arbitrum: 'eth',
  op: 'eth',
  optimism: 'eth',
  avax: 'eth',
  base: 'eth',
};

/**
 * The address family a currency label names ("BTC", "Bitcoin", "USDT-TRC20", "ERC20"), or null
 * when the label names none or several (plain "USDT" circulates on Tron and on EVM chains).
 */
export function cryptoCurrencyOf(label: string | null | undefined): CryptoCurrency | null {
  if (typeof label !== 'string') return null;
  const words = label.toLowerCase().split(/[^a-z0-9]+/);
  const found = new Set<CryptoCurrency>();
  for (const word of words) {
    const currency = CURRENCY_ALIASES[word];
    if (currency) found.add(currency);
  }
  return found.size === 1 ? [...found][0]! : null;
}

const URI_SCHEMES = /^(bitcoin|litecoin|dogecoin|ethereum|tron|btc|ltc|doge|trx|eth):/i;

function allZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}

function parseBase58(text: string, hint: CryptoCurrency | null): CryptoAddress | null {
  if (!/^[1-9A-HJ-NP-Za-km-z]{25,35}$/.test(text)) return null;
  let payload: Uint8Array;
  try {
    payload = base58check.decode(text);
  } catch {
    return null;
  }
  const version = payload[0];
  const candidates = version === undefined ? undefined : BASE58_VERSIONS.get(version);
  // Every family here hashes to 20 bytes; an all-zero hash is a burn address nobody holds.
  if (!candidates || payload.length !== 21 || allZero(payload.subarray(1))) return null;
  const currency = hint && candidates.includes(hint) ? hint : candidates[0]!;
  return { currency, address: text };
}

function parseSegwit(text: string): CryptoAddress | null {
  // BIP 173: an address is all lower case or all upper case; mixed case is a typing error.
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return null;
  const lower = text.toLowerCase();
  const classic = bech32.decodeUnsafe(lower);
  const modern = classic ? undefined : bech32m.decodeUnsafe(lower);
  const decoded = classic ?? modern;
  if (!decoded) return null;
  const currency = SEGWIT_PREFIXES[decoded.prefix];
  const [version, ...rest] = decoded.words;
  if (!currency || version === undefined || version > 16) return null;
  const program = bech32.fromWordsUnsafe(rest);
  if (!program || program.length < 2 || program.length > 40) return null;
  // BIP 350: version 0 keeps bech32 and a 20- or 32-byte program; later versions use bech32m.
  if (version === 0 && (!classic || (program.length !== 20 && program.length !== 32))) return null;
  if (version > 0 && !modern) return null;
  if (allZero(program)) return null;
  return { currency, address: lower };
}

/** The EIP-55 mixed-case form of a lower-case 40-digit hex address (without 0x). */
export function eip55Checksum(hexLower: string): string {
  const hash = keccak_256(new TextEncoder().encode(hexLower));
  let out = '';
  for (let i = 0; i < hexLower.length; i++) {
    const c = hexLower[i]!;
    const byte = hash[i >> 1] ?? 0;
    const nibble = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
    out += nibble >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

function parseEvm(text: string, hint: CryptoCurrency | null): CryptoAddress | null {
  const match = /^(0x)?([0-9a-fA-F]{40})$/.exec(text);
  const hex = match?.[2];
  // Bare 40-digit hex is also what other hashes look like; take it only when the record says EVM.
  if (!match || hex === undefined || (!match[1] && hint !== 'eth')) return null;
  const lower = hex.toLowerCase();
  const mixed = hex !== lower && hex !== hex.toUpperCase();
  // A mixed-case address carries an EIP-55 checksum; a wrong one means a mistyped address.
  if (mixed && eip55Checksum(lower) !== hex) return null;
  if (/^0+$/.test(lower)) return null;
  return { currency: 'eth', address: `0x${lower}` };
}

/**
 * A validated cryptocurrency address, or null. Recognised: Bitcoin P2PKH/P2SH (base58check),
 * SegWit v0 (bech32) and v1+ including Taproot (bech32m); Litecoin and Dogecoin in the same
 * encodings; Tron (base58check, version 0x41); EVM addresses (0x + 40 hex digits; a mixed-case
 * address must carry a correct EIP-55 checksum). Payment URIs ("bitcoin:…?amount=",
 * "ethereum:0x…@1") and our own "btc:"-style prefixes are accepted. `currencyHint` (the record's
 * currency, any label `cryptoCurrencyOf` understands) only settles addresses several families
 * share. Canonical text: base58 as written (it is case-sensitive), bech32 and EVM in lower case.
 * Testnet addresses are refused: they hold nothing of value.
 */
export function parseCryptoAddress(raw: string, currencyHint?: string | null): CryptoAddress | null {
  if (typeof raw !== 'string' || raw.length > 200) return null;
  const compact = raw.replace(/\s+/g, '');
  // A payment URI's scheme (or our own prefix) names the family more surely than a record field.
  const scheme = URI_SCHEMES.exec(compact)?.[1];
  const hint = cryptoCurrencyOf(scheme) ?? cryptoCurrencyOf(currencyHint);
  const text = compact
    .replace(URI_SCHEMES, '')
    .replace(/^\/\//, '')
    .replace(/[?@/].*$/, '');
  if (text.length === 0) return null;
  try {
    return parseEvm(text, hint) ?? parseSegwit(text) ?? parseBase58(text, hint);
  } catch {
    return null;
  }
}

/**
 * A cryptocurrency address as one canonical string `<currency>:<address>`
 * ("btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "eth:0x5aaeb605…"), or null; see
 * `parseCryptoAddress`. The currency is part of the key so that the rare address valid in two
 * families cannot link across them.
 */
export function normalizeCryptoAddress(raw: string, currencyHint?: string | null): string | null {
  const parsed = parseCryptoAddress(raw, currencyHint);
  return parsed ? `${parsed.currency}:${parsed.address}` : null;
}
