import { type Static, type TSchema, Type } from '@sinclair/typebox';
import {
  AGREEMENT_KINDS,
  AGREEMENT_STATUSES,
  type AgreementKind,
  type AgreementStatus,
  CRIME_AREAS,
  type CrimeArea,
  DATA_CATEGORIES,
  type DataCategory,
  ORGANIZATION_KINDS,
  PURPOSES,
  type Purpose,
  REVIEW_TRIGGER_KINDS,
  type ReviewTriggerKind,
  TLP_LABELS,
  type TlpLabel,
} from '../../domain/vocabulary.js';
import { StringEnum } from '../../platform/http/schema.js';

const DateTime = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });

export const AgreementKindSchema = StringEnum<AgreementKind>(AGREEMENT_KINDS);
export const AgreementStatusSchema = StringEnum<AgreementStatus>(AGREEMENT_STATUSES);

export const OrgRef = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  kind: StringEnum(ORGANIZATION_KINDS),
});
export type OrgRef = Static<typeof OrgRef>;

const UserRef = Type.Object({ id: Uuid, displayName: Type.String() });

export const Scope = Type.Object(
  {
    crimeAreas: Type.Array(StringEnum<CrimeArea>(CRIME_AREAS), { minItems: 1, uniqueItems: true }),
    dataCategories: Type.Array(StringEnum<DataCategory>(DATA_CATEGORIES), { minItems: 1, uniqueItems: true }),
    purposes: Type.Array(StringEnum<Purpose>(PURPOSES), { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const Ceiling = Type.Object(
  {
    // TLP:RED is accepted by the schema and refused by the service, so the error can say why.
    tlp: StringEnum<TlpLabel>(TLP_LABELS),
    h2Allowed: Type.Boolean({ default: false }),
    onwardTransfer: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

export const Pilot = Type.Object(
  {
    endsAt: DateTime,
    successCriteria: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  { additionalProperties: false },
);

/**
 * One review trigger as accepted on input. Kept flat (kind plus optional numbers) because a
 * JSON-Schema union gives unreadable errors; the service checks that each kind has its number.
 */
export const ReviewTriggerInput = Type.Object(
  {
    kind: StringEnum<ReviewTriggerKind>(REVIEW_TRIGGER_KINDS),
    months: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
    records: Type.Optional(Type.Integer({ minimum: 1 })),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);
export type ReviewTriggerInput = Static<typeof ReviewTriggerInput>;

export const ReviewTriggerSchema = Type.Union([
  Type.Object({ kind: Type.Literal('periodic'), months: Type.Integer() }),
  Type.Object({ kind: Type.Literal('volume'), records: Type.Integer() }),
  Type.Object({ kind: Type.Literal('incident') }),
  Type.Object({ kind: Type.Literal('sunset'), days: Type.Integer() }),
]);

const Title = Type.String({ minLength: 1, maxLength: 300 });
const Reference = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' });
const Description = Type.String({ maxLength: 20000 });
const Parties = Type.Array(Uuid, { minItems: 2, maxItems: 200, uniqueItems: true });
// A type list rather than a union: with Ajv's type coercion, a union with null would turn 0 into null.
const MaxRetentionDays = Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 1, maximum: 3650 });
const ReviewTriggers = Type.Array(ReviewTriggerInput, { maxItems: 4 });

export const CreateAgreementBody = Type.Object(
  {
    reference: Type.Optional(Reference),
    title: Title,
    kind: AgreementKindSchema,
    description: Type.Optional(Description),
    parties: Parties,
    scope: Scope,
    ceiling: Ceiling,
    matchingAllowed: Type.Optional(Type.Boolean()),
    maxRetentionDays: Type.Optional(MaxRetentionDays),
    validFrom: DateTime,
    sunsetAt: DateTime,
    pilot: Type.Optional(Type.Union([Pilot, Type.Null()])),
    reviewTriggers: Type.Optional(ReviewTriggers),
  },
  { additionalProperties: false },
);
export type CreateAgreementBody = Static<typeof CreateAgreementBody>;

export const UpdateAgreementBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    reference: Type.Optional(Reference),
    title: Type.Optional(Title),
    kind: Type.Optional(AgreementKindSchema),
    description: Type.Optional(Description),
    parties: Type.Optional(Parties),
    scope: Type.Optional(Scope),
    ceiling: Type.Optional(Ceiling),
    matchingAllowed: Type.Optional(Type.Boolean()),
    maxRetentionDays: Type.Optional(MaxRetentionDays),
    validFrom: Type.Optional(DateTime),
    sunsetAt: Type.Optional(DateTime),
    pilot: Type.Optional(Type.Union([Pilot, Type.Null()])),
    reviewTriggers: Type.Optional(ReviewTriggers),
  },
  { additionalProperties: false },
);
export type UpdateAgreementBody = Static<typeof UpdateAgreementBody>;

export const TransitionBody = Type.Object(
  {
    to: AgreementStatusSchema,
    reason: Type.Optional(Type.String({ maxLength: 4000 })),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type TransitionBody = Static<typeof TransitionBody>;

export const IncidentBody = Type.Object(
  { description: Type.String({ minLength: 1, maxLength: 20000 }) },
  { additionalProperties: false },
);
export type IncidentBody = Static<typeof IncidentBody>;

export const ExtensionBody = Type.Object(
  { newSunsetAt: DateTime, reason: Type.String({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false },
);
export type ExtensionBody = Static<typeof ExtensionBody>;

export const DeclineBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 4000 })) },
  { additionalProperties: false },
);
export type DeclineBody = Static<typeof DeclineBody>;
/** The decline body is optional: Fastify validates a missing body as null. */
export const OptionalDeclineBody = Type.Unsafe<DeclineBody | null>({
  ...DeclineBody,
  type: ['object', 'null'],
});

export const AgreementParams = Type.Object({ id: Uuid });
export const ExtensionParams = Type.Object({ id: Uuid, extensionId: Uuid });

export const ListQuery = Type.Object(
  {
    status: Type.Optional(AgreementStatusSchema),
    kind: Type.Optional(AgreementKindSchema),
    party: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const EXTENSION_STATUSES = ['pending', 'applied', 'declined', 'lapsed'] as const;
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number];

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Extension = Type.Object({
  id: Uuid,
  proposedBy: Type.Object({ organization: OrgRef, user: Nullable(UserRef) }),
  newSunsetAt: DateTime,
  reason: Type.String(),
  status: StringEnum<ExtensionStatus>(EXTENSION_STATUSES),
  createdAt: DateTime,
  decidedAt: Nullable(DateTime),
  consents: Type.Array(Type.Object({ organization: OrgRef, user: Nullable(UserRef), consentedAt: DateTime })),
  /** Parties whose consent is still missing while the extension is pending. */
  awaiting: Type.Array(OrgRef),
});
export type Extension = Static<typeof Extension>;

export const Incident = Type.Object({
  id: Uuid,
  reportedBy: Type.Object({ organization: OrgRef, user: Nullable(UserRef) }),
  description: Type.String(),
  reportedAt: DateTime,
  resolvedAt: Nullable(DateTime),
});
export type Incident = Static<typeof Incident>;

export const Agreement = Type.Object({
  id: Uuid,
  reference: Type.String(),
  title: Type.String(),
  kind: AgreementKindSchema,
  status: AgreementStatusSchema,
  description: Type.String(),
  parties: Type.Array(
    Type.Object({ organization: OrgRef, signedAt: Nullable(DateTime), signedBy: Nullable(UserRef) }),
  ),
  scope: Type.Object({
    crimeAreas: Type.Array(Type.String()),
    dataCategories: Type.Array(Type.String()),
    purposes: Type.Array(Type.String()),
  }),
  ceiling: Type.Object({ tlp: Type.String(), h2Allowed: Type.Boolean(), onwardTransfer: Type.Boolean() }),
  matchingAllowed: Type.Boolean(),
  maxRetentionDays: Nullable(Type.Integer()),
  validFrom: DateTime,
  sunsetAt: DateTime,
  pilot: Nullable(Type.Object({ endsAt: DateTime, successCriteria: Type.String() })),
  reviewTriggers: Type.Array(ReviewTriggerSchema),
  lastReviewedAt: Nullable(DateTime),
  exchangedSinceReview: Type.Integer(),
  flowing: Type.Boolean(),
  extensions: Type.Array(Extension),
  incidents: Type.Array(Incident),
  createdBy: OrgRef,
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  permissions: Type.Array(Type.String()),
});
export type Agreement = Static<typeof Agreement>;

export const AgreementList = Type.Object({
  items: Type.Array(Agreement),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type AgreementList = Static<typeof AgreementList>;

export const HistoryEntry = Type.Object({
  id: Uuid,
  at: DateTime,
  action: Type.String(),
  actor: Type.Object({ user: Nullable(UserRef), organization: Nullable(OrgRef) }),
  fromStatus: Nullable(Type.String()),
  toStatus: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const History = Type.Object({ items: Type.Array(HistoryEntry) });
export type History = Static<typeof History>;
