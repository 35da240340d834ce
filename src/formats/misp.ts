import type { EvaluationScheme, TlpLabel } from '../domain/vocabulary.js';
import { EVALUATION_GRADES } from '../domain/vocabulary.js';
import type { FtmProperties } from '../platform/db/schema.js';
import { streamJson } from './json-stream.js';
import { entityEvent, isObject, isoTimestamp, props, str, uuidv5 } from './shared.js';
import { asTlpLabel, mostRestrictive, tlpFromWord } from './tlp.js';
import type { ExportableRecord, ImportedEntity, ParseEvent, ParserInput } from './types.js';

type Json = Record<string, unknown>;
interface Labels {
  tlp?: TlpLabel;
  source?: string;
  information?: string;
}

/** TLP and admiralty grades from MISP tags (`tlp:amber`, `admiralty-scale:source-reliability="b"`). */
function labelsFrom(tags: unknown): Labels {
  const out: Labels = {};
  const tlps: TlpLabel[] = [];
  for (const tag of Array.isArray(tags) ? tags : []) {
    const name = isObject(tag) ? str(tag, 'name') : undefined;
    if (!name) continue;
    const lower = name.toLowerCase();
    if (lower.startsWith('tlp:')) {
      const label = tlpFromWord(lower);
      if (label) tlps.push(label);
      continue;
    }
    const m = /^admiralty-scale:(source-reliability|information-credibility)="?([a-z0-9])"?$/.exec(lower);
    if (!m) continue;
    // nato6x6 has no grade for admiralty "g" (deliberately deceptive): such a tag is not mapped.
    if (m[1] === 'source-reliability' && EVALUATION_GRADES.nato6x6.source.includes(m[2]!.toUpperCase())) {
      out.source = m[2]!.toUpperCase();
    } else if (m[1] === 'information-credibility' && EVALUATION_GRADES.nato6x6.information.includes(m[2]!)) {
      out.information = m[2];
    }
  }
  const tlp = mostRestrictive(tlps);
  if (tlp) out.tlp = tlp;
  return out;
}

/** Own labels over the event's; a half-given grade is completed with "cannot be judged" (F / 6). */
function applyLabels(entity: ImportedEntity, own: Labels, event: Labels): ImportedEntity {
  const tlp = own.tlp ?? event.tlp;
  const source = own.source ?? event.source;
  const information = own.information ?? event.information;
  const out: ImportedEntity = { ...entity };
  if (tlp) out.tlp = tlp;
  if (source || information) {
    const scheme: EvaluationScheme = 'nato6x6';
    out.evaluation = { scheme, source: source ?? 'F', information: information ?? '6' };
  }
  return out;
}

const WALLET_TYPES: Record<string, string> = { btc: 'BTC', xmr: 'XMR', eth: 'ETH', dash: 'DASH' };

type Mapped = { schema: string; properties: FtmProperties } | { skip: string } | { reject: string };

function mapAttribute(a: Json): Mapped {
  const type = str(a, 'type') ?? '';
  const value = str(a, 'value');
  if (!value) return { reject: `attribute ${type}: value is missing` };
  switch (type) {
    case 'email':
    case 'email-src':
    case 'email-dst':
      return { schema: 'UserAccount', properties: props({ username: value, email: value }) };
    case 'phone-number':
      return { schema: 'LegalEntity', properties: props({ name: value, phone: value }) };
    case 'iban':
      return { schema: 'BankAccount', properties: props({ iban: value }) };
    case 'bank-account-nr':
      return { schema: 'BankAccount', properties: props({ accountNumber: value }) };
    case 'full-name':
      return { schema: 'Person', properties: props({ name: value }) };
    default:
      if (WALLET_TYPES[type]) {
        return {
          schema: 'CryptoWallet',
          properties: props({ publicKey: value, currency: WALLET_TYPES[type] }),
        };
      }
      return { skip: type || 'attribute' };
  }
}

