import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../src/context.js';
import type {
  AgreementKind,
  AgreementStatus,
  CrimeArea,
  DataCategory,
  HandlingCode,
  OrganizationKind,
  Purpose,
  Role,
  SubjectCategory,
  TlpLabel,
} from '../../src/domain/vocabulary.js';
import { searchColumnsFor } from '../../src/features/records/records.search-columns.js';
import { hashSecret, newSecret } from '../../src/platform/auth/secrets.js';
import { addDays } from '../../src/platform/clock.js';
import type { FtmProperties, ReviewTrigger } from '../../src/platform/db/schema.js';

/** A short unique suffix so tests sharing one database never collide. */
export function uniq(): string {
  return randomUUID().slice(0, 8);
}

export interface TestOrg {
  id: string;
  slug: string;
  name: string;
}

/** Inserts an organization. */
export async function createOrg(
  ctx: AppContext,
  o: Partial<{
    name: string;
    kind: OrganizationKind;
    region: string;
    countries: string[];
    agencyType: string;
    memberOf: string[];
    mfaRequired: boolean;
  }> = {},
): Promise<TestOrg> {
  const id = randomUUID();
  const slug = `org-${uniq()}`;
  const name = o.name ?? `Test Agency ${slug}`;
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('organizations')
    .values({
      id,
      slug,
      name,
      short_name: null,
      kind: o.kind ?? 'national',
      region: o.region ?? 'africa',
      countries: o.countries ?? ['KE'],
      agency_type: o.agencyType ?? 'police',
      crime_areas: ['drug_trafficking'],
      mfa_required: o.mfaRequired ?? false,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const body of o.memberOf ?? []) {
    await ctx.db
      .insertInto('organization_memberships')
      .values({ member_id: id, body_id: body, since: now })
      .execute();
  }
  return { id, slug, name };
}

export interface TestUser {
  id: string;
  email: string;
  organizationId: string;
  token: string;
  /** `Authorization` header for app.inject. */
  auth: { authorization: string };
}

/**
 * Inserts a user with an API token carrying every scope. The password hash is a fixed argon2id
 * hash of "correct horse battery staple" made with test cost, so factories stay fast.
 */
export async function createUser(
  ctx: AppContext,
  org: { id: string },
  roles: Role[] = ['analyst'],
  o: Partial<{ email: string; passwordHash: string; scopes: string[] }> = {},
): Promise<TestUser> {
  const id = randomUUID();
  const email = o.email ?? `user-${uniq()}@test.entente.example`;
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('users')
    .values({
      id,
      organization_id: org.id,
      email,
      display_name: `Test ${roles.join('/')}`,
      password_hash: o.passwordHash ?? 'not-a-login-user',
      roles,
      mfa_secret: null,
      locked_until: null,
      disabled_at: null,
      last_login_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const token = newSecret('ent_');
  await ctx.db
    .insertInto('api_tokens')
    .values({
      id: randomUUID(),
      user_id: id,
      name: 'test',
      token_prefix: token.slice(0, 8),
      token_hash: hashSecret(token),
      scopes: o.scopes ?? [
        'records:read',
        'records:write',
        'agreements:read',
        'agreements:write',
        'organizations:read',
        'audit:read',
        'match:read',
        'match:check',
        'match:write',
        'admin',
      ],
      expires_at: addDays(now, 3650),
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return { id, email, organizationId: org.id, token, auth: { authorization: `Bearer ${token}` } };
}

export interface AgreementInput {
  parties: string[];
  kind?: AgreementKind;
  status?: AgreementStatus;
  crimeAreas?: CrimeArea[];
  dataCategories?: DataCategory[];
  purposes?: Purpose[];
  ceilingTlp?: TlpLabel;
  h2Allowed?: boolean;
  validFrom?: Date;
  sunsetAt?: Date;
  pilotEndsAt?: Date | null;
  reviewTriggers?: ReviewTrigger[];
  signed?: boolean;
  matchingAllowed?: boolean;
}

/** Inserts an agreement with its parties (signed unless `signed: false`). */
export async function createAgreement(
  ctx: AppContext,
  a: AgreementInput,
): Promise<{ id: string; reference: string }> {
  const id = randomUUID();
  const reference = `AGR-${uniq()}`;
  const now = ctx.clock.now();
  const creator = a.parties[0];
  if (!creator) throw new Error('an agreement needs parties');
  await ctx.db
    .insertInto('agreements')
    .values({
      id,
      reference,
      title: `Test agreement ${reference}`,
      kind: a.kind ?? 'mou',
      status: a.status ?? 'active',
      crime_areas: a.crimeAreas ?? ['drug_trafficking'],
      data_categories: a.dataCategories ?? [
        'persons',
        'organizations',
        'financial',
        'communications',
        'vehicles_vessels',
      ],
      purposes: a.purposes ?? ['criminal_investigation'],
      ceiling_tlp: a.ceilingTlp ?? 'TLP:AMBER+STRICT',
      ceiling_h2_allowed: a.h2Allowed ?? true,
      matching_allowed: a.matchingAllowed ?? true,
      max_retention_days: null,
      valid_from: a.validFrom ?? addDays(now, -30),
      sunset_at: a.sunsetAt ?? addDays(now, 365),
      pilot_ends_at: a.pilotEndsAt ?? (a.status === 'pilot' ? addDays(now, 90) : null),
      pilot_success_criteria: a.status === 'pilot' ? 'At least one joint case opened' : null,
      review_triggers: JSON.stringify(a.reviewTriggers ?? []),
      last_reviewed_at: null,
      created_by_org_id: creator,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await ctx.db
    .insertInto('agreement_parties')
    .values(
      a.parties.map((p) => ({
        agreement_id: id,
        organization_id: p,
        signed_at: a.signed === false ? null : addDays(now, -30),
        signed_by: null,
      })),
    )
    .execute();
  return { id, reference };
}

export interface RecordInput {
  schema?: string;
  properties?: FtmProperties;
  tlp?: TlpLabel;
  handlingCodes?: HandlingCode[];
  crimeAreas?: CrimeArea[];
  purposes?: Purpose[];
  dataCategory?: DataCategory;
  subjectCategory?: SubjectCategory | null;
  status?: 'active' | 'retracted' | 'expired';
  expiresAt?: Date;
  recipients?: string[];
}

/** Inserts a record directly (bypassing the service) for access tests. */
export async function createRecord(
  ctx: AppContext,
  ownerOrgId: string,
  r: RecordInput = {},
): Promise<{ id: string }> {
  const id = randomUUID();
  const now = ctx.clock.now();
  const properties = r.properties ?? { name: [`Test Person ${uniq()}`] };
  const caption = properties.name?.[0] ?? 'Unnamed';
  await ctx.db
    .insertInto('records')
    .values({
      id,
      owner_org_id: ownerOrgId,
      schema: r.schema ?? 'Person',
      ...searchColumnsFor(r.schema ?? 'Person', properties, caption),
      properties: JSON.stringify(properties),
      tlp: r.tlp ?? 'TLP:AMBER',
      handling_codes: r.handlingCodes ?? ['H0'],
      handling_h3_text: null,
      evaluation_scheme: 'eu4x4',
      evaluation_source: 'B',
      evaluation_information: '2',
      crime_areas: r.crimeAreas ?? ['drug_trafficking'],
      purposes: r.purposes ?? ['criminal_investigation'],
      data_category: r.dataCategory ?? 'persons',
      subject_category: r.subjectCategory === undefined ? 'suspect' : r.subjectCategory,
      status: r.status ?? 'active',
      retracted_reason: null,
      review_at: addDays(now, 365 * 5 - 182),
      expires_at: r.expiresAt ?? addDays(now, 365 * 5),
      external_id: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const org of r.recipients ?? []) {
    await ctx.db
      .insertInto('record_recipients')
      .values({ record_id: id, organization_id: org, added_at: now, added_by: null })
      .execute();
  }
  return { id };
}
