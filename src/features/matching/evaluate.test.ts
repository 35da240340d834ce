import { describe, expect, it } from 'vitest';
import type { BlindKey } from './blind.js';
import { evaluateTask, type LabelledEntity, type LinkageTask } from './evaluate.js';

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
});