function objectValues(o: Json): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const a of Array.isArray(o.Attribute) ? o.Attribute : []) {
    if (!isObject(a)) continue;
    const rel = str(a, 'object_relation');
    const value = str(a, 'value');
    if (!rel || !value) continue;
    values.set(rel, [...(values.get(rel) ?? []), value]);
  }
  return values;
}

function mapObject(o: Json): Mapped {
  const name = str(o, 'name') ?? '';
  const v = objectValues(o);
  const g = (rel: string) => v.get(rel) ?? [];
  switch (name) {
    case 'person': {
      const full =
        g('full-name')[0] ?? [...g('first-name'), ...g('middle-name'), ...g('last-name')].join(' ');
      return {
        schema: 'Person',
        properties: props({
          name: full || g('alias')[0] || g('handle')[0],
          firstName: g('first-name'),
          middleName: g('middle-name'),
          lastName: g('last-name'),
          alias: [...g('alias'), ...g('handle')],
          birthDate: g('date-of-birth'),
          birthPlace: g('place-of-birth'),
          nationality: g('nationality').filter((c) => /^[a-z]{2}$/i.test(c)),
          passportNumber: g('passport-number'),
          idNumber: g('identity-card-number'),
          gender: g('gender')
            .map((x) => x.toLowerCase())
            .filter((x) => ['male', 'female', 'other'].includes(x)),
          email: g('e-mail'),
          phone: g('phone-number'),
          address: g('address'),
          position: g('function'),
          title: g('title'),
          motherName: g('mothers-name'),
          notes: g('text'),
        }),
      };
    }
    case 'bank-account':
      return {
        schema: 'BankAccount',
        properties: props({
          iban: g('iban'),
          accountNumber: g('account'),
          bic: g('swift'),
          bankName: g('institution-name'),
          name: g('account-name'),
          currency: g('currency-code'),
          accountType: g('personal-account-type'),
          // FtM BankAccount has no holder property; the beneficiary's name stays visible in the notes.
          notes: [...g('beneficiary').map((b) => `beneficiary: ${b}`), ...g('comments'), ...g('text')],
        }),
      };
    case 'phone-number': {
      const number = g('phone-number')[0];
      return { schema: 'LegalEntity', properties: props({ name: number, phone: number, notes: g('text') }) };
    }
    default:
      return { skip: name || 'object' };
  }
}

interface Pending {
  kind: 'attribute' | 'object';
  position: number;
  externalId: string;
  mapped: Mapped;
  labels: Labels;
}

/**
 * Parses a MISP core-format event (`{Event: {…}}` or the bare event) as a stream. Attributes map by
 * type (e-mail → UserAccount, phone-number → LegalEntity, iban/bank-account-nr → BankAccount,
 * btc/xmr/eth/dash → CryptoWallet, full-name → Person), objects by name (person, bank-account,
 * phone-number); everything else is `skipped` with its type or object name. `index` is the 1-based
 * position across attributes then objects. Event tags `tlp:*` and `admiralty-scale:*` give `tlp` and a
 * nato6x6 `evaluation`; tags on the attribute or object override them. Events are emitted once the
 * event's tags are known (MISP writes `Tag` after the attributes, so mapped entities wait for it).
 */
