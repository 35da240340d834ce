import { createHmac, randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { loadReadScope } from '../../platform/access/governed.js';
import { loadReader } from '../../platform/access/reader.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { RecordRow } from '../../platform/db/schema.js';
import { LINK_SCHEMATA } from './records.model.js';
import type { LinksViewT } from './records.schema.js';
import { decideRecordRead, type RequestInfo, readAudit } from './records.service.js';
import { readableLinksTo, recordFlows, recordsWithBasis } from './records.store.js';

/** Links returned per request at most, newest first: a hub record must not turn into a bulk export. */
export const MAX_LINKS = 200;

type Node = LinksViewT['nodes'][number];
type Edge = LinksViewT['edges'][number];

/** The ends of a link record, preferring `focus` where it is among several values of an end. */
function endsOf(link: RecordRow, focus: string): { source: string; target: string } | null {
  const spec = LINK_SCHEMATA[link.schema];
  if (!spec) return null;
  const sources = (link.properties[spec.source] ?? []).map((v) => v.toLowerCase());
  const targets = (link.properties[spec.target] ?? []).map((v) => v.toLowerCase());
  const source = sources.includes(focus) ? focus : sources[0];
  const target = targets.includes(focus) && source !== focus ? focus : targets[0];
  return source && target ? { source, target } : null;
}

/**
 * The record and its direct links as a graph: every link record that references it and the reader
 * may read (unreadable links are left out entirely), and the links' other ends — or, when the
 * record is itself a link, its own ends. An end the reader may not read (or that does not exist)
 * becomes a placeholder with an opaque key: an HMAC of its id under the platform secret and a salt
 * drawn for this response, so keys match within the response but cannot be correlated across
 * responses or reversed. Every record whose content is returned is audited as read via 'links'.
 */
export async function getLinks(
  ctx: AppContext,
  actor: Actor,
  id: string,
  req: RequestInfo = {},
): Promise<LinksViewT> {
  const now = ctx.clock.now();
  const { row, decision } = await decideRecordRead(ctx, actor, id, now);
  const focus = row.id;
  const scope = await loadReadScope(ctx.db, await loadReader(ctx.db, actor), now);
  const links = await readableLinksTo(ctx.db, scope, focus, LINK_SCHEMATA, MAX_LINKS);

  const edgeRecords: { link: RecordRow; source: string; target: string }[] = [];
  const own = endsOf(row, focus);
  if (own) edgeRecords.push({ link: row, ...own });
  for (const link of links) {
    const ends = endsOf(link, focus);
    if (ends) edgeRecords.push({ link, ...ends });
  }
  const endIds = [...new Set(edgeRecords.flatMap((e) => [e.source, e.target]).filter((x) => x !== focus))];
  const ends = new Map((await recordsWithBasis(ctx.db, scope, endIds)).map((r) => [r.id, r]));

  const salt = randomBytes(16);
  const keyOf = (hidden: string) =>
    `k_${createHmac('sha256', ctx.config.secretKey).update(salt).update(hidden).digest('base64url').slice(0, 22)}`;
  const nodes = new Map<string, Node>();
  const refOf = (nodeId: string): string => {
    if (nodeId === focus) return focus;
    const end = ends.get(nodeId);
    if (end?.access_basis) {
      nodes.set(nodeId, {
        id: end.id,
        schema: end.schema,
        caption: end.caption,
        tlp: end.tlp,
        restricted: false,
      });
      return nodeId;
    }
    const key = keyOf(nodeId);
    nodes.set(key, { id: null, key, restricted: true });
    return key;
  };
  const edges: Edge[] = edgeRecords.map(({ link, source, target }) => ({
    id: link.id,
    schema: link.schema,
    source: refOf(source),
    target: refOf(target),
    label: LINK_SCHEMATA[link.schema]?.label ?? link.schema,
    tlp: link.tlp,
  }));

  // Audit every record whose content leaves: the record, the links, the readable ends.
  const reads = [
    { row, basis: decision.basis as string, ref: decision.ref },
    ...links.map((l) => ({ row: l as RecordRow, basis: l.access_basis, ref: l.access_ref })),
    ...[...ends.values()]
      .filter((e) => e.access_basis !== null)
      .map((e) => ({ row: e as RecordRow, basis: e.access_basis as string, ref: e.access_ref })),
  ]
    .filter((r, i, all) => all.findIndex((x) => x.row.id === r.row.id) === i)
    .map((r) => ({ ...r, ref: r.basis === 'agreement' ? r.ref : null }));
  await ctx.db.transaction().execute(async (trx) => {
    await appendAudit(
      trx,
      now,
      reads.map((r) => readAudit(actor, r.row, r.basis, r.ref, 'links', req.ip)),
    );
    await recordFlows(
      trx,
      now,
      reads
        .filter((r) => r.basis === 'agreement' && r.ref)
        .map((r) => ({ recordId: r.row.id, orgId: actor.organizationId, agreementId: r.ref as string })),
    );
  });

  // A link in focus is its own edge; it is a node too only when other links point at it.
  const focusIsNode = !own || edges.some((e) => e.source === focus || e.target === focus);
  const focusNode: Node = {
    id: row.id,
    schema: row.schema,
    caption: row.caption,
    tlp: row.tlp,
    restricted: false,
  };
  return { nodes: [...(focusIsNode ? [focusNode] : []), ...nodes.values()], edges };
}
