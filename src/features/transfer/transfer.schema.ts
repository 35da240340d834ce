import { type Static, Type } from '@sinclair/typebox';
import { CRIME_AREAS, RECORD_STATUSES, TLP_LABELS } from '../../domain/vocabulary.js';
import { StringEnum } from '../../platform/http/schema.js';
import { TRANSFER_FORMATS } from './imports.model.js';

const Uuid = Type.String({ format: 'uuid' });

export const ImportQuery = Type.Object(
  {
    format: StringEnum(TRANSFER_FORMATS),
    mapping: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const PreviewQuery = ImportQuery;

export const ImportAccepted = Type.Object({ id: Uuid });

export const ImportJobView = Type.Object({
  id: Uuid,
  format: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  bytesTotal: Type.Union([Type.Integer(), Type.Null()]),
  bytesRead: Type.Integer(),
  processed: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  skipped: Type.Integer(),
  skippedByType: Type.Record(Type.String(), Type.Integer()),
  failedBatches: Type.Integer({ description: 'Batches the database refused, rolled back as a whole' }),
  failure: Type.Union([Type.String(), Type.Null()]),
  errors: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String() }), {
    description: 'The first 100 rejected rows (index: line, or position in the bundle or event)',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const ImportJobList = Type.Object({
  items: Type.Array(ImportJobView),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const PreviewView = Type.Object({
  items: Type.Array(
    Type.Object(
      {
        type: Type.Union([Type.Literal('entity'), Type.Literal('rejected'), Type.Literal('skipped')]),
        index: Type.Integer(),
        entity: Type.Optional(
          Type.Object({
            externalId: Type.String(),
            schema: Type.String(),
            properties: Type.Record(Type.String(), Type.Array(Type.String())),
            tlp: Type.Optional(Type.String()),
            evaluation: Type.Optional(
              Type.Object({ scheme: Type.String(), source: Type.String(), information: Type.String() }),
            ),
          }),
        ),
        reason: Type.Optional(Type.String()),
        objectType: Type.Optional(Type.String()),
      },
      { description: 'A ParseEvent (src/formats/types.ts)' },
    ),
  ),
  columns: Type.Optional(Type.Array(Type.String())),
});

export const MappingBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    schema: Type.String({ minLength: 1, maxLength: 64 }),
    idColumn: Type.String({ minLength: 1, maxLength: 200 }),
    columns: Type.Record(
      Type.String({ minLength: 1, maxLength: 200 }),
      Type.String({ minLength: 1, maxLength: 64 }),
      {
        description: 'CSV column → FollowTheMoney property of the schema',
      },
    ),
  },
  { additionalProperties: false },
);
export type MappingInput = Static<typeof MappingBody>;

export const MappingView = Type.Object({
  id: Uuid,
  name: Type.String(),
  schema: Type.String(),
  idColumn: Type.String(),
  columns: Type.Record(Type.String(), Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});

export const MappingList = Type.Object({ items: Type.Array(MappingView) });

/** GET /records/export: the /records list filters, the format and an optional id list. */
export const ExportQuery = Type.Object(
  {
    format: StringEnum(TRANSFER_FORMATS),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    schema: Type.Optional(Type.String({ maxLength: 64 })),
    tlp: Type.Optional(StringEnum(TLP_LABELS)),
    crimeArea: Type.Optional(StringEnum(CRIME_AREAS)),
    owner: Type.Optional(Uuid),
    status: Type.Optional(StringEnum(RECORD_STATUSES)),
    ids: Type.Optional(
      Type.String({
        maxLength: 50_000,
        pattern: '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36})*$',
        description: 'Comma-separated record ids',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ExportFilters = Static<typeof ExportQuery>;