export async function* parseMisp(input: ParserInput): AsyncGenerator<ParseEvent> {
  const paths = ['Event.Attribute', 'Event.Object', 'Event.Tag', 'Attribute', 'Object', 'Tag'];
  const eventTags: unknown[] = [];
  const pending: Pending[] = [];
  let attributes = 0;
  let objects = 0;
  let failed: string | null = null;
  try {
    for await (const item of streamJson(input, paths)) {
      if (item.kind === 'element') {
        const key = item.path.replace(/^Event\./, '');
        if (key === 'Tag') {
          eventTags.push(item.value);
          continue;
        }
        const kind = key === 'Attribute' ? 'attribute' : 'object';
        const position = kind === 'attribute' ? ++attributes : ++objects;
        const value = isObject(item.value) ? item.value : {};
        const mapped: Mapped = !isObject(item.value)
          ? { reject: `${kind} is not an object` }
          : kind === 'attribute'
            ? mapAttribute(value)
            : mapObject(value);
        const uuid = str(value, 'uuid') ?? `${kind}-${position}`;
        pending.push({ kind, position, externalId: uuid, mapped, labels: labelsFrom(value.Tag) });
      }
    }
  } catch (error) {
    failed = `invalid JSON: ${(error as Error).message}`;
  }
  const eventLabels = labelsFrom(eventTags);
  // Attributes come first in the numbering even if the file lists objects first.
  pending.sort((a, b) => (a.kind === b.kind ? a.position - b.position : a.kind === 'attribute' ? -1 : 1));
  for (const p of pending) {
    const index = p.kind === 'attribute' ? p.position : attributes + p.position;
    const m = p.mapped;
    if ('skip' in m) {
      yield {
        type: 'skipped',
        index,
        objectType: p.kind === 'attribute' ? m.skip : `object:${m.skip}`,
        reason: `no FollowTheMoney mapping for MISP ${p.kind} ${m.skip}`,
      };
    } else if ('reject' in m) {
      yield { type: 'rejected', index, reason: m.reject };
    } else {
      yield entityEvent(
        index,
        applyLabels(
          { externalId: p.externalId, schema: m.schema, properties: m.properties },
          p.labels,
          eventLabels,
        ),
      );
    }
  }
  if (failed) yield { type: 'rejected', index: attributes + objects + 1, reason: failed };
}

// ---------------------------------------------------------------------------------------------
// Export

const MISP_NAMESPACE = '3d5c2b8e-8f3a-4c1e-9e55-2a7b9f0c6d14';
// Template uuids and versions from MISP/misp-objects (objects/<name>/definition.json).
const TEMPLATES = {
  person: { uuid: 'a15b0477-e9d1-4b9c-9546-abe78a4f4248', version: '21', meta: 'misc' },
  'bank-account': { uuid: 'b4712203-95a8-4883-80e9-b566f5df11c9', version: '3', meta: 'financial' },
  'phone-number': { uuid: 'c4b5a67c-63d2-11ec-90d6-0242ac120003', version: '1', meta: 'mobile' },
} as const;

const tlpTag = (label: TlpLabel) => ({ name: label.toLowerCase() });

function admiraltyTags(r: ExportableRecord): { name: string }[] {
  if (r.evaluation.scheme !== 'nato6x6') return [];
  return [
    { name: `admiralty-scale:source-reliability="${r.evaluation.source.toLowerCase()}"` },
    { name: `admiralty-scale:information-credibility="${r.evaluation.information}"` },
  ];
}

/** One MISP event in core format. */
export interface MispEvent {
  Event: Record<string, unknown> & { Attribute: Json[]; Object: Json[]; Tag: { name: string }[] };
}

/**
 * Serialises records as one MISP event: persons as `person` objects, bank accounts as `bank-account`
 * objects, phones of parties as `phone-number` objects, e-mails, wallets and IBANs as attributes,
 * and records with no MISP equivalent left out. Every attribute and object carries its record's
 * `tlp:` tag (and admiralty-scale tags for nato6x6 grades); the event carries the most restrictive
 * label. Uuids are uuidv5 of the record id, so re-exports update rather than duplicate.
 */
