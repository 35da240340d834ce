import { type Static, Type } from '@sinclair/typebox';
import { StringEnum } from '../../platform/http/schema.js';

/** Outcomes an audit entry may carry (see platform/audit). */
export const AUDIT_OUTCOMES = ['allow', 'deny', 'success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const AuditListQuery = Type.Object(
  {
    action: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Exact action, e.g. record.read' }),
    ),
    actorOrg: Type.Optional(Type.String({ format: 'uuid', description: 'Organization of the acting user' })),
    objectType: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    objectId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    outcome: Type.Optional(StringEnum(AUDIT_OUTCOMES)),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this time' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or before this time' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
export type AuditListInput = Static<typeof AuditListQuery>;

export const AuditEntryView = Type.Object({
  seq: Type.String({ description: 'Position in the hash chain (a 64-bit integer as a string)' }),
  at: Type.String({ format: 'date-time' }),
  actor: Type.Object({
    userId: Nullable(Uuid),
    orgId: Nullable(Uuid),
    email: Type.Optional(Type.String()),
    orgName: Type.Optional(Type.String()),
  }),
  action: Type.String(),
  objectType: Nullable(Type.String()),
  objectId: Nullable(Type.String()),
  ownerOrgId: Nullable(Uuid),
  basis: Nullable(
    Type.String({ description: 'owner, agreement, named_recipient, tlp_clear, team, disclosure' }),
  ),
  basisRef: Nullable(Type.String()),
  outcome: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String({ description: 'SHA-256 of this entry and the previous hash' }),
});
export type AuditEntryViewT = Static<typeof AuditEntryView>;

export const AuditList = Type.Object({
  items: Type.Array(AuditEntryView),
  total: Type.Integer({ minimum: 0 }),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type AuditListView = Static<typeof AuditList>;

export const AuditVerifyView = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer({ minimum: 0, description: 'Entries verified (before the first broken one)' }),
  headHash: Type.String({ description: 'Hash of the last verified entry: record it outside the system' }),
  broken: Type.Optional(Type.Object({ seq: Type.String(), reason: Type.String() })),
});
