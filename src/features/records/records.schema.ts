import { type Static, Type } from '@sinclair/typebox';
import {
  CRIME_AREAS,
  EVALUATION_SCHEMES,
  HANDLING_CODES,
  PURPOSES,
  RECORD_STATUSES,
  SUBJECT_CATEGORIES,
  TLP_LABELS,
} from '../../domain/vocabulary.js';
import { StringEnum } from '../../platform/http/schema.js';

export const Uuid = Type.String({ format: 'uuid' });

export const OrgRef = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  kind: Type.String(),
});

export const Handling = Type.Object(
  {
    tlp: StringEnum(TLP_LABELS, { description: 'TLP 2.0 label' }),
    codes: Type.Array(StringEnum(HANDLING_CODES), {
      uniqueItems: true,
      maxItems: 4,
      description: 'Handling codes H0–H3',
    }),
    h3Text: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const Evaluation = Type.Object(
  {
    scheme: StringEnum(EVALUATION_SCHEMES),
    source: Type.String({ minLength: 1, maxLength: 1 }),
    information: Type.String({ minLength: 1, maxLength: 1 }),
  },
  { additionalProperties: false },
);

export const Properties = Type.Record(
  Type.String({ minLength: 1, maxLength: 64 }),
  Type.Array(Type.String({ maxLength: 4000 }), { maxItems: 50 }),
  { description: 'FollowTheMoney properties: each a list of string values' },
);

export const RecordCreateBody = Type.Object(
  {
    schema: Type.String({ minLength: 1, maxLength: 64, description: 'FollowTheMoney schema, e.g. Person' }),
    properties: Properties,
    handling: Handling,
    evaluation: Evaluation,
    crimeAreas: Type.Array(StringEnum(CRIME_AREAS), { minItems: 1, uniqueItems: true }),
    purposes: Type.Array(StringEnum(PURPOSES), { minItems: 1, uniqueItems: true }),
    subjectCategory: Type.Optional(Type.Union([StringEnum(SUBJECT_CATEGORIES), Type.Null()])),
    recipients: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 100 })),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type RecordCreateInput = Static<typeof RecordCreateBody>;

export const RecordUpdateBody = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Optimistic lock: the version you edited' }),
    ),
    properties: Type.Optional(Properties),
    handling: Type.Optional(Handling),
    evaluation: Type.Optional(Evaluation),
    crimeAreas: Type.Optional(Type.Array(StringEnum(CRIME_AREAS), { minItems: 1, uniqueItems: true })),
    purposes: Type.Optional(Type.Array(StringEnum(PURPOSES), { minItems: 1, uniqueItems: true })),
    subjectCategory: Type.Optional(Type.Union([StringEnum(SUBJECT_CATEGORIES), Type.Null()])),
    recipients: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type RecordUpdateInput = Static<typeof RecordUpdateBody>;

export const RetractBody = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const RecordListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    schema: Type.Optional(Type.String({ maxLength: 64 })),
    tlp: Type.Optional(StringEnum(TLP_LABELS)),
    crimeArea: Type.Optional(StringEnum(CRIME_AREAS)),
    owner: Type.Optional(Uuid),
    status: Type.Optional(StringEnum(RECORD_STATUSES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type RecordListFilters = Static<typeof RecordListQuery>;

export const RecordView = Type.Object({
  id: Uuid,
  schema: Type.String(),
  caption: Type.String(),
  properties: Properties,
  owner: OrgRef,
  handling: Type.Object({
    tlp: Type.String(),
    codes: Type.Array(Type.String()),
    h3Text: Type.Union([Type.String(), Type.Null()]),
  }),
  evaluation: Type.Object({ scheme: Type.String(), source: Type.String(), information: Type.String() }),
  crimeAreas: Type.Array(Type.String()),
  purposes: Type.Array(Type.String()),
  dataCategory: Type.String(),
  subjectCategory: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  retractedReason: Type.Union([Type.String(), Type.Null()]),
  reviewAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  externalId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
  recipients: Type.Array(OrgRef, { description: 'Named recipients (shown to the owner only)' }),
  access: Type.Object({
    basis: Type.String({ description: 'owner, named_recipient, tlp_clear or agreement' }),
    ref: Type.Union([Type.String(), Type.Null()], {
      description: 'The agreement id when basis is agreement',
    }),
  }),
  permissions: Type.Array(Type.String()),
});
export type RecordViewT = Static<typeof RecordView>;

export const RecordList = Type.Object({
  items: Type.Array(RecordView),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const SchemataView = Type.Object({
  items: Type.Array(
    Type.Object({
      name: Type.String(),
      label: Type.String(),
      plural: Type.String(),
      dataCategory: Type.String(),
      isEdge: Type.Boolean(),
      required: Type.Array(Type.String()),
      featured: Type.Array(Type.String()),
      properties: Type.Array(Type.Object({ name: Type.String(), label: Type.String(), type: Type.String() })),
    }),
  ),
});

export const ExtendBody = Type.Object(
  {
    expiresAt: Type.String({ format: 'date-time', description: 'The new expiry, after the current one' }),
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type ExtendInput = Static<typeof ExtendBody>;

export const ReviewBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export type ReviewInput = Static<typeof ReviewBody>;

const JsonValue = Type.Unknown({ description: 'A JSON value; null when absent' });

export const HistoryView = Type.Object({
  items: Type.Array(
    Type.Object({
      version: Type.Integer(),
      at: Type.String({ format: 'date-time' }),
      action: Type.String({
        description: 'created, updated, retracted, extended, reviewed, expired, purged',
      }),
      actor: Type.Object({
        user: Type.Union([Type.Object({ id: Uuid, displayName: Type.String() }), Type.Null()]),
        organization: Type.Union([OrgRef, Type.Null()]),
      }),
      changes: Type.Array(
        Type.Object({
          field: Type.String({ description: 'e.g. properties.name, handling.tlp, expiresAt' }),
          before: JsonValue,
          after: JsonValue,
        }),
      ),
    }),
  ),
});
export type HistoryViewT = Static<typeof HistoryView>;

export const LinkNode = Type.Union([
  Type.Object({
    id: Uuid,
    schema: Type.String(),
    caption: Type.String(),
    tlp: Type.String(),
    restricted: Type.Literal(false),
  }),
  Type.Object({
    id: Type.Null(),
    key: Type.String({ description: 'Opaque placeholder key, stable within one response only' }),
    restricted: Type.Literal(true),
  }),
]);

export const LinksView = Type.Object({
  nodes: Type.Array(LinkNode),
  edges: Type.Array(
    Type.Object({
      id: Uuid,
      schema: Type.String(),
      source: Type.String({ description: 'A node id or a placeholder key' }),
      target: Type.String({ description: 'A node id or a placeholder key' }),
      label: Type.String(),
      tlp: Type.String(),
    }),
  ),
});
export type LinksViewT = Static<typeof LinksView>;
