import type { AgreementStatus } from '../../domain/vocabulary.js';
import { type Actor, hasRole, hasScope } from '../../platform/auth/actor.js';
import {
  allowedTargets,
  EXTENDABLE_STATUSES,
  INCIDENT_STATUSES,
  type TransitionState,
} from './agreements.lifecycle.js';

/**
 * Which agreements a reader may see: all of them (platform administrators, the system) or those
 * their organization is a party to. Store reads take this and turn it into SQL, so lists are
 * filtered in the database with the same rule `mayRead` applies to one agreement.
 */
export type AgreementReadScope = { kind: 'all' } | { kind: 'party'; organizationId: string };

/** The read scope of an actor: platform administrators see every agreement, everyone else their parties'. */
export function agreementReadScope(actor: Actor): AgreementReadScope {
  return hasRole(actor, 'platform_admin')
    ? { kind: 'all' }
    : { kind: 'party', organizationId: actor.organizationId };
}

/** The scope for background jobs, which act for the platform on every agreement. */
export const SYSTEM_SCOPE: AgreementReadScope = { kind: 'all' };

/** The facts about an agreement that authorization looks at. */
export interface AgreementFacts {
  status: AgreementStatus;
  partyOrgIds: readonly string[];
}

export type AgreementAction =
  | 'read'
  | 'edit'
  | 'sign'
  | 'transition'
  | 'report_incident'
  | 'propose_extension'
  | 'consent_extension'
  | 'decline_extension';

export interface Decision {
  allow: boolean;
  reason: string;
}

function isParty(actor: Actor, facts: AgreementFacts): boolean {
  return facts.partyOrgIds.includes(actor.organizationId);
}

/** True when the actor may see the agreement: any user of a party (auditors included) or a platform administrator. */
export function mayRead(actor: Actor, facts: AgreementFacts): boolean {
  return isParty(actor, facts) || hasRole(actor, 'platform_admin');
}

/**
 * Whether the actor's role and organization allow an action on an agreement they can read. The
 * agreement's state (draft only, signatures, pending extension) is checked separately, so that a
 * forbidden actor gets 403 and an allowed one a 409 that names the state conflict.
 * - edit, transition: an org_admin of a party, or a platform_admin;
 * - sign, propose/consent/decline an extension: an org_admin (or platform_admin) of a party, for
 *   their own organization only — nobody consents on another party's behalf;
 * - report_incident: an org_admin or liaison (or platform_admin) of a party.
 * Writes also need the `agreements:write` scope when the actor uses an API token.
 */
export function decide(actor: Actor, action: AgreementAction, facts: AgreementFacts): Decision {
  if (!mayRead(actor, facts)) return { allow: false, reason: 'not_readable' };
  if (action === 'read') return { allow: true, reason: isParty(actor, facts) ? 'party' : 'platform_admin' };
  if (!hasScope(actor, 'agreements:write')) return { allow: false, reason: 'token_scope' };
  const admin = hasRole(actor, 'platform_admin');
  switch (action) {
    case 'edit':
    case 'transition':
      if (admin) return { allow: true, reason: 'platform_admin' };
      return hasRole(actor, 'org_admin') && isParty(actor, facts)
        ? { allow: true, reason: 'party_org_admin' }
        : { allow: false, reason: 'role' };
    case 'sign':
    case 'propose_extension':
    case 'consent_extension':
    case 'decline_extension':
      if (!isParty(actor, facts)) return { allow: false, reason: 'not_a_party' };
      return hasRole(actor, 'org_admin', 'platform_admin')
        ? { allow: true, reason: 'party_org_admin' }
        : { allow: false, reason: 'role' };
    case 'report_incident':
      if (!isParty(actor, facts)) return { allow: false, reason: 'not_a_party' };
      return hasRole(actor, 'org_admin', 'liaison', 'platform_admin')
        ? { allow: true, reason: 'party_reporter' }
        : { allow: false, reason: 'role' };
  }
}

/** Everything `permissions` needs to know about the agreement's current state. */
export interface PermissionState extends AgreementFacts, TransitionState {
  /** Organizations that have signed. */
  signedOrgIds: readonly string[];
  /** The pending extension, with the organizations that consented so far. */
  pendingExtension: { consentedOrgIds: readonly string[] } | null;
}

/**
 * The actions the actor may take on the agreement now, as the UI shows them: each one is both
 * authorized by `decide` and possible in the current state (the server checks both again).
 */
export function permissionsFor(actor: Actor, s: PermissionState, now: Date): string[] {
  const allowed = (action: AgreementAction) => decide(actor, action, s).allow;
  const out: string[] = [];
  if (s.status === 'draft' && allowed('edit')) out.push('edit');
  if (s.status === 'draft' && allowed('sign') && !s.signedOrgIds.includes(actor.organizationId)) {
    out.push('sign');
  }
  if (allowed('transition')) {
    for (const to of allowedTargets(s, now)) out.push(`transition:${to}`);
  }
  if (INCIDENT_STATUSES.includes(s.status) && allowed('report_incident')) out.push('report_incident');
  if (EXTENDABLE_STATUSES.includes(s.status)) {
    if (s.pendingExtension === null) {
      if (allowed('propose_extension')) out.push('propose_extension');
    } else {
      if (
        !s.pendingExtension.consentedOrgIds.includes(actor.organizationId) &&
        allowed('consent_extension')
      ) {
        out.push('consent_extension');
      }
      // Any party may stop a pending extension, the proposer included (it withdraws it).
      if (allowed('decline_extension')) out.push('decline_extension');
    }
  }
  return out;
}
