import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { AppContext } from '../../context.js';
import type {
  CrimeArea,
  EvaluationScheme,
  HandlingCode,
  Purpose,
  Role,
  SubjectCategory,
  TlpLabel,
} from '../../domain/vocabulary.js';
import type { Actor } from '../../platform/auth/actor.js';
import { Problem } from '../../platform/http/problem.js';
import type { ImportDefaults, TransferFormat } from './imports.model.js';
import { type ImportProgress, runImport } from './imports.service.js';

/** The options of `entente import`, as commander hands them over. */
export interface ImportCliOptions {
  format: TransferFormat;
  org: string;
  user: string;
  tlp: TlpLabel;
  codes: HandlingCode[];
  h3Text?: string;
  evaluation: string;
  purpose: Purpose[];
  crimeArea: CrimeArea[];
  subjectCategory?: SubjectCategory;
  mapping?: string;
}

const MiB = 1024 * 1024;

function progressLine(p: ImportProgress): string {
  const read = (p.bytesRead / MiB).toFixed(1);
  if (!p.bytesTotal) return `processed ${p.processed}, ${read} MiB read`;
  const pct = Math.min(100, (100 * p.bytesRead) / p.bytesTotal).toFixed(0);
  return `processed ${p.processed}, ${read} / ${(p.bytesTotal / MiB).toFixed(1)} MiB (${pct}%)`;
}

/**
 * `entente import`: streams a file through `runImport` as the named user of the named
 * organization, prints progress to stderr at most once a second and a summary to stdout. Returns
 * true when the import ran to its end (rejected rows included), false when it could not start or
 * failed.
 */
export async function importCommand(ctx: AppContext, file: string, opts: ImportCliOptions): Promise<boolean> {
  const evaluation = /^(eu4x4|nato6x6):([A-Z])([0-9])$/.exec(opts.evaluation);
  if (!evaluation) {
    console.error(
      `entente import: --evaluation must look like eu4x4:B2 or nato6x6:C3, got "${opts.evaluation}"`,
    );
    return false;
  }
  const user = await ctx.db
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.organization_id')
    .select(['u.id', 'u.email', 'u.display_name', 'u.roles', 'u.disabled_at', 'u.organization_id', 'o.slug'])
    .where('u.email', '=', opts.user.toLowerCase())
    .executeTakeFirst();
  if (!user || user.disabled_at) {
    console.error(`entente import: no active user ${opts.user}`);
    return false;
  }
  if (user.slug !== opts.org && user.organization_id !== opts.org) {
    console.error(`entente import: ${opts.user} is not a user of ${opts.org}`);
    return false;
  }
  const actor: Actor = {
    userId: user.id,
    organizationId: user.organization_id,
    email: user.email,
    displayName: user.display_name,
    roles: user.roles as Role[],
    via: 'system',
    scopes: null,
  };
  const defaults: ImportDefaults = {
    tlp: opts.tlp,
    codes: opts.codes,
    h3Text: opts.h3Text ?? null,
    evaluation: {
      scheme: evaluation[1] as EvaluationScheme,
      source: evaluation[2] as string,
      information: evaluation[3] as string,
    },
    purposes: opts.purpose,
    crimeAreas: opts.crimeArea,
    subjectCategory: opts.subjectCategory ?? null,
  };
  let bytesTotal: number;
  try {
    bytesTotal = (await stat(file)).size;
  } catch {
    console.error(`entente import: cannot read ${file}`);
    return false;
  }
  let lastPrint = 0;
  try {
    const summary = await runImport(ctx, actor, {
      format: opts.format,
      source: createReadStream(file, { highWaterMark: MiB }),
      bytesTotal,
      defaults,
      mappingId: opts.mapping,
      onProgress: (p) => {
        const t = Date.now();
        if (t - lastPrint < 1000) return;
        lastPrint = t;
        process.stderr.write(`${progressLine(p)}\n`);
      },
    });
    const skipped = Object.entries(summary.skippedByType)
      .map(([type, n]) => `${type}: ${n}`)
      .join(', ');
    const where = opts.format === 'ftm' || opts.format === 'csv' ? 'line' : 'object';
    const lines = [
      `import ${summary.id}: ${summary.status}${summary.failure ? ` (${summary.failure})` : ''}`,
      `  processed ${summary.processed}: created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, rejected ${summary.rejected}, skipped ${summary.skipped}${skipped ? ` (${skipped})` : ''}`,
    ];
    if (summary.failedBatches > 0) lines.push(`  ${summary.failedBatches} batch(es) rolled back`);
    if (summary.errors.length > 0) {
      lines.push('  first rejected rows:');
      for (const e of summary.errors.slice(0, 10)) lines.push(`    ${where} ${e.index}: ${e.reason}`);
    }
    console.log(lines.join('\n'));
    return summary.status === 'done';
  } catch (err) {
    const detail =
      err instanceof Problem && err.errors.length > 0
        ? err.errors.map((e) => `${e.field}: ${e.message}`).join('; ')
        : err instanceof Error
          ? err.message
          : String(err);
    console.error(`entente import: ${detail}`);
    return false;
  }
}
