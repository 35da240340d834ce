import { type AgreementStatus, FLOWING_AGREEMENT_STATUSES } from '../../domain/vocabulary.js';

/** The fields of an agreement that decide whether data flows under it at a moment. */
export interface AgreementValidity {
  status: string;
  valid_from: Date;
  sunset_at: Date;
  pilot_ends_at: Date | null;
}

/**
 * True when data may flow under the agreement at `now`: it is `pilot` or `active`, `now` is within
 * [valid_from, sunset_at), and a pilot has not passed its end date. The status alone is not
 * trusted: an agreement whose sunset passed stops at that instant, before any job marks it expired.
 * The SQL twin of this rule is `agreementInForceSql` in policy.ts; the access property test checks they agree.
 */
export function agreementInForce(a: AgreementValidity, now: Date): boolean {
  if (!FLOWING_AGREEMENT_STATUSES.includes(a.status as AgreementStatus)) return false;
  if (now < a.valid_from || now >= a.sunset_at) return false;
  if (a.status === 'pilot' && a.pilot_ends_at !== null && now >= a.pilot_ends_at) return false;
  return true;
}
