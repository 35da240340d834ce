import type { AgreementStatus } from '../../domain/vocabulary.js';
import { addMonths, DAY_MS } from '../../platform/clock.js';
import type { ReviewTrigger } from '../../platform/db/schema.js';

/**
 * The transitions people may make. `expired` is absent on purpose: only the sunset makes an
 * agreement expire (the review job). `suspended` is reached by a decision at the end of a review or,
 * from `pilot`/`active`/`under_review`, at once by an incident report (see INCIDENT_STATUSES).
 */
export const TRANSITIONS: Readonly<Record<AgreementStatus, readonly AgreementStatus[]>> = {
  draft: ['pilot', 'active'],
  pilot: ['active', 'under_review', 'terminated'],
  active: ['under_review'],
  under_review: ['active', 'suspended', 'terminated'],
  suspended: ['under_review', 'terminated'],
  terminated: [],
  expired: [],
};

/** Statuses in which a party may report an incident (a draft has no flows to suspend; ended ones none left). */
export const INCIDENT_STATUSES: readonly AgreementStatus[] = ['pilot', 'active', 'under_review', 'suspended'];

/** Statuses in which the parties may propose (and consent to) a new sunset. */
export const EXTENDABLE_STATUSES: readonly AgreementStatus[] = [
  'pilot',
  'active',
  'under_review',
  'suspended',
];

/** Statuses the review job looks at: the flowing ones for triggers, all live ones for the sunset. */
export const REVIEWABLE_STATUSES: readonly AgreementStatus[] = ['pilot', 'active'];
export const LIVE_STATUSES: readonly AgreementStatus[] = ['pilot', 'active', 'under_review', 'suspended'];

/** A narrowing check that a stored status string is one of ours. */
export function isAgreementStatus(s: string): s is AgreementStatus {
  return s in TRANSITIONS;
}

/** What a transition depends on besides the current status. */
export interface TransitionState {
  status: AgreementStatus;
  sunsetAt: Date;
  pilotEndsAt: Date | null;
  pilotSuccessCriteria: string | null;
  allSigned: boolean;
}

export type TransitionRefusalCode =
  | 'invalid_transition'
  | 'signatures_missing'
  | 'sunset_passed'
  | 'pilot_not_defined'
  | 'pilot_ended';

export interface TransitionRefusal {
  code: TransitionRefusalCode;
  detail: string;
}

/**
 * Null when a person may move the agreement from its status to `to` at `now`, otherwise why not.
 * Activation (to `pilot` or `active` from `draft`) needs every party's signature; an agreement
 * cannot start flowing (again) once its sunset has passed; a pilot needs its end date and
 * success criteria and an end date still ahead.
 */
export function checkTransition(
  state: TransitionState,
  to: AgreementStatus,
  now: Date,
): TransitionRefusal | null {
  if (!TRANSITIONS[state.status].includes(to)) {
    return { code: 'invalid_transition', detail: `An agreement cannot go from ${state.status} to ${to}.` };
  }
  switch (to) {
    case 'pilot':
    case 'active':
      if (state.status === 'draft' && !state.allSigned) {
        return { code: 'signatures_missing', detail: 'Every party must sign before the agreement starts.' };
      }
      if (now >= state.sunsetAt) {
        return { code: 'sunset_passed', detail: 'The sunset date has passed; extend the agreement first.' };
      }
      if (to === 'pilot') {
        if (state.pilotEndsAt === null || !state.pilotSuccessCriteria) {
          return { code: 'pilot_not_defined', detail: 'A pilot needs an end date and success criteria.' };
        }
        if (now >= state.pilotEndsAt) {
          return { code: 'pilot_ended', detail: 'The pilot end date has already passed.' };
        }
      }
      return null;
    case 'draft':
    case 'under_review':
    case 'suspended':
    case 'terminated':
    case 'expired':
      return null;
  }
}

/** The statuses a person could move the agreement to right now (for `permissions`). */
export function allowedTargets(state: TransitionState, now: Date): AgreementStatus[] {
  return TRANSITIONS[state.status].filter((to) => checkTransition(state, to, now) === null);
}

/** True when leaving `from` for `to` concludes a review: the review date is set and the volume counter reset. */
export function concludesReview(from: AgreementStatus, _to: AgreementStatus): boolean {
  return from === 'under_review';
}

/**
 * True when the transition settles the open incidents: a review reached a decision, or a
 * suspended agreement was ended. Moving from suspended into review leaves them open, since
 * the review has only begun.
 */
export function resolvesIncidents(from: AgreementStatus, to: AgreementStatus): boolean {
  return from === 'under_review' || (from === 'suspended' && to === 'terminated');
}

/** Why the review job acted. `pilot_end` is not a configurable trigger: every pilot is reviewed at its end. */
export type TriggerHit =
  | { kind: 'pilot_end'; endsAt: string }
  | { kind: 'sunset'; days: number; sunsetAt: string }
  | { kind: 'periodic'; months: number; dueAt: string }
  | { kind: 'volume'; records: number; exchanged: number };

export interface ReviewState {
  status: AgreementStatus;
  validFrom: Date;
  sunsetAt: Date;
  pilotEndsAt: Date | null;
  lastReviewedAt: Date | null;
  exchangedSinceReview: number;
  reviewTriggers: ReviewTrigger[];
}

export type ReviewDecision =
  | { to: 'expired'; trigger: { kind: 'sunset_passed'; sunsetAt: string } }
  | { to: 'under_review'; triggers: TriggerHit[] };

/**
 * What the review job must do with an agreement at `now`, or null. Idempotent by construction:
 * the result depends only on stored state, and acting on it changes that state so that the same
 * decision is not taken twice (an agreement under review is not sent to review again; a sunset
 * window that was reviewed within the window — `lastReviewedAt` inside it — does not fire again).
 */
export function decideReview(a: ReviewState, now: Date): ReviewDecision | null {
  if (!LIVE_STATUSES.includes(a.status)) return null;
  if (now >= a.sunsetAt) {
    return { to: 'expired', trigger: { kind: 'sunset_passed', sunsetAt: a.sunsetAt.toISOString() } };
  }
  if (!REVIEWABLE_STATUSES.includes(a.status)) return null;
  const hits: TriggerHit[] = [];
  if (a.status === 'pilot' && a.pilotEndsAt !== null && now >= a.pilotEndsAt) {
    hits.push({ kind: 'pilot_end', endsAt: a.pilotEndsAt.toISOString() });
  }
  for (const t of a.reviewTriggers) {
    switch (t.kind) {
      case 'sunset': {
        const windowStart = new Date(a.sunsetAt.getTime() - t.days * DAY_MS);
        const reviewedInWindow = a.lastReviewedAt !== null && a.lastReviewedAt >= windowStart;
        if (now >= windowStart && !reviewedInWindow) {
          hits.push({ kind: 'sunset', days: t.days, sunsetAt: a.sunsetAt.toISOString() });
        }
        break;
      }
      case 'periodic': {
        const dueAt = addMonths(a.lastReviewedAt ?? a.validFrom, t.months);
        if (now >= dueAt) hits.push({ kind: 'periodic', months: t.months, dueAt: dueAt.toISOString() });
        break;
      }
      case 'volume':
        if (a.exchangedSinceReview > t.records) {
          hits.push({ kind: 'volume', records: t.records, exchanged: a.exchangedSinceReview });
        }
        break;
      case 'incident':
        // Incidents act when reported (the agreement is suspended at once), not on a schedule.
        break;
    }
  }
  return hits.length > 0 ? { to: 'under_review', triggers: hits } : null;
}
