import {
  BlindEncoder,
  type BlindKey,
  DEFAULT_ENCODING,
  type EncodedEntity,
  type EncodingConfig,
  type MatchInput,
} from './blind.js';
import type { DatasetEntity, LinkageDataset } from './datasets.js';
import { matchInputOf } from './input.js';
import {
  CandidateIndex,
  type CandidateIndex as CandidateIndexType,
  type CandidateOptions,
  DEFAULT_CANDIDATES,
  DEFAULT_HIT_THRESHOLD,
  DEFAULT_MATCH_CONFIG,
  type MatchConfig,
  newScoreDetail,
  type PreparedEntity,
  prepareEntity,
  scorePair,
} from './score.js';

/*
 * Linkage quality measured through the blind pipeline only: raw inputs are encoded (the only
 * place raw values are read), indexed, searched by blocking keys and scored on encodings. The
 * truth is used for counting, never for matching.
 */

export interface LabelledEntity {
  readonly id: string;
  readonly input: MatchInput;
}

/**
 * A labelled task. `right` present: link each left entity to the right ones (two organizations).
 * `right` absent: deduplicate `left` (pairs inside one organization). `truth` lists the true pairs
 * by id (for deduplication, in either order).
 */
export interface LinkageTask {
  readonly name: string;
  readonly left: readonly LabelledEntity[];
  readonly right?: readonly LabelledEntity[];
  readonly truth: readonly (readonly [string, string])[];
  /** Optional label per left id for breaking results down (e.g. person/entity). */
  readonly segment?: (leftId: string) => string;
}

/**
 * A labelled data set as a linkage task: every entity read through `matchInputOf`, the path stored
 * records take, so the evaluation measures what the database pipeline will match on.
 */
export function linkageTaskOf(dataset: LinkageDataset, ownerCountry?: string): LinkageTask {
  const labelled = (e: DatasetEntity): LabelledEntity => ({
    id: e.id,
    input: matchInputOf(e.schema, e.properties, ownerCountry),
  });
  const segments = dataset.segments;
  return {
    name: dataset.name,
    left: dataset.left.map(labelled),
    ...(dataset.right ? { right: dataset.right.map(labelled) } : {}),
    truth: dataset.truth,
    ...(segments ? { segment: (id: string) => segments.get(id) ?? 'other' } : {}),
  };
}

export interface EvaluationOptions {
  readonly key: BlindKey;
  readonly encoding?: EncodingConfig;
  readonly match?: MatchConfig;
  readonly candidates?: CandidateOptions;
  /** Score at or above which a pair is predicted a match. */
  readonly threshold?: number;
}

export interface Metrics {
  readonly queries: number;
  readonly truePairs: number;
  readonly candidatePairs: number;
  /** True pairs found among the candidates. */
  readonly blockingRecall: number;
  /** Over all pairs scored at or above the threshold. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Over each query's best candidate only, when at or above the threshold (one hit per query). */
  readonly bestPrecision: number;
  readonly bestRecall: number;
  readonly bestF1: number;
  /** Queries with a true partner whose best-scored candidate is a true partner. */
  readonly top1: number;
}

export interface EvaluationResult {
  readonly task: string;
  readonly overall: Metrics;
  readonly segments: Readonly<Record<string, Metrics>>;
  readonly encodeEntitiesPerSecond: number;
  readonly scoredPairsPerSecond: number;
  /** Mean candidate search + scoring time per query, milliseconds (in memory, one core). */
  readonly queryMillisMean: number;
  readonly queryMillisP99: number;
}

interface Scored {
  readonly query: number;
  readonly target: number;
  readonly score: number;
  readonly logOdds: number;
  /** At or above the threshold. */
  hit: boolean;
}

interface Tally {
  queries: number;
  truePairs: number;
  candidatePairs: number;
  blocked: number;
  predicted: number;
  truePredicted: number;
  bestPredicted: number;
  bestTrue: number;
  top1Eligible: number;
  top1Hits: number;
}

