import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../platform/auth/actor.js';
import { addDays } from '../../platform/clock.js';
import { runImport } from '../transfer/imports.service.js';
import type { EncodedEntity } from './blind.js';
import type { DatasetEntity, LinkageDataset } from './datasets.js';
import { DEFAULT_ENGINE, drainMatchQueue, searchEncoded } from './matching.engine.js';
import { activeEncoder } from './matching.keys.js';

/*
 * Linkage quality through the real pipeline, as a new user would get it: each side of a data set
 * is imported (FollowTheMoney JSON lines, `runImport`) into an organization of its own, under an
 * agreement that allows matching; the match job encodes the records under the platform's blind key
 * and indexes them; each left record's stored encoding is then searched like the hit job does
 * (candidate search in the database, scoring on encodings). The truth only counts results.
 *
 * Scoring every candidate (threshold 0) gives the ranking that top-1 and blocking recall need;
 * precision, recall and F1 are over pairs at the hit threshold. For deduplication the one
 * organization is searched against itself and each unordered pair counts once.
 */

export interface PipelineMetrics {
  queries: number;
  truePairs: number;
  candidatePairs: number;
  blockingRecall: number;
  precision: number;
  recall: number;
  f1: number;
  top1: number;
  /** Queries with a true partner, the denominator of top-1. */
  rankedQueries: number;
}

export interface PipelineEvaluation {
  dataset: string;
  threshold: number;
  imported: number;
  rejected: number;
  overall: PipelineMetrics;
  segments: Record<string, PipelineMetrics>;
  seconds: { import: number; index: number; search: number };
}

