import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { toCsv, toFtmLines, toMispEvent, toStixBundle } from '../../formats/index.js';
import type { ExportableRecord } from '../../formats/types.js';
import { coveringAgreementSql, loadReadScope, readBasisSql } from '../../platform/access/governed.js';
import { loadReader } from '../../platform/access/reader.js';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { containsPattern } from '../../platform/db/like.js';
import type { RecordRow } from '../../platform/db/schema.js';
import { recordFlows } from '../records/records.store.js';
import type { TransferFormat } from './imports.model.js';
import type { ExportFilters } from './transfer.schema.js';

/** At most this many records leave in one export; a larger selection is cut (and says so). */
export const EXPORT_CAP = 50_000;
const AUDIT_BATCH = 1000;

export interface ExportResult {
  filename: string;
  contentType: string;
  /** H2-coded records of other organizations the selection held: left out, counted. */
  withheld: number;
  /** True when the selection held more than EXPORT_CAP records. */
  truncated: boolean;
  count: number;
  /** The file, in pieces, for streaming. */
  body: Iterable<string>;
}

interface ExportRow extends RecordRow {
  access_basis: string;
  access_ref: string | null;
  owner_name: string;
}

const CONTENT: Record<TransferFormat, { type: string; ext: string }> = {
  ftm: { type: 'application/x-ndjson; charset=utf-8', ext: 'ftm.jsonl' },
  stix: { type: 'application/stix+json; version=2.1; charset=utf-8', ext: 'stix.json' },
  misp: { type: 'application/json; charset=utf-8', ext: 'misp.json' },
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv' },
};

function exportable(r: ExportRow): ExportableRecord {
  return {
    id: r.id,
    schema: r.schema,
    caption: r.caption,
    properties: r.properties,
    owner: { id: r.owner_org_id, name: r.owner_name },
    handling: { tlp: r.tlp, codes: r.handling_codes, h3Text: r.handling_h3_text },
    evaluation: {
      scheme: r.evaluation_scheme,
      source: r.evaluation_source,
      information: r.evaluation_information,
    },
    crimeAreas: r.crime_areas,
    purposes: r.purposes,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function* chunked(text: string, size = 64 * 1024): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

function serialize(format: TransferFormat, records: ExportableRecord[]): Iterable<string> {
  switch (format) {
    case 'ftm':
      return toFtmLines(records);
    case 'stix':
      return chunked(JSON.stringify(toStixBundle(records)));
    case 'misp':
      return chunked(
        JSON.stringify(toMispEvent(records, { info: `Entente export of ${records.length} records` })),
      );
    case 'csv': {
      const out: unknown = toCsv(records);
      return typeof out === 'string' ? chunked(out) : (out as Iterable<string>);
    }
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

/**
 * Exports the records the actor may read that match the filters (the policy engine filters in
 * SQL), at most EXPORT_CAP of them. H2-coded records of other organizations never leave in a file:
 * they are left out and counted. Every exported record gets a `record.exported` audit entry with
 * its basis (written in batches, committed before any byte leaves), and first reads under an
 * agreement count toward the agreement's flows like any read.
 */
export async function exportRecords(
  ctx: AppContext,
  actor: Actor,
  filters: ExportFilters,
  req: { ip?: string | null } = {},
): Promise<ExportResult> {
  const now = ctx.clock.now();
  const reader = await loadReader(ctx.db, actor);
  const scope = await loadReadScope(ctx.db, reader, now);
  let inner = ctx.db
    .selectFrom('records as r')
    .selectAll('r')
    .select(readBasisSql(scope, 'r').as('access_basis'));
  if (filters.q && filters.q.trim().length > 0) {
    inner = inner.where(
      'r.search_text',
      'like',
      containsPattern(filters.q.trim().toLowerCase().normalize('NFKC')),
    );
  }
  if (filters.schema) inner = inner.where('r.schema', '=', filters.schema);
  if (filters.tlp) inner = inner.where('r.tlp', '=', filters.tlp);
  if (filters.crimeArea) inner = inner.where(sql<boolean>`${filters.crimeArea} = ANY(r.crime_areas)`);
  if (filters.owner) inner = inner.where('r.owner_org_id', '=', filters.owner);
  if (filters.status) inner = inner.where('r.status', '=', filters.status);
  if (filters.ids) {
    const ids = [...new Set(filters.ids.split(','))];
    inner = inner.where(sql<boolean>`r.id = ANY(${sql.val(ids)}::uuid[])`);
  }
  const readable = ctx.db.selectFrom(inner.as('s')).where('s.access_basis', 'is not', null);
  const othersH2 = sql<boolean>`('H2' = ANY(s.handling_codes) AND s.owner_org_id <> ${actor.organizationId})`;
  const withheldRow = await readable
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(othersH2)
    .executeTakeFirst();
  const rows = (await readable
    .innerJoin('organizations as o', 'o.id', 's.owner_org_id')
    .selectAll('s')
    .select('o.name as owner_name')
    .where(sql<boolean>`NOT ${othersH2}`)
    .orderBy('s.updated_at', 'desc')
    .orderBy('s.id')
    .limit(EXPORT_CAP + 1)
    .execute()) as unknown as ExportRow[];
  const truncated = rows.length > EXPORT_CAP;
  if (truncated) rows.length = EXPORT_CAP;
  // The agreement behind each 'agreement' row, for the audit entry (as the records list does).
  const agreementIds = rows.filter((r) => r.access_basis === 'agreement').map((r) => r.id);
  const refs = new Map<string, string | null>();
  for (let i = 0; i < agreementIds.length; i += AUDIT_BATCH) {
    const refRows = await ctx.db
      .selectFrom('records as r')
      .select(['r.id', coveringAgreementSql(scope, 'r').as('ref')])
      .where('r.id', 'in', agreementIds.slice(i, i + AUDIT_BATCH))
      .execute();
    for (const row of refRows) refs.set(row.id, row.ref);
  }
  for (const r of rows) r.access_ref = refs.get(r.id) ?? null;
  const format = filters.format;
  if (rows.length > 0) {
    await ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += AUDIT_BATCH) {
        const slice = rows.slice(i, i + AUDIT_BATCH);
        await appendAudit(
          trx,
          now,
          slice.map(
            (r): AuditEntry => ({
              action: 'record.exported',
              actorUserId: actor.userId,
              actorOrgId: actor.organizationId,
              objectType: 'record',
              objectId: r.id,
              ownerOrgId: r.owner_org_id,
              basis: r.access_basis,
              basisRef: r.access_ref,
              outcome: 'allow',
              ip: req.ip ?? null,
              details: { format, tlp: r.tlp },
            }),
          ),
        );
      }
      await recordFlows(
        trx,
        now,
        rows
          .filter((r) => r.access_basis === 'agreement' && r.access_ref)
          .map((r) => ({ recordId: r.id, orgId: actor.organizationId, agreementId: r.access_ref as string })),
      );
    });
  }
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const content = CONTENT[format];
  return {
    filename: `entente-export-${stamp}.${content.ext}`,
    contentType: content.type,
    withheld: Number(withheldRow?.n ?? 0),
    truncated,
    count: rows.length,
    body: serialize(format, rows.map(exportable)),
  };
}
