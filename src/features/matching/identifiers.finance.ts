import { electronicFormatIBAN, extractBIC, isValidIBAN } from 'ibantools';

/**
 * An IBAN in electronic format (upper case, no separators: "DE89370400440532013000"), or null
 * unless ibantools accepts it (country format, length and ISO 7064 mod-97 check digits). A leading
 * "IBAN" label, as printed on statements and letterheads, is ignored.
 */
export function normalizeIban(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 100) return null;
  const unlabelled = raw.trim().replace(/^IBAN\s*:?\s*/i, '');
  const electronic = electronicFormatIBAN(unlabelled.replace(/[.\s]/g, ''));
  return electronic && isValidIBAN(electronic) ? electronic : null;
}

/**
 * A BIC (ISO 9362) in upper case, or null unless ibantools accepts it. "XXX" is the branch code of
 * an institution's primary office, so an 11-character BIC ending in XXX and its 8-character form
 * name the same institution and both give the 8-character form; any other branch code is kept,
 * since it names a different office. Test BICs (location code ending in 0) are refused: they do
 * not identify a live institution.
 */
export function normalizeBic(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 40) return null;
  const compact = raw
    .trim()
    .replace(/^(BIC|SWIFT)(\s*(code|\/\s*BIC))?(\s*:\s*|\s+)/i, '')
    .replace(/[\s.-]/g, '')
    .toUpperCase();
  const bic = extractBIC(compact);
  if (!bic.valid || bic.testBIC) return null;
  const primary = compact.slice(0, 8);
  return bic.branchCode && bic.branchCode !== 'XXX' ? primary + bic.branchCode : primary;
}

/**
 * A domestic account number qualified by its bank ("DEUTDEFF:532013000"), or null when either
 * part is unusable. The bank is the institution's 8-character BIC, since the same account number
 * at two banks names two accounts, while a branch code does not change whom the account belongs to.
 * Leading zeros are dropped because spreadsheets drop them from numeric-looking cells, and banks
 * pad account numbers to a fixed width, so two numbers differing only in leading zeros are one.
 */
export function normalizeAccountNumber(raw: string, bic: string): string | null {
  if (typeof raw !== 'string' || raw.length > 100) return null;
  const bank = normalizeBic(bic)?.slice(0, 8);
  if (!bank) return null;
  const digits = raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s./-]/g, '');
  if (!/^[A-Z0-9]{4,34}$/.test(digits)) return null;
  const number = digits.replace(/^0+/, '');
  return number.length > 0 ? `${bank}:${number}` : null;
}
