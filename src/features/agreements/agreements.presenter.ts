import type { AgreementStatus } from '../../domain/vocabulary.js';
import { agreementInForce } from '../../platform/access/agreement-in-force.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Executor } from '../../platform/db/db.js';
import type { AgreementRow, ReviewTrigger } from '../../platform/db/schema.js';
import { isAgreementStatus } from './agreements.lifecycle.js';
import { permissionsFor } from './agreements.policy.js';
import type {
  Agreement,
  AgreementKindSchema,
  ExtensionStatus,
  HistoryEntry,
  OrgRef,
} from './agreements.schema.js';
import {
  consentsOf,
  type EventRow,
  extensionsOf,
  incidentsOf,
  orgRefs,
  partiesOf,
  userRefs,
} from './agreements.store.js';

type UserRef = { id: string; displayName: string };

/** A stored status as the domain type; an unknown value would be a corrupted row, not user input. */
export function statusOf(row: { status: string }): AgreementStatus {
  if (!isAgreementStatus(row.status)) throw new Error(`agreement has unknown status "${row.status}"`);
  return row.status;
}

function iso(d: Date): string;
function iso(d: Date | null): string | null;
function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}

function orgOf(map: Map<string, OrgRef>, id: string): OrgRef {
  // Organizations are never deleted (foreign keys), so a miss means a broken invariant.
  const ref = map.get(id);
  if (!ref) throw new Error(`organization ${id} not found`);
  return ref;
}

function userOf(map: Map<string, UserRef>, id: string | null): UserRef | null {
  return id === null ? null : (map.get(id) ?? null);
}

/**
 * The API representations of the agreements, as `actor` sees them at `now`: with parties,
 * extensions, incidents, whether data flows (`agreementInForce`) and the actor's permissions.
 * Loads the related rows for all agreements at once, so a page costs a fixed number of queries.
 */
