import { describe, expect, it } from 'vitest';
import { AGREEMENT_STATUSES, type AgreementStatus, type Role } from '../../domain/vocabulary.js';
import type { Actor } from '../../platform/auth/actor.js';
import { addDays, addMonths } from '../../platform/clock.js';
import { checkTransition, decideReview, type ReviewState, TRANSITIONS } from './agreements.lifecycle.js';
import { type AgreementAction, decide, type PermissionState, permissionsFor } from './agreements.policy.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const PARTY = 'org-party';
const OTHER = 'org-other';

function actor(roles: Role[], organizationId = PARTY, scopes: Actor['scopes'] = null): Actor {
  return { userId: 'u', organizationId, email: 'e', displayName: 'd', roles, via: 'token', scopes };
}

describe('decide: the authorization table (role × action) for a party and a non-party', () => {
  const facts = { status: 'active' as AgreementStatus, partyOrgIds: [PARTY, 'org-b'] };
  const actions: AgreementAction[] = [
    'read',
    'edit',
    'sign',
    'transition',
    'report_incident',
    'propose_extension',
    'consent_extension',
    'decline_extension',
  ];
  // What each role of a party organization may do.
  const table: Record<Role, AgreementAction[]> = {
    platform_admin: actions,
    org_admin: actions,
    liaison: ['read', 'report_incident'],
    analyst: ['read'],
    investigator: ['read'],
    auditor: ['read'],
    viewer: ['read'],
  };
  for (const [role, allowed] of Object.entries(table) as [Role, AgreementAction[]][]) {
    it(`party ${role}`, () => {
      const got = actions.filter((a) => decide(actor([role]), a, facts).allow);
      expect(got).toEqual(allowed);
    });
  }
  it('a non-party reads nothing, unless platform_admin (who may then edit and transition, never act for a party)', () => {
    for (const role of Object.keys(table) as Role[]) {
      const got = actions.filter((a) => decide(actor([role], OTHER), a, facts).allow);
      expect(got).toEqual(role === 'platform_admin' ? ['read', 'edit', 'transition'] : []);
    }
  });
  it('a read-only token may read but not write', () => {
    const a = actor(['org_admin'], PARTY, ['agreements:read']);
    expect(actions.filter((x) => decide(a, x, facts).allow)).toEqual(['read']);
  });
});

describe('checkTransition', () => {
  const base = {
    sunsetAt: addDays(NOW, 100),
    pilotEndsAt: addDays(NOW, 50),
    pilotSuccessCriteria: 'ok',
    allSigned: true,
  };
  it('follows the transition table for every pair', () => {
    for (const from of AGREEMENT_STATUSES) {
      for (const to of AGREEMENT_STATUSES) {
        const r = checkTransition({ ...base, status: from }, to, NOW);
        expect([from, to, r?.code ?? null]).toEqual([
          from,
          to,
          TRANSITIONS[from].includes(to) ? null : 'invalid_transition',
        ]);
      }
    }
  });
  it('names the missing precondition', () => {
    expect(checkTransition({ ...base, status: 'draft', allSigned: false }, 'active', NOW)?.code).toBe(
      'signatures_missing',
    );
    expect(checkTransition({ ...base, status: 'draft', pilotEndsAt: null }, 'pilot', NOW)?.code).toBe(
      'pilot_not_defined',
    );
    expect(checkTransition({ ...base, status: 'draft', pilotEndsAt: NOW }, 'pilot', NOW)?.code).toBe(
      'pilot_ended',
    );
    expect(checkTransition({ ...base, status: 'under_review', sunsetAt: NOW }, 'active', NOW)?.code).toBe(
      'sunset_passed',
    );
    // Stopping never waits for anything.
    expect(checkTransition({ ...base, status: 'suspended', sunsetAt: NOW }, 'terminated', NOW)).toBeNull();
  });
});

