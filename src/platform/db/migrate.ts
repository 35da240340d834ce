import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

const MIGRATION_FILE = /^\d{4}_[a-z0-9_-]+\.(ts|js)$/;

/** Loads the numbered migration modules beside this file (works from src/ under tsx/vitest and from dist/). */
class NumberedMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const dir = fileURLToPath(new URL('./migrations/', import.meta.url));
    const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const name = file.replace(/\.(ts|js)$/, '');
      if (migrations[name]) continue;
      migrations[name] = (await import(pathToFileURL(`${dir}${file}`).href)) as Migration;
    }
    return migrations;
  }
}

/**
 * Applies every pending forward-only migration. Safe to call from several processes at once:
 * a PostgreSQL advisory lock serialises them (Kysely's migrator also locks its own table).
 * Returns the names of the migrations applied by this call.
 */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new NumberedMigrationProvider(),
    allowUnorderedMigrations: false,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when the database answers a trivial query. */
// biome-ignore lint/suspicious/noExplicitAny: a health check works on any schema
export async function databaseIsHealthy(db: Kysely<any>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