export async function presentAgreements(
  ex: Executor,
  actor: Actor,
  rows: AgreementRow[],
  now: Date,
): Promise<Agreement[]> {
  const ids = rows.map((r) => r.id);
  const [parties, extensions, incidents] = await Promise.all([
    partiesOf(ex, ids),
    extensionsOf(ex, ids),
    incidentsOf(ex, ids),
  ]);
  const consents = await consentsOf(
    ex,
    extensions.map((e) => e.id),
  );
  const orgIds = [
    ...rows.map((r) => r.created_by_org_id),
    ...parties.map((p) => p.organization_id),
    ...extensions.map((e) => e.proposed_by_org_id),
    ...consents.map((c) => c.organization_id),
    ...incidents.map((i) => i.reported_by_org_id),
  ];
  const userIds = [
    ...parties.flatMap((p) => (p.signed_by ? [p.signed_by] : [])),
    ...extensions.flatMap((e) => (e.proposed_by_user_id ? [e.proposed_by_user_id] : [])),
    ...consents.flatMap((c) => (c.user_id ? [c.user_id] : [])),
    ...incidents.flatMap((i) => (i.reported_by_user_id ? [i.reported_by_user_id] : [])),
  ];
  const [orgs, users] = await Promise.all([orgRefs(ex, orgIds), userRefs(ex, userIds)]);

  return rows.map((row) => {
    const status = statusOf(row);
    const myParties = parties.filter((p) => p.agreement_id === row.id);
    const myExtensions = extensions.filter((e) => e.agreement_id === row.id);
    const partyOrgIds = myParties.map((p) => p.organization_id);
    const signedOrgIds = myParties.filter((p) => p.signed_at !== null).map((p) => p.organization_id);
    const pending = myExtensions.find((e) => e.status === 'pending');
    const pendingConsents = pending ? consents.filter((c) => c.extension_id === pending.id) : [];
    const permissions = permissionsFor(
      actor,
      {
        status,
        partyOrgIds,
        signedOrgIds,
        sunsetAt: row.sunset_at,
        pilotEndsAt: row.pilot_ends_at,
        pilotSuccessCriteria: row.pilot_success_criteria,
        allSigned: signedOrgIds.length === partyOrgIds.length && partyOrgIds.length > 0,
        pendingExtension: pending ? { consentedOrgIds: pendingConsents.map((c) => c.organization_id) } : null,
      },
      now,
    );
    return {
      id: row.id,
      reference: row.reference,
      title: row.title,
      kind: row.kind as (typeof AgreementKindSchema)['static'],
      status,
      description: row.description,
      parties: myParties.map((p) => ({
        organization: orgOf(orgs, p.organization_id),
        signedAt: iso(p.signed_at),
        signedBy: userOf(users, p.signed_by),
      })),
      scope: { crimeAreas: row.crime_areas, dataCategories: row.data_categories, purposes: row.purposes },
      ceiling: {
        tlp: row.ceiling_tlp,
        h2Allowed: row.ceiling_h2_allowed,
        onwardTransfer: row.ceiling_onward_transfer,
      },
      matchingAllowed: row.matching_allowed,
      maxRetentionDays: row.max_retention_days,
      validFrom: iso(row.valid_from),
      sunsetAt: iso(row.sunset_at),
      pilot:
        row.pilot_ends_at !== null
          ? { endsAt: iso(row.pilot_ends_at), successCriteria: row.pilot_success_criteria ?? '' }
          : null,
      reviewTriggers: parseTriggers(row.review_triggers),
      lastReviewedAt: iso(row.last_reviewed_at),
      exchangedSinceReview: row.exchanged_since_review,
      flowing: agreementInForce(row, now),
      extensions: myExtensions.map((e) => {
        const given = consents.filter((c) => c.extension_id === e.id);
        const consented = new Set(given.map((c) => c.organization_id));
        return {
          id: e.id,
          proposedBy: {
            organization: orgOf(orgs, e.proposed_by_org_id),
            user: userOf(users, e.proposed_by_user_id),
          },
          newSunsetAt: iso(e.new_sunset_at),
          reason: e.reason,
          status: e.status as ExtensionStatus,
          createdAt: iso(e.created_at),
          decidedAt: iso(e.decided_at),
          consents: given.map((c) => ({
            organization: orgOf(orgs, c.organization_id),
            user: userOf(users, c.user_id),
            consentedAt: iso(c.consented_at),
          })),
          awaiting:
            e.status === 'pending'
              ? partyOrgIds.filter((o) => !consented.has(o)).map((o) => orgOf(orgs, o))
              : [],
        };
      }),
      incidents: incidents
        .filter((i) => i.agreement_id === row.id)
        .map((i) => ({
          id: i.id,
          reportedBy: {
            organization: orgOf(orgs, i.reported_by_org_id),
            user: userOf(users, i.reported_by_user_id),
          },
          description: i.description,
          reportedAt: iso(i.reported_at),
          resolvedAt: iso(i.resolved_at),
        })),
      createdBy: orgOf(orgs, row.created_by_org_id),
      version: row.version,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      permissions,
    };
  });
}

/**
 * The stored review triggers. The column is jsonb: pg and PGlite return it parsed, but a value
 * written as a JSON string literal comes back as a string, so both are accepted.
 */
export function parseTriggers(value: unknown): ReviewTrigger[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? (parsed as ReviewTrigger[]) : [];
}

/** History rows with their actors resolved. */
export async function presentHistory(ex: Executor, events: EventRow[]): Promise<HistoryEntry[]> {
  const [orgs, users] = await Promise.all([
    orgRefs(
      ex,
      events.flatMap((e) => (e.actor_org_id ? [e.actor_org_id] : [])),
    ),
    userRefs(
      ex,
      events.flatMap((e) => (e.actor_user_id ? [e.actor_user_id] : [])),
    ),
  ]);
  return events.map((e) => ({
    id: e.id,
    at: e.at.toISOString(),
    action: e.action,
    actor: {
      user: userOf(users, e.actor_user_id),
      organization: e.actor_org_id ? (orgs.get(e.actor_org_id) ?? null) : null,
    },
    fromStatus: e.from_status,
    toStatus: e.to_status,
    details: typeof e.details === 'string' ? (JSON.parse(e.details) as Record<string, unknown>) : e.details,
  }));
}
