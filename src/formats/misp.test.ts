import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMisp, toMispEvent } from './misp.js';
import { sampleRecords } from './records.fixture.js';
import type { ParseEvent } from './types.js';

const EVENTS = join(import.meta.dirname, '../../../shared/data/misp-events');

async function parse(doc: unknown): Promise<ParseEvent[]> {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
  const chunks = text.match(/[\s\S]{1,101}/g) ?? [];
  const out: ParseEvent[] = [];
  for await (const e of parseMisp(chunks)) out.push(e);
  return out;
}
const attr = (type: string, value: string, tags: string[] = []) => ({
  uuid: `u-${type}-${value}`,
  type,
  value,
  Tag: tags.map((name) => ({ name })),
});
const obj = (name: string, rels: [string, string][], tags: string[] = []) => ({
  uuid: `o-${name}`,
  name,
  Attribute: rels.map(([object_relation, value]) => ({ object_relation, value, type: 'text' })),
  Tag: tags.map((n) => ({ name: n })),
});

describe('parseMisp', () => {
  it('maps attributes and objects, numbering attributes then objects, with tags (event tags last)', async () => {
    const events = await parse({
      Event: {
        info: 'x',
        Object: [
          obj('person', [
            ['first-name', 'Ana'],
            ['last-name', 'Pérez'],
            ['date-of-birth', '1980-02-03'],
            ['nationality', 'ES'],
            ['passport-number', 'X1'],
          ]),
          obj(
            'bank-account',
            [
              ['iban', 'DE89370400440532013000'],
              ['swift', 'EQNXDEFF'],
              ['institution-name', 'Equinox Commercial Bank'],
            ],
            ['tlp:red'],
          ),
          obj('phone-number', [['phone-number', '+33612345678']]),
          obj('file', [['filename', 'a.exe']]),
          obj('person', [['text', 'nobody']]),
        ],
        Attribute: [
          attr('email-src', 'a@example.org'),
          attr('phone-number', '+34600111222', ['admiralty-scale:information-credibility="1"']),
          attr('iban', 'GB82WEST12345698765432'),
          attr('btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT'),
          attr('md5', 'd41d8cd98f00b204e9800998ecf8427e'),
        ],
        Tag: [
          { name: 'tlp:amber' },
          { name: 'admiralty-scale:source-reliability="b"' },
          { name: 'admiralty-scale:information-credibility="2"' },
        ],
      },
    });
    const summary = events.map((e) =>
      e.type === 'entity'
        ? [e.index, e.entity.schema, e.entity.properties, e.entity.tlp, e.entity.evaluation]
        : e,
    );
    const evaluation = { scheme: 'nato6x6', source: 'B', information: '2' };
    expect(summary).toEqual([
      [1, 'UserAccount', { username: ['a@example.org'], email: ['a@example.org'] }, 'TLP:AMBER', evaluation],
      [
        2,
        'LegalEntity',
        { name: ['+34600111222'], phone: ['+34600111222'] },
        'TLP:AMBER',
        { ...evaluation, information: '1' },
      ],
      [3, 'BankAccount', { iban: ['GB82WEST12345698765432'] }, 'TLP:AMBER', evaluation],
      [
        4,
        'CryptoWallet',
        { publicKey: ['1BoatSLRHtKNngkdXEeobR76b53LETtpyT'], currency: ['BTC'] },
        'TLP:AMBER',
        evaluation,
      ],
      {
        type: 'skipped',
        index: 5,
        objectType: 'md5',
        reason: 'no FollowTheMoney mapping for MISP attribute md5',
      },
      [
        6,
        'Person',
        {
          name: ['Ana Pérez'],
          firstName: ['Ana'],
          lastName: ['Pérez'],
          birthDate: ['1980-02-03'],
          nationality: ['es'],
          passportNumber: ['X1'],
        },
        'TLP:AMBER',
        evaluation,
      ],
      [
        7,
        'BankAccount',
        { iban: ['DE89370400440532013000'], bic: ['EQNXDEFF'], bankName: ['Equinox Commercial Bank'] },
        'TLP:RED',
        evaluation,
      ],
      [8, 'LegalEntity', { name: ['+33612345678'], phone: ['+33612345678'] }, 'TLP:AMBER', evaluation],
      {
        type: 'skipped',
        index: 9,
        objectType: 'object:file',
        reason: 'no FollowTheMoney mapping for MISP object file',
      },
      { type: 'rejected', index: 10, reason: expect.stringContaining('properties.name: required') },
    ]);
  });

  it('maps TLP words including white and amber+strict, and ignores admiralty g', async () => {
    for (const [tag, tlp] of [
      ['tlp:white', 'TLP:CLEAR'],
      ['tlp:clear', 'TLP:CLEAR'],
      ['tlp:green', 'TLP:GREEN'],
      ['tlp:amber+strict', 'TLP:AMBER+STRICT'],
      ['tlp:red', 'TLP:RED'],
    ]) {
      const [e] = await parse({
        Attribute: [attr('iban', 'X1', [tag as string, 'admiralty-scale:source-reliability="g"'])],
      });
      expect(e).toMatchObject({ type: 'entity', entity: { tlp } });
      expect(e?.type === 'entity' ? e.entity.evaluation : 'not an entity').toBeUndefined();
    }
  });

  it.runIf(existsSync(EVENTS))('reads the PyMISP test events, counting skipped types', async () => {
    const counts = async (file: string) => {
      const events = await parse(readFileSync(join(EVENTS, file), 'utf8'));
      const skipped: Record<string, number> = {};
      for (const e of events)
        if (e.type === 'skipped') skipped[e.objectType] = (skipped[e.objectType] ?? 0) + 1;
      return {
        total: events.length,
        entities: events.filter((e) => e.type === 'entity').length,
        skipped,
        last: events.at(-1)?.index,
      };
    };
    expect(await counts('57c4445b-c548-4654-af0b-4be3950d210f.json')).toEqual({
      total: 9,
      entities: 0,
      skipped: { link: 2, comment: 1, text: 1, filename: 1, md5: 1, sha1: 1, sha256: 1, 'regkey|value': 1 },
      last: 9,
    });
    expect(await counts('existing_event.json')).toEqual({
      total: 58,
      entities: 0,
      skipped: { domain: 7, link: 1, text: 1, 'object:file': 37, 'object:domain-ip': 12 },
      last: 58,
    });
  });
});