describe('decideReview', () => {
  const a: ReviewState = {
    status: 'active',
    validFrom: addDays(NOW, -10),
    sunsetAt: addDays(NOW, 100),
    pilotEndsAt: null,
    lastReviewedAt: null,
    exchangedSinceReview: 0,
    reviewTriggers: [],
  };
  it('does nothing without a due trigger', () => {
    expect(decideReview(a, NOW)).toBeNull();
  });
  it('expires any live status at the sunset, and never a draft or an ended one', () => {
    for (const status of AGREEMENT_STATUSES) {
      const d = decideReview({ ...a, status, sunsetAt: NOW }, NOW);
      const live = ['pilot', 'active', 'under_review', 'suspended'].includes(status);
      expect([status, d?.to ?? null]).toEqual([status, live ? 'expired' : null]);
    }
  });
  it('sends only pilot/active agreements to review', () => {
    const due = { ...a, exchangedSinceReview: 5, reviewTriggers: [{ kind: 'volume' as const, records: 4 }] };
    expect(decideReview(due, NOW)?.to).toBe('under_review');
    expect(decideReview({ ...due, status: 'suspended' }, NOW)).toBeNull();
    expect(decideReview({ ...due, status: 'under_review' }, NOW)).toBeNull();
  });
  it('periodic counts from the last review when there is one', () => {
    const p = { ...a, reviewTriggers: [{ kind: 'periodic' as const, months: 3 }] };
    expect(decideReview({ ...p, validFrom: addMonths(NOW, -3) }, NOW)?.to).toBe('under_review');
    expect(
      decideReview({ ...p, validFrom: addMonths(NOW, -9), lastReviewedAt: addDays(NOW, -1) }, NOW),
    ).toBeNull();
  });
  it('the sunset window fires until a review happens inside it', () => {
    const s = { ...a, sunsetAt: addDays(NOW, 10), reviewTriggers: [{ kind: 'sunset' as const, days: 10 }] };
    expect(decideReview(s, NOW)?.to).toBe('under_review');
    expect(decideReview({ ...s, lastReviewedAt: addDays(NOW, -1) }, NOW)?.to).toBe('under_review');
    expect(decideReview({ ...s, lastReviewedAt: NOW }, NOW)).toBeNull();
  });
});

describe('permissionsFor', () => {
  const s: PermissionState = {
    status: 'draft',
    partyOrgIds: [PARTY, 'org-b'],
    signedOrgIds: ['org-b'],
    sunsetAt: addDays(NOW, 100),
    pilotEndsAt: null,
    pilotSuccessCriteria: null,
    allSigned: false,
    pendingExtension: null,
  };
  it('offers only what is both authorized and possible now', () => {
    expect(permissionsFor(actor(['org_admin']), s, NOW)).toEqual(['edit', 'sign']);
    expect(
      permissionsFor(actor(['org_admin']), { ...s, signedOrgIds: [PARTY, 'org-b'], allSigned: true }, NOW),
    ).toEqual(['edit', 'transition:active']);
    const active = { ...s, status: 'active' as const, allSigned: true };
    expect(permissionsFor(actor(['org_admin']), active, NOW)).toEqual([
      'transition:under_review',
      'report_incident',
      'propose_extension',
    ]);
    expect(permissionsFor(actor(['liaison']), active, NOW)).toEqual(['report_incident']);
    expect(permissionsFor(actor(['viewer']), active, NOW)).toEqual([]);
    const pending = { ...active, pendingExtension: { consentedOrgIds: ['org-b'] } };
    expect(permissionsFor(actor(['org_admin']), pending, NOW)).toEqual([
      'transition:under_review',
      'report_incident',
      'consent_extension',
      'decline_extension',
    ]);
    expect(permissionsFor(actor(['org_admin'], 'org-b'), pending, NOW)).toEqual([
      'transition:under_review',
      'report_incident',
      'decline_extension',
    ]);
  });
});
