import { type Kysely, sql } from 'kysely';

/**
 * Runs a multi-statement DDL script one statement at a time. PGlite's extended-protocol `query`
 * accepts a single statement, so migrations are split on semicolons that end a line.
 * Scripts must therefore not end a line with a semicolon inside a string or function body.
 */
export async function execScript(db: Kysely<unknown>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*\n/)
    .map((s) =>
      s
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((s) => s.length > 0);
  for (const statement of statements) {
    await sql.raw(statement.replace(/;\s*$/, '')).execute(db);
  }
}