describe('toMispEvent', () => {
  it('exports persons, bank accounts and phones as objects, with tlp and admiralty tags, and parses back', async () => {
    const records = sampleRecords();
    const event = toMispEvent(records, { info: 'test' });
    expect(event.Event.Object.map((o) => o.name).sort()).toEqual(['bank-account', 'person', 'phone-number']);
    expect(event.Event.Attribute.map((a) => a.type).sort()).toEqual(['btc', 'email']);
    // The event carries the most restrictive label among the exported records (the phone's TLP:RED).
    expect(event.Event.Tag).toEqual([{ name: 'tlp:red' }]);
    const person = event.Event.Object.find((o) => o.name === 'person');
    expect(person?.Tag).toEqual([
      { name: 'tlp:clear' },
      { name: 'admiralty-scale:source-reliability="b"' },
      { name: 'admiralty-scale:information-credibility="2"' },
    ]);
    const back = await parse(event);
    const entities = back.flatMap((e) => (e.type === 'entity' ? [e.entity] : []));
    expect(back.length).toBe(entities.length);
    expect(entities.find((e) => e.schema === 'Person')).toMatchObject({
      tlp: 'TLP:CLEAR',
      evaluation: { scheme: 'nato6x6', source: 'B', information: '2' },
      properties: { name: ['Ana "Ana" Pérez, Jr.'], birthDate: ['1980-02-03'], passportNumber: ['X1234567'] },
    });
    expect(entities.find((e) => e.schema === 'BankAccount')?.properties).toEqual({
      iban: ['DE89370400440532013000'],
      bic: ['EQNXDEFF'],
      bankName: ['Equinox Commercial Bank'],
    });
    expect(toMispEvent(records, { info: 'test' })).toEqual(event);
  });
});
