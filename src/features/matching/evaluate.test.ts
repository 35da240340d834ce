import { describe, expect, it } from 'vitest';
import type { BlindKey } from './blind.js';
import type { LinkageDataset } from './datasets.js';
import { evaluateTask, type LabelledEntity, type LinkageTask, linkageTaskOf } from './evaluate.js';

const KEY: BlindKey = { id: 'eval-test', secret: new Uint8Array(32).fill(5) };

// Fictional people, each distinct in name and date of birth.
const PEOPLE: [string, number][] = [
  ['Tobias Lindqvist', 1971],
  ['Marta Kowalczyk', 1983],
  ['Oksana Dzhabarova', 1990],
  ['Rafael Quintero', 1965],
  ['Ingrid Solberg', 1958],
  ['Kwame Mensah', 1977],
];

function entity(id: string, name: string, year: number): LabelledEntity {
  return { id, input: { kind: 'person', names: [name], birthDates: [{ year, month: 3, day: 9 }] } };
}

describe('evaluateTask', () => {
  it('links two organizations perfectly when records differ only in spelling and order', () => {
    const left = PEOPLE.map(([n, y], i) => entity(`l${i}`, n, y));
    const right = PEOPLE.map(([n, y], i) =>
      entity(`r${i}`, n.split(' ').reverse().join(', ').toUpperCase(), y),
    );
    const task: LinkageTask = { name: 'toy', left, right, truth: PEOPLE.map((_, i) => [`l${i}`, `r${i}`]) };
    const r = evaluateTask(task, { key: KEY });
    expect(r.overall.top1).toBe(1);
    expect(r.overall.f1).toBe(1);
    expect(r.overall.blockingRecall).toBe(1);
    expect(r.overall.candidatePairs).toBeGreaterThanOrEqual(PEOPLE.length);
    expect(r.encodeEntitiesPerSecond).toBeGreaterThan(0);
  });

  it('counts a true pair it cannot find against recall, and breaks results down by segment', () => {
    const left = [entity('l0', 'Tobias Lindqvist', 1971), entity('l1', 'Kalle Anka', 1934)];
    const right = [entity('r0', 'Tobias Lindqvist', 1971), entity('r1', 'Ingrid Solberg', 1958)];
    const task: LinkageTask = {
      name: 'toy',
      left,
      right,
      // l1 is truly r1 under a name and a date that share nothing: no blind matcher finds it.
      truth: [
        ['l0', 'r0'],
        ['l1', 'r1'],
      ],
      segment: (id) => (id === 'l0' ? 'easy' : 'hard'),
    };
    const r = evaluateTask(task, { key: KEY });
    expect(r.overall.recall).toBe(0.5);
    expect(r.overall.precision).toBe(1);
    expect(r.segments.easy?.top1).toBe(1);
    expect(r.segments.hard?.top1).toBe(0);
  });

  it('deduplicates within one organization, counting each unordered pair once', () => {
    const left = [
      entity('a1', 'Tobias Lindqvist', 1971),
      entity('a2', 'Lindqvist Tobias', 1971),
      entity('a3', 'Tobias Lindkvist', 1971),
      entity('b1', 'Marta Kowalczyk', 1983),
    ];
    const task: LinkageTask = {
      name: 'dedup',
      left,
      truth: [
        ['a1', 'a2'],
        ['a1', 'a3'],
        ['a2', 'a3'],
      ],
    };
    const r = evaluateTask(task, { key: KEY });
    expect(r.overall.truePairs).toBe(3);
    expect(r.overall.recall).toBe(1);
    expect(r.overall.precision).toBe(1);
  });

  it('evaluates a data set of FtM entities through matchInputOf, by segment', () => {
    const dataset: LinkageDataset = {
      name: 'ftm',
      left: [
        {
          id: 'q1',
          schema: 'Person',
          properties: { name: ['LINDQVIST, Tobias'], birthDate: ['1971-03-09'] },
        },
        {
          id: 'q2',
          schema: 'Organization',
          properties: { name: ['Kowalczyk Trading Bank'], country: ['pl'] },
        },
      ],
      right: [
        { id: 't1', schema: 'Person', properties: { firstName: ['Tobias'], lastName: ['Lindqvist'] } },
        { id: 't2', schema: 'Company', properties: { name: ['Bank Kowalczyk'], jurisdiction: ['pl'] } },
        { id: 't3', schema: 'Person', properties: { name: ['Marta Kowalczyk'], birthDate: ['1983'] } },
      ],
      truth: [
        ['q1', 't1'],
        ['q2', 't2'],
      ],
      segments: new Map([
        ['q1', 'person'],
        ['q2', 'entity'],
      ]),
      splitUnits: new Map(),
    };
    const task = linkageTaskOf(dataset);
    expect(task.left[1]?.input).toMatchObject({ kind: 'organization', countries: ['PL'] });
    expect(task.right?.[0]?.input.names).toEqual(['Tobias Lindqvist']);
    const r = evaluateTask(task, { key: KEY });
    expect(r.overall.top1).toBe(1);
    expect(r.segments.person?.queries).toBe(1);
    expect(r.segments.entity?.top1).toBe(1);
  });
});
