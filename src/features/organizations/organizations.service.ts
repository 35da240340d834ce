import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { type Actor, hasRole } from '../../platform/auth/actor.js';
import type { Executor } from '../../platform/db/db.js';
import { containsPattern } from '../../platform/db/like.js';
import type { OrganizationRow } from '../../platform/db/schema.js';
import { emit } from '../../platform/events/outbox.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/http/problem.js';
import type {
  OrganizationCreateInput,
  OrganizationListFilters,
  OrganizationUpdateInput,
  OrganizationViewT,
} from './organizations.schema.js';

type Ref = { id: string; slug: string; name: string; kind: string };

/**
 * The directory is open to every signed-in user: cooperation starts with knowing who is on the
 * platform. It holds no intelligence, only who an organization is and which bodies it belongs to.
 */
function permissionsFor(actor: Actor, org: { id: string }): string[] {
  const p: string[] = [];
  if (hasRole(actor, 'platform_admin')) p.push('update');
  if (hasRole(actor, 'platform_admin') || (hasRole(actor, 'org_admin') && actor.organizationId === org.id)) {
    p.push('manage_security');
  }
  return p;
}

async function memberships(
  db: Executor,
  ids: string[],
): Promise<{ memberOf: Map<string, Ref[]>; members: Map<string, Ref[]> }> {
  const memberOf = new Map<string, Ref[]>();
  const members = new Map<string, Ref[]>();
  if (ids.length === 0) return { memberOf, members };
  const up = await db
    .selectFrom('organization_memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.body_id')
    .select(['m.member_id', 'o.id', 'o.slug', 'o.name', 'o.kind'])
    .where('m.member_id', 'in', ids)
    .orderBy('o.name')
    .execute();
  for (const r of up)
    memberOf.set(r.member_id, [
      ...(memberOf.get(r.member_id) ?? []),
      { id: r.id, slug: r.slug, name: r.name, kind: r.kind },
    ]);
  const down = await db
    .selectFrom('organization_memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.member_id')
    .select(['m.body_id', 'o.id', 'o.slug', 'o.name', 'o.kind'])
    .where('m.body_id', 'in', ids)
    .orderBy('o.name')
    .execute();
  for (const r of down)
    members.set(r.body_id, [
      ...(members.get(r.body_id) ?? []),
      { id: r.id, slug: r.slug, name: r.name, kind: r.kind },
    ]);
  return { memberOf, members };
}

function toView(
  actor: Actor,
  o: OrganizationRow,
  m: Awaited<ReturnType<typeof memberships>>,
): OrganizationViewT {
  return {
    id: o.id,
    slug: o.slug,
    name: o.name,
    shortName: o.short_name,
    kind: o.kind,
    region: o.region,
    countries: o.countries,
    agencyType: o.agency_type,
    crimeAreas: o.crime_areas,
    mfaRequired: o.mfa_required,
    memberOf: m.memberOf.get(o.id) ?? [],
    members: m.members.get(o.id) ?? [],
    permissions: permissionsFor(actor, o),
  };
}

/** The directory, filtered and paginated. */
export async function listOrganizations(ctx: AppContext, actor: Actor, f: OrganizationListFilters) {
  const limit = f.limit ?? 50;
  const offset = f.offset ?? 0;
  let q = ctx.db.selectFrom('organizations');
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.region) q = q.where('region', '=', f.region);
  if (f.country) q = q.where(sql<boolean>`${f.country} = ANY(countries)`);
  if (f.q?.trim()) {
    const pattern = containsPattern(f.q.trim());
    q = q.where((eb) =>
      eb.or([eb('name', 'ilike', pattern), eb('slug', 'ilike', pattern), eb('short_name', 'ilike', pattern)]),
    );
  }
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('name').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst(),
  ]);
  const m = await memberships(
    ctx.db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toView(actor, r, m)), total: Number(count?.n ?? 0), limit, offset };
}

/** One organization of the directory. */
export async function getOrganization(ctx: AppContext, actor: Actor, id: string): Promise<OrganizationViewT> {
  const row = await ctx.db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('organization');
  return toView(actor, row, await memberships(ctx.db, [id]));
}

async function checkBodies(db: Executor, self: string | null, bodies: string[]): Promise<void> {
  if (bodies.length === 0) return;
  if (self && bodies.includes(self))
    throw invalid('memberOf', 'not_self', 'an organization is not a member of itself');
  const found = await db.selectFrom('organizations').select('id').where('id', 'in', bodies).execute();
  const known = new Set(found.map((r) => r.id));
  bodies.forEach((b, i) => {
    if (!known.has(b)) throw invalid(`memberOf.${i}`, 'exists', 'no such organization');
  });
}

/** Registers an organization (platform administrators only). */
export async function createOrganization(
  ctx: AppContext,
  actor: Actor,
  input: OrganizationCreateInput,
): Promise<OrganizationViewT> {
  if (!hasRole(actor, 'platform_admin'))
    throw forbidden('Only platform administrators register organizations.');
  const now = ctx.clock.now();
  const id = randomUUID();
  await checkBodies(ctx.db, null, input.memberOf ?? []);
  await ctx.db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', input.slug)
      .executeTakeFirst();
    if (clash) throw conflict('slug_taken', `The slug "${input.slug}" is taken.`);
    await trx
      .insertInto('organizations')
      .values({
        id,
        slug: input.slug,
        name: input.name,
        short_name: input.shortName ?? null,
        kind: input.kind,
        region: input.region,
        countries: input.countries,
        agency_type: input.agencyType,
        crime_areas: input.crimeAreas,
        created_at: now,
        updated_at: now,
      })
      .execute();
    for (const body of input.memberOf ?? []) {
      await trx
        .insertInto('organization_memberships')
        .values({ member_id: id, body_id: body, since: now })
        .execute();
    }
    await appendAudit(trx, now, [
      {
        action: 'organization.created',
        actorUserId: actor.userId,
        actorOrgId: actor.organizationId,
        objectType: 'organization',
        objectId: id,
        ownerOrgId: id,
        details: { slug: input.slug, kind: input.kind },
      },
    ]);
    await emit(trx, now, 'organization.created', { organizationId: id });
  });
  return getOrganization(ctx, actor, id);
}

/** Updates an organization's directory entry (platform administrators only). */
export async function updateOrganization(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: OrganizationUpdateInput,
): Promise<OrganizationViewT> {
  const existing = await ctx.db
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!existing) throw notFound('organization');
  if (!hasRole(actor, 'platform_admin')) throw forbidden('Only platform administrators edit the directory.');
  if (input.memberOf) await checkBodies(ctx.db, id, input.memberOf);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('organizations')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.shortName !== undefined ? { short_name: input.shortName } : {}),
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.region !== undefined ? { region: input.region } : {}),
        ...(input.countries !== undefined ? { countries: input.countries } : {}),
        ...(input.agencyType !== undefined ? { agency_type: input.agencyType } : {}),
        ...(input.crimeAreas !== undefined ? { crime_areas: input.crimeAreas } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    if (input.memberOf) {
      await trx.deleteFrom('organization_memberships').where('member_id', '=', id).execute();
      for (const body of input.memberOf) {
        await trx
          .insertInto('organization_memberships')
          .values({ member_id: id, body_id: body, since: now })
          .execute();
      }
    }
    await appendAudit(trx, now, [
      {
        action: 'organization.updated',
        actorUserId: actor.userId,
        actorOrgId: actor.organizationId,
        objectType: 'organization',
        objectId: id,
        ownerOrgId: id,
        details: { changed: Object.keys(input) },
      },
    ]);
  });
  return getOrganization(ctx, actor, id);
}