export function toMispEvent(records: readonly ExportableRecord[], options: { info: string }): MispEvent {
  const attributes: Json[] = [];
  const objects: Json[] = [];
  const labels: TlpLabel[] = [];
  const uuid = (s: string) => uuidv5(s, MISP_NAMESPACE);
  for (const r of records) {
    const label = asTlpLabel(r.handling.tlp);
    const tags = [tlpTag(label), ...admiraltyTags(r)];
    const timestamp = String(Math.floor(new Date(isoTimestamp(r.updatedAt)).getTime() / 1000));
    const p = r.properties;
    let used = false;
    const attr = (type: string, category: string, value: string, rel?: string): Json => ({
      uuid: uuid(`${r.id}:${rel ?? type}:${value}`),
      type,
      category,
      value,
      to_ids: false,
      timestamp,
      ...(rel ? { object_relation: rel } : { comment: r.caption, Tag: tags }),
    });
    const object = (name: keyof typeof TEMPLATES, attrs: Json[], key = r.id) => {
      used = true;
      objects.push({
        uuid: uuid(key),
        name,
        'meta-category': TEMPLATES[name].meta,
        template_uuid: TEMPLATES[name].uuid,
        template_version: TEMPLATES[name].version,
        comment: r.caption,
        timestamp,
        Attribute: attrs,
        Tag: tags,
      });
    };
    const each = (name: string, fn: (v: string) => Json) => (p[name] ?? []).map(fn);
    if (r.schema === 'Person') {
      object('person', [
        attr('full-name', 'Person', p.name?.[0] ?? r.caption, 'full-name'),
        ...each('firstName', (v) => attr('first-name', 'Person', v, 'first-name')),
        ...each('lastName', (v) => attr('last-name', 'Person', v, 'last-name')),
        ...each('alias', (v) => attr('text', 'Person', v, 'alias')),
        ...each('birthDate', (v) => attr('date-of-birth', 'Person', v, 'date-of-birth')),
        ...each('nationality', (v) => attr('nationality', 'Person', v, 'nationality')),
        ...each('passportNumber', (v) => attr('passport-number', 'Person', v, 'passport-number')),
        ...each('email', (v) => attr('email-src', 'Person', v, 'e-mail')),
        ...each('phone', (v) => attr('phone-number', 'Person', v, 'phone-number')),
      ]);
    } else if (r.schema === 'BankAccount') {
      const attrs = [
        ...each('iban', (v) => attr('iban', 'Financial fraud', v, 'iban')),
        ...each('accountNumber', (v) => attr('bank-account-nr', 'Financial fraud', v, 'account')),
        ...each('bic', (v) => attr('bic', 'Financial fraud', v, 'swift')),
        ...each('bankName', (v) => attr('text', 'Financial fraud', v, 'institution-name')),
      ];
      if (attrs.length > 0) object('bank-account', attrs);
    } else {
      for (const phone of ['Person', 'UserAccount'].includes(r.schema) ? [] : (p.phone ?? [])) {
        object(
          'phone-number',
          [attr('phone-number', 'Other', phone, 'phone-number')],
          `${r.id}:phone:${phone}`,
        );
      }
      if (r.schema === 'CryptoWallet') {
        const currency = (p.currency?.[0] ?? 'BTC').toLowerCase();
        const type = Object.keys(WALLET_TYPES).find((t) => t === currency) ?? 'btc';
        for (const key of p.publicKey ?? []) {
          attributes.push(attr(type, 'Financial fraud', key));
          used = true;
        }
      }
      for (const email of p.email ?? []) {
        attributes.push(attr('email', 'Social network', email));
        used = true;
      }
    }
    if (used) labels.push(label);
  }
  const eventTlp = mostRestrictive(labels) ?? 'TLP:RED';
  return {
    Event: {
      uuid: uuidv5(records.map((r) => r.id).join(','), MISP_NAMESPACE),
      info: options.info,
      date: (records[0] ? isoTimestamp(records[0].updatedAt) : isoTimestamp('1970-01-01')).slice(0, 10),
      analysis: '2',
      threat_level_id: '4',
      distribution: '0',
      published: false,
      Attribute: attributes,
      Object: objects,
      Tag: [tlpTag(eventTlp)],
    },
  };
}
