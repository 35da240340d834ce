import * as ftm from '@opensanctions/followthemoney';
import { Type } from '@sinclair/typebox';
import {
  CRIME_AREAS,
  EVALUATION_GRADES,
  EVALUATION_SCHEMES,
  HANDLING_CODES,
  PURPOSES,
  SUBJECT_CATEGORIES,
  TLP_LABELS,
} from '../../domain/vocabulary.js';
import type { FieldError } from '../../platform/http/problem.js';

/** The file formats an import reads and an export writes. */
export const TRANSFER_FORMATS = ['ftm', 'stix', 'misp', 'csv'] as const;
export type TransferFormat = (typeof TRANSFER_FORMATS)[number];

// The defaults travel in a header, checked with TypeBox's Value (which knows no Unsafe enums):
// plain unions of literals here.
function OneOf<T extends string>(values: readonly T[]) {
  return Type.Union(values.map((v) => Type.Literal(v)));
}

/**
 * What every imported record gets unless the source says otherwise (a STIX marking or a MISP
 * tlp: tag overrides `tlp`, admiralty-scale tags override `evaluation`). Validated like the same
 * fields of POST /records.
 */
export const ImportDefaultsSchema = Type.Object(
  {
    tlp: OneOf(TLP_LABELS),
    codes: Type.Array(OneOf(HANDLING_CODES), { uniqueItems: true, maxItems: 4 }),
    h3Text: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()])),
    evaluation: Type.Object(
      {
        scheme: OneOf(EVALUATION_SCHEMES),
        source: Type.String({ minLength: 1, maxLength: 1 }),
        information: Type.String({ minLength: 1, maxLength: 1 }),
      },
      { additionalProperties: false },
    ),
    purposes: Type.Array(OneOf(PURPOSES), { minItems: 1, uniqueItems: true }),
    crimeAreas: Type.Array(OneOf(CRIME_AREAS), { minItems: 1, uniqueItems: true }),
    subjectCategory: Type.Optional(Type.Union([OneOf(SUBJECT_CATEGORIES), Type.Null()])),
  },
  { additionalProperties: false },
);

/** Import defaults after validation. */
export interface ImportDefaults {
  tlp: (typeof TLP_LABELS)[number];
  codes: (typeof HANDLING_CODES)[number][];
  h3Text?: string | null;
  evaluation: { scheme: (typeof EVALUATION_SCHEMES)[number]; source: string; information: string };
  purposes: (typeof PURPOSES)[number][];
  crimeAreas: (typeof CRIME_AREAS)[number][];
  subjectCategory?: (typeof SUBJECT_CATEGORIES)[number] | null;
}

// Copied from records.service.ts (owned by the records feature, not exported there): the same
// handling and evaluation rules POST /records applies, so an import cannot write what the form refuses.
/** Field errors of a handling block: H3 needs its text, and only H3 has one. */
export function handlingErrors(
  h: { codes: string[]; h3Text?: string | null },
  prefix = 'handling',
): FieldError[] {
  const errors: FieldError[] = [];
  const hasH3 = h.codes.includes('H3');
  if (hasH3 && !h.h3Text) {
    errors.push({ field: `${prefix}.h3Text`, rule: 'required', message: 'H3 needs the restriction as text' });
  }
  if (!hasH3 && h.h3Text) {
    errors.push({
      field: `${prefix}.h3Text`,
      rule: 'h3_only',
      message: 'text is only given with the H3 code',
    });
  }
  return errors;
}

/** Field errors of an evaluation: the grades must belong to the scheme. */
export function evaluationErrors(
  e: { scheme: string; source: string; information: string },
  prefix = 'evaluation',
): FieldError[] {
  const grades = EVALUATION_GRADES[e.scheme as (typeof EVALUATION_SCHEMES)[number]];
  if (!grades) return [{ field: `${prefix}.scheme`, rule: 'enum', message: `unknown scheme ${e.scheme}` }];
  const errors: FieldError[] = [];
  if (!grades.source.includes(e.source)) {
    errors.push({
      field: `${prefix}.source`,
      rule: 'enum',
      message: `for ${e.scheme} must be one of ${grades.source.join(', ')}`,
    });
  }
  if (!grades.information.includes(e.information)) {
    errors.push({
      field: `${prefix}.information`,
      rule: 'enum',
      message: `for ${e.scheme} must be one of ${grades.information.join(', ')}`,
    });
  }
  return errors;
}

// The package's typings describe `defaultModel` as a Model, but it is the model's JSON datum.
const model = new ftm.Model(ftm.defaultModel as unknown as ftm.IModelDatum);
const entityProps = new Map<string, string[]>();

/**
 * The properties of a schema that hold other entities (a link's ends, an account's holder): the
 * values an importer must translate from external ids to record ids. Empty for unknown schemata.
 */
export function entityPropertiesOf(schema: string): string[] {
  let props = entityProps.get(schema);
  if (!props) {
    props = model.schemata[schema]
      ? [...model.getSchema(schema).getProperties().values()]
          .filter((p) => p.type.name === 'entity')
          .map((p) => p.name)
      : [];
    entityProps.set(schema, props);
  }
  return props;
}

/** Key-order-independent JSON of FtM properties, to tell an unchanged record from an updated one. */
export function canonicalProperties(p: Record<string, string[]>): string {
  return JSON.stringify(
    Object.keys(p)
      .sort()
      .map((k) => [k, p[k]]),
  );
}
