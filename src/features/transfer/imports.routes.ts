import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../../app.js';
import type { AppContext } from '../../context.js';
import { DATA_WRITER_ROLES } from '../../domain/vocabulary.js';
import { csvColumns, parserFor } from '../../formats/index.js';
import type { ParseEvent } from '../../formats/types.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { type FieldError, invalid, invalidMany, notFound, Problem } from '../../platform/http/problem.js';
import { requireActor } from '../../platform/http/request-actor.js';
import { describeSchemata } from '../records/records.model.js';
import { type ImportDefaults, ImportDefaultsSchema } from './imports.model.js';
import {
  checkImportDefaults,
  createImportJob,
  failInterruptedImports,
  type ImportSummary,
  jobView,
  runImport,
} from './imports.service.js';
import {
  IdParams,
  ImportAccepted,
  ImportJobList,
  ImportJobView,
  ImportQuery,
  ListQuery,
  MappingBody,
  MappingList,
  MappingView,
  PreviewQuery,
  PreviewView,
} from './transfer.schema.js';
import {
  type ImportMappingRow,
  jobErrors,
  listJobs,
  listMappings,
  loadJob,
  loadMapping,
} from './transfer.store.js';

const tags = ['imports'];
const DEFAULTS_HEADER = 'x-entente-import-defaults';
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;
const PREVIEW_BYTES = 64 * 1024;
const PREVIEW_EVENTS = 20;

/** Imports running in this process, by job id: started on upload, awaited by tests and shutdown. */
const running = new Map<string, Promise<ImportSummary | undefined>>();

/** Resolves when the import job has finished in this process (immediately when it is not running here). */
export async function waitForImport(id: string): Promise<ImportSummary | undefined> {
  return running.get(id);
}

function mappingView(row: ImportMappingRow) {
  return {
    id: row.id,
    name: row.name,
    schema: row.schema,
    idColumn: row.id_column,
    columns: row.columns,
    createdAt: row.created_at.toISOString(),
  };
}

/** The import defaults header, parsed and validated; a 400 names the offending field. */
function parseDefaults(request: FastifyRequest): ImportDefaults {
  const raw = request.headers[DEFAULTS_HEADER];
  if (typeof raw !== 'string' || raw.length === 0) {
    throw invalid(
      'defaults',
      'required',
      `send the import defaults as JSON in the ${DEFAULTS_HEADER} header`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid('defaults', 'json', `the ${DEFAULTS_HEADER} header is not valid JSON`);
  }
  if (!Value.Check(ImportDefaultsSchema, value)) {
    const seen = new Set<string>();
    const errors: FieldError[] = [];
    for (const e of Value.Errors(ImportDefaultsSchema, value)) {
      const field = `defaults${e.path.replaceAll('/', '.')}`;
      if (seen.has(field)) continue;
      seen.add(field);
      const allowed = (e.schema as { anyOf?: { const?: unknown }[] }).anyOf
        ?.map((s) => s.const)
        .filter((c) => typeof c === 'string');
      errors.push(
        /required/i.test(e.message)
          ? { field, rule: 'required', message: 'is required' }
          : allowed && allowed.length > 0
            ? { field, rule: 'enum', message: `must be one of: ${allowed.join(', ')}` }
            : { field, rule: 'schema', message: e.message },
      );
    }
    throw invalidMany(errors);
  }
  const defaults = value as ImportDefaults;
  checkImportDefaults(defaults);
  return defaults;
}

function rawBody(request: FastifyRequest): Readable {
  const body = request.body;
  if (!(body instanceof Readable)) {
    throw new Problem(
      415,
      'unsupported_media_type',
      'Unsupported media type',
      'Send the file as the raw body with content-type application/octet-stream.',
    );
  }
  return body;
}

async function mappingFor(ctx: AppContext, actor: Actor, id: string | undefined) {
  if (!id) return undefined;
  const row = await loadMapping(ctx.db, actor.organizationId, id);
  if (!row) throw invalid('mapping', 'exists', 'no such import mapping in your organization');
  return { schema: row.schema, idColumn: row.id_column, columns: row.columns };
}

function parserOrInvalid(format: Parameters<typeof parserFor>[0], mapping: Parameters<typeof parserFor>[1]) {
  try {
    return parserFor(format, mapping);
  } catch (err) {
    throw invalid('mapping', 'required', err instanceof Error ? err.message : String(err));
  }
}

/**
 * The first `max` bytes of a request body. The rest is left to drain: destroying the request
 * stream (what breaking out of `for await` does) would close the socket before the answer.
 */
function readHead(stream: Readable, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      stream.off('data', onData);
      stream.off('end', finish);
      stream.off('error', reject);
      stream.resume();
      resolve(Buffer.concat(chunks).subarray(0, max));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= max) finish();
    };
    stream.on('data', onData);
    stream.once('end', finish);
    stream.once('error', reject);
  });
}

