import * as ftm from '@opensanctions/followthemoney';
import type { MatchInput, PartialDate } from './blind.js';
import { identifierFeatures, normalizeCountryCode, parsePartialDate } from './identifiers.js';
import type { NameKind } from './names.js';

/*
 * The bridge from a stored FollowTheMoney entity to what the blind encoder takes. This is the only
 * place that decides which properties of a record count for matching, so the database pipeline and
 * the quality evaluation read records the same way.
 */

const model = new ftm.Model(ftm.defaultModel);

// Every name under which a party is known; weak aliases ("the Sheikh") are names too, and a
// wrong one costs little since a name that disagrees entirely is capped (see score.ts).
const NAME_PROPERTIES = ['name', 'alias', 'previousName', 'weakAlias', 'abbreviation'] as const;
// Name parts, joined into one name when the record splits it.
const NAME_PARTS = ['firstName', 'secondName', 'middleName', 'fatherName', 'lastName'] as const;

// A person's own countries; birth country and residence are left out: they are other facts, and
// disagreeing countries cost much (score.ts).
const PERSON_COUNTRIES = ['nationality', 'citizenship', 'country'] as const;
const ORGANIZATION_COUNTRIES = ['jurisdiction', 'country', 'mainCountry'] as const;

function valuesOf(properties: Record<string, string[]>, name: string): string[] {
  const values = properties[name];
  if (!Array.isArray(values)) return [];
  return values.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}

/** The matcher's kind for a schema: persons, organizations (Company, PublicBody…), or other (LegalEntity and the rest). */
export function nameKindOf(schema: string): NameKind {
  const s = model.schemata[schema];
  if (!s) return 'other';
  if (s.isA('Person')) return 'person';
  if (s.isA('Organization')) return 'organization';
  return 'other';
}

/**
 * A date of birth (or incorporation) as far as it is known. A date impossible at day precision
 * ("1975-02-30", a typing error) still gives its year and month: a mistyped day must not throw
 * away the rest of the date, which still tells records apart.
 */
export function partialDateOf(raw: string): PartialDate | null {
  const parsed = parsePartialDate(raw);
  if (parsed) {
    const { year, month, day } = parsed;
    return { year, ...(month !== undefined ? { month } : {}), ...(day !== undefined ? { day } : {}) };
  }
  const m = /^(\d{4})(?:-(\d{1,2}))?/.exec(raw.trim());
  if (!m) return null;
  const year = parsePartialDate(m[1]!);
  if (!year) return null;
  const month = m[2] ? Number(m[2]) : undefined;
  return month !== undefined && month >= 1 && month <= 12 ? { year: year.year, month } : { year: year.year };
}

/**
 * What a FollowTheMoney entity contributes to blind matching: its names (name, alias, previous
 * names, weak aliases, abbreviation, and the name parts joined), dates of birth (or incorporation
 * for other parties), countries as ISO alpha-2 codes (nationality, citizenship, country for a
 * person; jurisdiction, country, main country otherwise), normalized identifiers
 * (`identifierFeatures`, dates left out since they are compared as dates) and addresses. Values
 * that do not parse are left out; the result holds raw text only until `BlindEncoder.encode`.
 */
export function matchInputOf(
  schema: string,
  properties: Record<string, string[]>,
  ownerCountry?: string,
): MatchInput {
  const kind = nameKindOf(schema);
  const names: string[] = [];
  for (const p of NAME_PROPERTIES) names.push(...valuesOf(properties, p));
  const parts = NAME_PARTS.flatMap((p) => valuesOf(properties, p));
  if (parts.length > 0) names.push(parts.join(' '));

  const dateProperties = kind === 'person' ? ['birthDate'] : ['incorporationDate'];
  const birthDates: PartialDate[] = [];
  for (const p of dateProperties) {
    for (const raw of valuesOf(properties, p)) {
      const date = partialDateOf(raw);
      if (date) birthDates.push(date);
    }
  }

  const countryProperties = kind === 'person' ? PERSON_COUNTRIES : ORGANIZATION_COUNTRIES;
  const countries = [
    ...new Set(
      countryProperties
        .flatMap((p) => valuesOf(properties, p))
        .map(normalizeCountryCode)
        .filter((c): c is string => c !== null),
    ),
  ];

  const identifiers = identifierFeatures(schema, properties, ownerCountry)
    .filter((f) => f.kind !== 'date')
    .map((f) => ({ kind: f.kind, value: f.value }));

  const addresses = valuesOf(properties, 'address');
  return {
    kind,
    names,
    ...(birthDates.length > 0 ? { birthDates } : {}),
    ...(countries.length > 0 ? { countries } : {}),
    ...(identifiers.length > 0 ? { identifiers } : {}),
    ...(addresses.length > 0 ? { addresses } : {}),
  };
}
