import { openDatabase } from '../../src/platform/db/db.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';

/**
 * On PostgreSQL, migrate once before the workers start (they share the database and isolate by the
 * organizations they create). PGlite workers each open an in-memory database and migrate it.
 */
export default async function setup(): Promise<void> {
  if (!process.env.DATABASE_URL) return;
  const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' });
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
}