function spoolDir(ctx: AppContext): string {
  return ctx.config.dataDir.startsWith('memory://')
    ? join(tmpdir(), 'entente-spool')
    : join(ctx.config.dataDir, 'spool');
}

/** Bulk imports of FtM lines, STIX 2.1 bundles, MISP events and mapped CSV into records. */
export const importRoutes: FastifyPluginAsyncTypebox<FeatureOptions> = async (app, { ctx }) => {
  // The file goes to disk as it arrives: never buffered in memory, whatever its size.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
  app.addHook('preValidation', async (request) => {
    requireActor(request);
  });
  await failInterruptedImports(ctx);

  const writer = (request: FastifyRequest, scope: 'records:read' | 'records:write') =>
    requireActor(request, { scope, roles: [...DATA_WRITER_ROLES] });

  app.post(
    '/imports',
    {
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags,
        summary: 'Upload a file to import as records (raw body; defaults in x-entente-import-defaults)',
        consumes: ['application/octet-stream'],
        querystring: ImportQuery,
        response: { 202: ImportAccepted },
      },
    },
    async (request, reply) => {
      const actor = writer(request, 'records:write');
      const defaults = parseDefaults(request);
      const body = rawBody(request);
      const mapping = await mappingFor(ctx, actor, request.query.mapping);
      parserOrInvalid(request.query.format, mapping);
      const dir = spoolDir(ctx);
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${randomUUID()}.upload`);
      let size = 0;
      // A raw-stream parser bypasses Fastify's body limit: the spool enforces it.
      const limit = new Transform({
        transform(chunk: Buffer, _enc, next) {
          size += chunk.length;
          if (size > MAX_UPLOAD_BYTES) {
            next(
              new Problem(413, 'payload_too_large', 'Request body too large', 'Files are limited to 2 GiB.'),
            );
          } else next(null, chunk);
        },
      });
      try {
        await pipeline(body, limit, createWriteStream(path));
      } catch (err) {
        await unlink(path).catch(() => undefined);
        throw err;
      }
      const bytesTotal = (await stat(path)).size;
      const id = await createImportJob(ctx, actor, {
        format: request.query.format,
        defaults,
        mappingId: request.query.mapping,
        bytesTotal,
      });
      const log = request.log;
      const job = runImport(ctx, actor, {
        jobId: id,
        format: request.query.format,
        source: createReadStream(path),
        bytesTotal,
        defaults,
        mappingId: request.query.mapping,
      })
        .catch(async (err: unknown) => {
          log.error({ err, importId: id }, 'import failed');
          await ctx.db
            .updateTable('import_jobs')
            .set({
              status: 'failed',
              failure: err instanceof Error ? err.message : String(err),
              finished_at: ctx.clock.now(),
            })
            .where('id', '=', id)
            .execute()
            .catch(() => undefined);
          return undefined;
        })
        .finally(async () => {
          running.delete(id);
          await unlink(path).catch(() => undefined);
        });
      running.set(id, job);
      return reply.status(202).header('location', `/api/v1/imports/${id}`).send({ id });
    },
  );

  app.post(
    '/imports/preview',
    {
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags,
        summary: 'Parse the first 64 KiB of a file: the first 20 events, and CSV columns',
        consumes: ['application/octet-stream'],
        querystring: PreviewQuery,
        response: { 200: PreviewView },
      },
    },
    async (request) => {
      const actor = writer(request, 'records:write');
      const body = rawBody(request);
      const mapping = await mappingFor(ctx, actor, request.query.mapping);
      const head = await readHead(body, PREVIEW_BYTES);
      const items: ParseEvent[] = [];
      const format = request.query.format;
      if (format !== 'csv' || mapping) {
        const parse = parserOrInvalid(format, mapping);
        try {
          for await (const ev of parse([head])) {
            items.push(ev);
            if (items.length >= PREVIEW_EVENTS) break;
          }
        } catch (err) {
          // A bundle cut at 64 KiB ends mid-object: what was parsed before is the preview.
          if (items.length === 0) {
            throw invalid('file', 'parse', err instanceof Error ? err.message : String(err));
          }
        }
      }
      return format === 'csv' ? { items, columns: await csvColumns(head) } : { items };
    },
  );

  app.get(
    '/imports',
    {
      schema: {
        tags,
        summary: 'Your organization’s imports, newest first',
        querystring: ListQuery,
        response: { 200: ImportJobList },
      },
    },
    async (request) => {
      const actor = writer(request, 'records:read');
      await failInterruptedImports(ctx);
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      const { rows, total } = await listJobs(ctx.db, actor.organizationId, limit, offset);
      return { items: rows.map((r) => jobView(r, [])), total, limit, offset };
    },
  );

  app.get(
    '/imports/:id',
    {
      schema: {
        tags,
        summary: 'One import’s progress and first errors',
        params: IdParams,
        response: { 200: ImportJobView },
      },
    },
    async (request) => {
      const actor = writer(request, 'records:read');
      await failInterruptedImports(ctx);
      const row = await loadJob(ctx.db, actor.organizationId, request.params.id);
      if (!row) throw notFound('import');
      return jobView(row, await jobErrors(ctx.db, row.id, 100));
    },
  );

  app.get(
    '/imports/:id/errors.csv',
    {
      schema: {
        tags,
        summary: 'All rejected rows of an import as CSV (index, reason)',
        params: IdParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const actor = writer(request, 'records:read');
      const row = await loadJob(ctx.db, actor.organizationId, request.params.id);
      if (!row) throw notFound('import');
      const jobId = row.id;
      async function* lines(): AsyncGenerator<string> {
        yield 'index,reason\n';
        let after = -1;
        for (;;) {
          const page = await jobErrors(ctx.db, jobId, 1000, after);
          if (page.length === 0) return;
          yield page.map((e) => `${e.source_index},"${e.reason.replaceAll('"', '""')}"\n`).join('');
          after = page[page.length - 1]?.seq ?? after;
        }
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${jobId}-errors.csv"`)
        .send(Readable.from(lines()));
    },
  );

  app.get(
    '/import-mappings',
    { schema: { tags, summary: 'Your organization’s saved CSV mappings', response: { 200: MappingList } } },
    async (request) => {
      const actor = writer(request, 'records:read');
      return { items: (await listMappings(ctx.db, actor.organizationId)).map(mappingView) };
    },
  );

  app.post(
    '/import-mappings',
    {
      schema: {
        tags,
        summary: 'Save a CSV mapping (columns → FollowTheMoney properties) for reuse',
        body: MappingBody,
        response: { 201: MappingView },
      },
    },
    async (request, reply) => {
      const actor = writer(request, 'records:write');
      const input = request.body;
      const schema = describeSchemata().find((s) => s.name === input.schema);
      if (!schema) throw invalid('schema', 'enum', `${input.schema} is not a schema records may have`);
      const names = new Set(schema.properties.map((p) => p.name));
      const errors: FieldError[] = Object.entries(input.columns)
        .filter(([, prop]) => !names.has(prop))
        .map(([column, prop]) => ({
          field: `columns.${column}`,
          rule: 'ftm_property',
          message: `${input.schema} has no property "${prop}"`,
        }));
      if (errors.length > 0) throw invalidMany(errors);
      const now = ctx.clock.now();
      const row = await ctx.db.transaction().execute(async (trx) => {
        const created = await trx
          .insertInto('import_mappings')
          .values({
            id: randomUUID(),
            owner_org_id: actor.organizationId,
            name: input.name,
            schema: input.schema,
            id_column: input.idColumn,
            columns: JSON.stringify(input.columns),
            created_by: actor.userId,
            created_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        // A mapping decides what every later CSV import makes of its columns: who saved it is audited.
        await appendAudit(trx, now, [
          {
            action: 'import_mapping.created',
            actorUserId: actor.userId,
            actorOrgId: actor.organizationId,
            objectType: 'import_mapping',
            objectId: created.id,
            ownerOrgId: actor.organizationId,
            outcome: 'success',
            ip: request.ip,
            details: {
              name: input.name,
              schema: input.schema,
              idColumn: input.idColumn,
              columns: input.columns,
            },
          },
        ]);
        return created;
      });
      return reply.status(201).send(mappingView(row));
    },
  );
};