async function evaluationOrg(
  ctx: AppContext,
  name: string,
  country: string,
): Promise<{ org: string; actor: Actor }> {
  const now = ctx.clock.now();
  const org = randomUUID();
  const slug = `eval-${randomUUID().slice(0, 8)}`;
  await ctx.db
    .insertInto('organizations')
    .values({
      id: org,
      slug,
      name,
      short_name: null,
      kind: 'national',
      region: 'europe',
      countries: [country],
      agency_type: 'police',
      crime_areas: ['money_laundering'],
      mfa_required: false,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const userId = randomUUID();
  await ctx.db
    .insertInto('users')
    .values({
      id: userId,
      organization_id: org,
      email: `evaluation@${slug}.invalid`,
      display_name: 'Evaluation run',
      password_hash: 'no-login',
      roles: ['analyst'],
      mfa_secret: null,
      locked_until: null,
      disabled_at: null,
      last_login_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return {
    org,
    actor: {
      userId,
      organizationId: org,
      email: `evaluation@${slug}.invalid`,
      displayName: 'Evaluation run',
      roles: ['analyst'],
      via: 'system',
      scopes: null,
    },
  };
}

async function matchingAgreement(ctx: AppContext, parties: string[]): Promise<void> {
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db
    .insertInto('agreements')
    .values({
      id,
      reference: `EVAL-${id.slice(0, 8)}`,
      title: 'Linkage evaluation',
      kind: 'mou',
      status: 'active',
      crime_areas: ['money_laundering'],
      data_categories: ['persons', 'organizations'],
      purposes: ['strategic_analysis'],
      ceiling_tlp: 'TLP:AMBER',
      ceiling_h2_allowed: true,
      matching_allowed: true,
      max_retention_days: null,
      valid_from: addDays(now, -1),
      sunset_at: addDays(now, 365),
      pilot_ends_at: null,
      pilot_success_criteria: null,
      review_triggers: '[]',
      last_reviewed_at: null,
      created_by_org_id: parties[0]!,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await ctx.db
    .insertInto('agreement_parties')
    .values(
      parties.map((p) => ({
        agreement_id: id,
        organization_id: p,
        signed_at: addDays(now, -1),
        signed_by: null,
      })),
    )
    .execute();
}

async function importEntities(ctx: AppContext, actor: Actor, entities: readonly DatasetEntity[]) {
  const lines = entities.map(
    (e) => `${JSON.stringify({ id: e.id, schema: e.schema, properties: e.properties })}\n`,
  );
  const summary = await runImport(ctx, actor, {
    format: 'ftm',
    source: Readable.from(lines),
    defaults: {
      tlp: 'TLP:AMBER',
      codes: ['H0'],
      h3Text: null,
      evaluation: { scheme: 'eu4x4', source: 'B', information: '2' },
      purposes: ['strategic_analysis'],
      crimeAreas: ['money_laundering'],
      subjectCategory: 'suspect',
    },
  });
  return summary;
}

/** Record id → external id (the data set's id) of an organization's records. */
async function externalIdsOf(ctx: AppContext, org: string): Promise<Map<string, string>> {
  const rows = await ctx.db
    .selectFrom('records')
    .select(['id', 'external_id'])
    .where('owner_org_id', '=', org)
    .execute();
  return new Map(rows.filter((r) => r.external_id !== null).map((r) => [r.id, r.external_id!]));
}

interface Scored {
  query: string;
  other: string;
  score: number;
}

function metricsOf(
  scored: readonly Scored[],
  queries: readonly string[],
  truth: ReadonlySet<string>,
  partnersOf: ReadonlyMap<string, number>,
  threshold: number,
  dedup: boolean,
): PipelineMetrics {
  const key = (a: string, b: string) => (dedup && b < a ? `${b}|${a}` : `${a}|${b}`);
  const best = new Map<string, Scored>();
  const pairs = new Map<string, number>();
  for (const s of scored) {
    const k = key(s.query, s.other);
    pairs.set(k, Math.max(pairs.get(k) ?? 0, s.score));
    const b = best.get(s.query);
    if (!b || s.score > b.score) best.set(s.query, s);
  }
  const querySet = new Set(queries);
  let truePairs = 0;
  for (const t of truth) {
    const [a, b] = t.split('|') as [string, string];
    if (querySet.has(a) || (dedup && querySet.has(b))) truePairs++;
  }
  let found = 0;
  let predicted = 0;
  let correct = 0;
  for (const [k, score] of pairs) {
    const isTrue = truth.has(k);
    if (isTrue) found++;
    if (score >= threshold) {
      predicted++;
      if (isTrue) correct++;
    }
  }
  let ranked = 0;
  let top1 = 0;
  for (const q of queries) {
    if ((partnersOf.get(q) ?? 0) === 0) continue;
    ranked++;
    const b = best.get(q);
    if (b && truth.has(key(q, b.other))) top1++;
  }
  const precision = predicted === 0 ? 0 : correct / predicted;
  const recall = truePairs === 0 ? 0 : correct / truePairs;
  return {
    queries: queries.length,
    truePairs,
    candidatePairs: pairs.size,
    blockingRecall: truePairs === 0 ? 0 : found / truePairs,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    top1: ranked === 0 ? 0 : top1 / ranked,
    rankedQueries: ranked,
  };
}

/** Imports a labelled data set as organizations and measures the matcher on it (see the header). */
export async function evaluateThroughPipeline(
  ctx: AppContext,
  dataset: LinkageDataset,
  options: { threshold?: number; country?: string; onProgress?: (line: string) => void } = {},
): Promise<PipelineEvaluation> {
  const threshold = options.threshold ?? DEFAULT_ENGINE.threshold;
  const say = options.onProgress ?? (() => {});
  const dedup = dataset.right === undefined;
  const country = options.country ?? 'US';
  const left = await evaluationOrg(ctx, `Evaluation ${dataset.name} (left)`, country);
  const right = dedup ? left : await evaluationOrg(ctx, `Evaluation ${dataset.name} (right)`, country);
  if (!dedup) await matchingAgreement(ctx, [left.org, right.org]);
  let t = performance.now();
  say(`importing ${dataset.left.length}${dedup ? '' : ` + ${dataset.right!.length}`} entities`);
  const importedLeft = await importEntities(ctx, left.actor, dataset.left);
  const importedRight = dedup ? undefined : await importEntities(ctx, right.actor, dataset.right!);
  const importSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  say('encoding and indexing (match job)');
  await drainMatchQueue(ctx);
  const indexSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const leftIds = await externalIdsOf(ctx, left.org);
  const rightIds = dedup ? leftIds : await externalIdsOf(ctx, right.org);
  const encoder = await activeEncoder(ctx);
  const scored: Scored[] = [];
  const entities = await ctx.db
    .selectFrom('match_entities')
    .select(['record_id', 'encoding'])
    .where('organization_id', '=', left.org)
    .where('key_id', '=', encoder.keyId)
    .orderBy('record_id')
    .execute();
  const options0 = { ...DEFAULT_ENGINE, threshold: 0 };
  for (let i = 0; i < entities.length; i += 500) {
    const batch = entities.slice(i, i + 500);
    const answers = await searchEncoded(
      ctx.db,
      encoder.keyId,
      batch.map((e) => ({
        encoded: e.encoding as EncodedEntity,
        organizations: [right.org],
        recordId: e.record_id,
      })),
      options0,
    );
    for (const [j, e] of batch.entries()) {
      const query = leftIds.get(e.record_id);
      if (!query) continue;
      for (const r of answers[j]!.results) {
        const other = rightIds.get(r.recordId);
        if (other) scored.push({ query, other, score: r.score });
      }
    }
    if (i % 5000 === 0) say(`searched ${Math.min(i + 500, entities.length)} / ${entities.length}`);
  }
  const searchSeconds = (performance.now() - t) / 1000;
  const key = (a: string, b: string) => (dedup && b < a ? `${b}|${a}` : `${a}|${b}`);
  const truth = new Set(dataset.truth.map(([a, b]) => key(a, b)));
  const partnersOf = new Map<string, number>();
  for (const [a, b] of dataset.truth) {
    partnersOf.set(a, (partnersOf.get(a) ?? 0) + 1);
    if (dedup) partnersOf.set(b, (partnersOf.get(b) ?? 0) + 1);
  }
  const queries = dataset.left.map((e) => e.id);
  const segments: Record<string, PipelineMetrics> = {};
  if (dataset.segments) {
    const names = [...new Set(dataset.segments.values())].sort();
    for (const name of names) {
      const inSegment = new Set(queries.filter((q) => dataset.segments!.get(q) === name));
      segments[name] = metricsOf(
        scored.filter((s) => inSegment.has(s.query)),
        [...inSegment],
        new Set([...truth].filter((k) => inSegment.has(k.split('|')[0]!))),
        partnersOf,
        threshold,
        dedup,
      );
    }
  }
  return {
    dataset: dataset.name,
    threshold,
    imported: (importedLeft.created ?? 0) + (importedRight?.created ?? 0),
    rejected: (importedLeft.rejected ?? 0) + (importedRight?.rejected ?? 0),
    overall: metricsOf(scored, queries, truth, partnersOf, threshold, dedup),
    segments,
    seconds: { import: importSeconds, index: indexSeconds, search: searchSeconds },
  };
}
