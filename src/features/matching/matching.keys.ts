import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { openSealedSecret, sealSecret } from '../../platform/auth/sealed-secret.js';
import type { Executor } from '../../platform/db/db.js';
import { BlindEncoder } from './blind.js';
import './matching.store.js';

/*
 * Blind keys. Each key has an id stored with every encoding; its 32-byte secret is sealed
 * (AES-256-GCM) under a key derived from the platform secret, bound to the key id, so a copy of
 * the database alone cannot compute or reverse encodings. One key is active; rotating makes a new
 * active key and marks the old one `retiring` until the re-encoding job has moved every entity,
 * then `retired` (its secret is erased).
 */

const PURPOSE = 'match-key';
const encoders = new Map<string, BlindEncoder>();

function encoderFor(ctx: AppContext, id: string, sealed: string): BlindEncoder {
  const cacheKey = `${id}\u0000${sealed}`;
  let encoder = encoders.get(cacheKey);
  if (!encoder) {
    const secret = Buffer.from(openSealedSecret(ctx.config.secretKey, PURPOSE, id, sealed), 'base64');
    encoder = new BlindEncoder({ id, secret });
    encoders.set(cacheKey, encoder);
  }
  return encoder;
}

function newKeyId(now: Date): string {
  return `mk-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;
}

async function insertKey(db: Executor, ctx: AppContext, now: Date): Promise<string> {
  const id = newKeyId(now);
  const sealed = sealSecret(ctx.config.secretKey, PURPOSE, id, randomBytes(32).toString('base64'));
  await db
    .insertInto('match_keys')
    .values({ id, sealed_secret: sealed, status: 'active', created_at: now, retired_at: null })
    .execute();
  return id;
}

/** The encoder of the active key, creating the first key on first use. */
export async function activeEncoder(ctx: AppContext, db: Executor = ctx.db): Promise<BlindEncoder> {
  let row = await db
    .selectFrom('match_keys')
    .select(['id', 'sealed_secret'])
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!row) {
    // Two processes may race to make the first key: the unique partial index lets one win.
    try {
      await insertKey(db, ctx, ctx.clock.now());
    } catch {
      // The other one won; read its key below.
    }
    row = await db
      .selectFrom('match_keys')
      .select(['id', 'sealed_secret'])
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
  }
  return encoderFor(ctx, row.id, row.sealed_secret);
}

export interface KeyStatus {
  id: string;
  status: string;
  createdAt: string;
  retiredAt: string | null;
  entities: number;
}

/** Keys with the number of entities still encoded under each. */
export async function listKeys(ctx: AppContext): Promise<KeyStatus[]> {
  const rows = await ctx.db
    .selectFrom('match_keys as k')
    .select(['k.id', 'k.status', 'k.created_at', 'k.retired_at'])
    .select((eb) =>
      eb
        .selectFrom('match_entities as e')
        .whereRef('e.key_id', '=', 'k.id')
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('entities'),
    )
    .orderBy('k.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    retiredAt: r.retired_at ? r.retired_at.toISOString() : null,
    entities: Number(r.entities ?? 0),
  }));
}

/**
 * Makes a new active key; the previous one is `retiring`. Every indexed record is queued for
 * re-encoding (the match job then moves them batch by batch); `retireDrainedKeys` retires the old
 * key once nothing is encoded under it.
 */
export async function rotateKey(ctx: AppContext): Promise<{ previous: string | null; active: string }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const previous = await trx
      .updateTable('match_keys')
      .set({ status: 'retiring' })
      .where('status', '=', 'active')
      .returning('id')
      .executeTakeFirst();
    const active = await insertKey(trx, ctx, now);
    await trx
      .insertInto('match_queue')
      .columns(['record_id'])
      .expression((eb) => eb.selectFrom('match_entities').select('record_id'))
      .onConflict((oc) => oc.column('record_id').doNothing())
      .execute();
    return { previous: previous?.id ?? null, active };
  });
}

/** Retires retiring keys no entity is encoded under any more, erasing their sealed secret. */
export async function retireDrainedKeys(ctx: AppContext, db: Executor = ctx.db): Promise<string[]> {
  const rows = await db
    .updateTable('match_keys as k')
    .set({ status: 'retired', retired_at: ctx.clock.now(), sealed_secret: '' })
    .where('k.status', '=', 'retiring')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('match_entities as e').select('e.seq').whereRef('e.key_id', '=', 'k.id'))),
    )
    .returning('k.id')
    .execute();
  return rows.map((r) => r.id);
}
