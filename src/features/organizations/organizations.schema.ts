import { type Static, Type } from '@sinclair/typebox';
import { AGENCY_TYPES, CRIME_AREAS, ORGANIZATION_KINDS, REGIONS } from '../../domain/vocabulary.js';
import { StringEnum } from '../../platform/http/schema.js';

const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });

export const OrgRef = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  kind: Type.String(),
});

export const OrganizationView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  shortName: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  region: Type.String(),
  countries: Type.Array(Type.String()),
  agencyType: Type.String(),
  crimeAreas: Type.Array(Type.String()),
  mfaRequired: Type.Boolean(),
  memberOf: Type.Array(OrgRef),
  members: Type.Array(OrgRef),
  permissions: Type.Array(Type.String()),
});
export type OrganizationViewT = Static<typeof OrganizationView>;

export const OrganizationList = Type.Object({
  items: Type.Array(OrganizationView),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const OrganizationListQuery = Type.Object(
  {
    kind: Type.Optional(StringEnum(ORGANIZATION_KINDS)),
    region: Type.Optional(StringEnum(REGIONS)),
    country: Type.Optional(Country),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type OrganizationListFilters = Static<typeof OrganizationListQuery>;

export const OrganizationCreateBody = Type.Object(
  {
    slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }),
    name: Type.String({ minLength: 2, maxLength: 200 }),
    shortName: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    kind: StringEnum(ORGANIZATION_KINDS),
    region: StringEnum(REGIONS),
    countries: Type.Array(Country, { uniqueItems: true, maxItems: 250 }),
    agencyType: StringEnum(AGENCY_TYPES),
    crimeAreas: Type.Array(StringEnum(CRIME_AREAS), { uniqueItems: true }),
    memberOf: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type OrganizationCreateInput = Static<typeof OrganizationCreateBody>;

export const OrganizationUpdateBody = Type.Partial(Type.Omit(OrganizationCreateBody, ['slug']), {
  additionalProperties: false,
});
export type OrganizationUpdateInput = Static<typeof OrganizationUpdateBody>;

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
