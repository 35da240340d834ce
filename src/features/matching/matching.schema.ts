import { Type } from '@sinclair/typebox';
import { PURPOSES } from '../../domain/vocabulary.js';
import { StringEnum } from '../../platform/http/schema.js';
import { OrgRef, Properties, RecordView } from '../records/records.schema.js';

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const MatchIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const RecordRef = Type.Object({
  id: Uuid,
  schema: Type.String(),
  caption: Type.String(),
  tlp: Type.String(),
});

const DisclosureSummary = Type.Object({
  id: Uuid,
  reference: Type.String(),
  status: Type.String(),
  deadlineAt: DateTime,
  overdue: Type.Boolean(),
});

export const HitView = Type.Object({
  id: Uuid,
  reference: Type.String({ description: 'Quote it to the other organization' }),
  score: Type.Number({ minimum: 0, maximum: 1 }),
  features: Type.Array(Type.String(), { description: 'Kinds of feature that matched, never values' }),
  cappedKeys: Type.Integer({ description: 'Over-common values left out of the comparison' }),
  status: Type.String(),
  closedReason: Nullable(Type.String()),
  state: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  record: RecordRef,
  otherOrganization: OrgRef,
  disclosure: Type.Union([DisclosureSummary, Type.Null()]),
});

const HIT_STATES = ['new', 'seen', 'dismissed'] as const;

export const HitListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(['open', 'closed', 'all'] as const)),
    state: Type.Optional(StringEnum(HIT_STATES)),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    recordId: Type.Optional(Uuid),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

export const HitList = Type.Object({
  items: Type.Array(HitView),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  unseen: Type.Integer(),
});

export const HitStateBody = Type.Object({ state: StringEnum(HIT_STATES) }, { additionalProperties: false });

export const CheckBody = Type.Object(
  {
    schema: Type.String({ minLength: 1, maxLength: 64 }),
    properties: Properties,
  },
  { additionalProperties: false },
);

export const CheckView = Type.Object({
  checkedAt: DateTime,
  cappedKeys: Type.Integer(),
  organizations: Type.Array(
    Type.Object({
      organization: OrgRef,
      result: StringEnum(['hit', 'no_hit'] as const),
      reference: Type.Optional(Type.String()),
      score: Type.Optional(Type.Number()),
      features: Type.Optional(Type.Array(Type.String())),
    }),
  ),
});

const DISCLOSURE_STATUSES = ['pending', 'disclosed', 'declined', 'revoked', 'withdrawn'] as const;

export const DisclosureRequestBody = Type.Object(
  {
    hitId: Type.Optional(Uuid),
    checkReference: Type.Optional(Type.String({ minLength: 10, maxLength: 2000 })),
    purpose: StringEnum(PURPOSES),
    justification: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  { additionalProperties: false },
);

const disclosureFields = {
  id: Uuid,
  reference: Type.String(),
  status: Type.String(),
  overdue: Type.Boolean(),
  deadlineAt: DateTime,
  createdAt: DateTime,
  decidedAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
  purpose: Type.String(),
  justification: Type.String(),
  decisionReason: Nullable(Type.String()),
  revokeReason: Nullable(Type.String()),
  properties: Type.Union([Type.Array(Type.String()), Type.Null()]),
  hit: Type.Union([
    Type.Object({
      id: Uuid,
      reference: Type.String(),
      score: Type.Number(),
      features: Type.Array(Type.String()),
    }),
    Type.Null(),
  ]),
  checkScore: Type.Union([Type.Number(), Type.Null()]),
  checkFeatures: Type.Union([Type.Array(Type.String()), Type.Null()]),
  ownerOrganization: OrgRef,
  requesterOrganization: OrgRef,
  requester: Type.Union([Type.Object({ displayName: Type.String() }), Type.Null()]),
  box: StringEnum(['incoming', 'outgoing'] as const),
  ownRecord: Type.Union([RecordRef, Type.Null()]),
  permissions: Type.Object({ decide: Type.Boolean(), revoke: Type.Boolean(), withdraw: Type.Boolean() }),
};

export const DisclosureView = Type.Object(disclosureFields);

export const DisclosureDetail = Type.Object({
  ...disclosureFields,
  review: Type.Optional(RecordView),
  own: Type.Optional(RecordView),
  disclosed: Type.Optional(RecordView),
});

export const DisclosureListQuery = Type.Object(
  {
    box: Type.Optional(StringEnum(['incoming', 'outgoing'] as const)),
    status: Type.Optional(StringEnum([...DISCLOSURE_STATUSES, 'overdue'] as const)),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

export const DisclosureList = Type.Object({
  items: Type.Array(DisclosureView),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  pendingIncoming: Type.Integer(),
  overdueIncoming: Type.Integer(),
});

export const DecisionBody = Type.Object(
  {
    decision: StringEnum(['disclose', 'decline'] as const),
    properties: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 })),
    reason: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export const RevokeBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false },
);

export const XrefBody = Type.Object(
  { importJobId: Type.Optional(Uuid), includeOwn: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const XrefJobView = Type.Object({
  id: Uuid,
  status: Type.String(),
  total: Type.Integer(),
  processed: Type.Integer(),
  results: Type.Integer(),
  cappedKeys: Type.Integer(),
  includeOwn: Type.Boolean(),
  importJobId: Nullable(Uuid),
  failure: Nullable(Type.String()),
  createdAt: DateTime,
  startedAt: Nullable(DateTime),
  finishedAt: Nullable(DateTime),
});

export const XrefJobList = Type.Object({ items: Type.Array(XrefJobView) });

export const XrefResultsQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    minScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);

export const XrefResultList = Type.Object({
  items: Type.Array(
    Type.Object({
      record: RecordRef,
      otherOrganization: OrgRef,
      otherRecord: Type.Union([RecordRef, Type.Null()]),
      hit: Type.Union([Type.Object({ id: Uuid, reference: Type.String() }), Type.Null()]),
      score: Type.Number(),
      features: Type.Array(Type.String()),
    }),
  ),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const MatchStatusView = Type.Object({
  indexed: Type.Integer(),
  queued: Type.Integer(),
  partners: Type.Array(OrgRef),
  threshold: Type.Number(),
  maxPostings: Type.Integer(),
  activeKey: Nullable(Type.String()),
});

export const KeyList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.String(),
      createdAt: DateTime,
      retiredAt: Nullable(DateTime),
      entities: Type.Integer(),
    }),
  ),
});

export const RotateView = Type.Object({ previous: Nullable(Type.String()), active: Type.String() });