function emptyTally(): Tally {
  return {
    queries: 0,
    truePairs: 0,
    candidatePairs: 0,
    blocked: 0,
    predicted: 0,
    truePredicted: 0,
    bestPredicted: 0,
    bestTrue: 0,
    top1Eligible: 0,
    top1Hits: 0,
  };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function f1Of(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

function metricsOf(t: Tally): Metrics {
  const precision = ratio(t.truePredicted, t.predicted);
  const recall = ratio(t.truePredicted, t.truePairs);
  const bestPrecision = ratio(t.bestTrue, t.bestPredicted);
  const bestRecall = ratio(t.bestTrue, t.truePairs);
  return {
    queries: t.queries,
    truePairs: t.truePairs,
    candidatePairs: t.candidatePairs,
    blockingRecall: ratio(t.blocked, t.truePairs),
    precision,
    recall,
    f1: f1Of(precision, recall),
    bestPrecision,
    bestRecall,
    bestF1: f1Of(bestPrecision, bestRecall),
    top1: ratio(t.top1Hits, t.top1Eligible),
  };
}

/** Encoded and indexed form of a task, reusable across scoring configurations (tuning). */
export interface IndexedTask {
  readonly task: LinkageTask;
  readonly index: CandidateIndexType;
  readonly leftPositions: readonly number[];
  readonly encodeEntitiesPerSecond: number;
  /** Candidate positions per left entity. */
  readonly candidates: readonly (readonly number[])[];
  /** Candidate search time per left entity, milliseconds. */
  readonly searchMillis: readonly number[];
  readonly ids: readonly string[];
}

/** Encodes every entity of a task, indexes them (left and right as two organizations) and runs the candidate search. */
export function indexTask(
  task: LinkageTask,
  key: BlindKey,
  encoding: EncodingConfig = DEFAULT_ENCODING,
  candidateOptions: CandidateOptions = DEFAULT_CANDIDATES,
): IndexedTask {
  const encoder = new BlindEncoder(key, encoding);
  const all = [...task.left, ...(task.right ?? [])];
  const started = performance.now();
  const encoded: EncodedEntity[] = all.map((e) => encoder.encode(e.input));
  const encodeSeconds = (performance.now() - started) / 1000;
  const index = new CandidateIndex();
  const dedup = task.right === undefined;
  encoded.forEach((e, i) => {
    index.add(e, dedup || i < task.left.length ? 0 : 1);
  });
  const leftPositions = task.left.map((_, i) => i);
  const searchMillis: number[] = [];
  const candidates = leftPositions.map((p) => {
    const started = performance.now();
    const found = index.candidates(
      index.entity(p),
      candidateOptions,
      dedup ? { exclude: p } : { excludeGroup: 0 },
    );
    searchMillis.push(performance.now() - started);
    return found;
  });
  return {
    task,
    index,
    leftPositions,
    encodeEntitiesPerSecond: all.length / Math.max(encodeSeconds, 1e-9),
    candidates,
    searchMillis,
    ids: all.map((e) => e.id),
  };
}

/** Scores an indexed task's candidates under one configuration and counts the metrics. */
export function scoreIndexedTask(
  indexed: IndexedTask,
  match: MatchConfig = DEFAULT_MATCH_CONFIG,
  threshold = DEFAULT_HIT_THRESHOLD,
): EvaluationResult {
  const { task, index, ids } = indexed;
  const dedup = task.right === undefined;
  const prepared: PreparedEntity[] = [];
  for (let i = 0; i < index.population; i++) prepared.push(prepareEntity(index.entity(i), index, match));

  const truth = new Set<string>();
  const partners = new Map<string, number>();
  for (const [l, r] of task.truth) {
    truth.add(`${l}\u0000${r}`);
    if (dedup) truth.add(`${r}\u0000${l}`);
    partners.set(l, (partners.get(l) ?? 0) + 1);
    if (dedup) partners.set(r, (partners.get(r) ?? 0) + 1);
  }
  const isTrue = (a: number, b: number) => truth.has(`${ids[a]}\u0000${ids[b]}`);

  const tallies = new Map<string, Tally>();
  const tallyOf = (segment: string) => {
    let t = tallies.get(segment);
    if (!t) {
      t = emptyTally();
      tallies.set(segment, t);
    }
    return t;
  };
  const overall = emptyTally();
  const detail = newScoreDetail();
  const latencies: number[] = [];
  let scoredPairs = 0;
  let scoringMillis = 0;
  // Deduplication sees each unordered pair from both ends: count it once, with its best score.
  const seenPairs = new Map<string, Scored>();
  const bestPairs = new Set<string>();
  const bestTruePairs = new Set<string>();

  for (const q of indexed.leftPositions) {
    const id = ids[q]!;
    const segment = task.segment?.(id) ?? 'all';
    const tallies2 = [overall, tallyOf(segment)];
    const cands = indexed.candidates[q]!;
    let best: Scored | null = null;
    const scored: Scored[] = [];
    const s0 = performance.now();
    for (const c of cands) {
      const score = scorePair(prepared[q]!, prepared[c]!, detail, match);
      const s: Scored = { query: q, target: c, score, logOdds: detail.logOdds, hit: false };
      scored.push(s);
      // By log-odds: scores of strong pairs round to 1 and would tie.
      if (!best || s.logOdds > best.logOdds) best = s;
    }
    for (const s of scored) s.hit = s.score >= threshold;
    const s1 = performance.now();
    scoringMillis += s1 - s0;
    scoredPairs += cands.length;
    // Candidate search (timed when indexing) plus scoring; the query's own preparation is in
    // the preparation of all entities above.
    latencies.push((indexed.searchMillis[q] ?? 0) + (s1 - s0));

    const nTrue = partners.get(id) ?? 0;
    let blocked = 0;
    for (const s of scored) if (isTrue(s.query, s.target)) blocked++;
    for (const t of tallies2) {
      t.queries++;
      t.candidatePairs += cands.length;
      if (nTrue > 0) {
        t.top1Eligible++;
        if (best && isTrue(best.query, best.target)) t.top1Hits++;
      }
      if (!dedup && best && best.score >= threshold) {
        t.bestPredicted++;
        if (isTrue(best.query, best.target)) t.bestTrue++;
      }
    }
    if (dedup && best && best.score >= threshold) {
      bestPairs.add(`${Math.min(best.query, best.target)}:${Math.max(best.query, best.target)}`);
      if (isTrue(best.query, best.target))
        bestTruePairs.add(`${Math.min(best.query, best.target)}:${Math.max(best.query, best.target)}`);
    }
    if (!dedup) {
      for (const t of tallies2) {
        t.truePairs += nTrue;
        t.blocked += blocked;
        for (const s of scored) {
          if (s.hit) {
            t.predicted++;
            if (isTrue(s.query, s.target)) t.truePredicted++;
          }
        }
      }
    } else {
      for (const s of scored) {
        const a = Math.min(s.query, s.target);
        const b = Math.max(s.query, s.target);
        const k = `${a}:${b}`;
        const prev = seenPairs.get(k);
        if (!prev) seenPairs.set(k, s);
        else if (prev.score < s.score) seenPairs.set(k, { ...s, hit: s.hit || prev.hit });
        else prev.hit ||= s.hit;
      }
    }
  }
  if (dedup) {
    // Over unordered pairs: every true pair counted once, found if either end's search found it.
    overall.truePairs = task.truth.length;
    overall.bestPredicted = bestPairs.size;
    overall.bestTrue = bestTruePairs.size;
    for (const s of seenPairs.values()) {
      const truePair = isTrue(s.query, s.target);
      if (truePair) overall.blocked++;
      if (s.hit) {
        overall.predicted++;
        if (truePair) overall.truePredicted++;
      }
    }
  }
  latencies.sort((a, b) => a - b);
  const segments: Record<string, Metrics> = {};
  for (const [k, t] of tallies) segments[k] = metricsOf(t);
  return {
    task: task.name,
    overall: metricsOf(overall),
    segments,
    encodeEntitiesPerSecond: indexed.encodeEntitiesPerSecond,
    scoredPairsPerSecond: scoredPairs / Math.max(scoringMillis / 1000, 1e-9),
    queryMillisMean: latencies.reduce((s, x) => s + x, 0) / Math.max(latencies.length, 1),
    queryMillisP99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0,
  };
}

/** Runs a task end to end: encode, index, block, score, count. */
export function evaluateTask(task: LinkageTask, options: EvaluationOptions): EvaluationResult {
  const indexed = indexTask(task, options.key, options.encoding, options.candidates);
  return scoreIndexedTask(indexed, options.match, options.threshold);
}
