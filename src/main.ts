import { Command, Option } from 'commander';
import { buildApp } from './app.js';
import { assertSafeToServe, ConfigError, loadConfig } from './config.js';
import {
  CRIME_AREAS,
  HANDLING_CODES,
  PURPOSES,
  ROLES,
  type Role,
  SUBJECT_CATEGORIES,
  TLP_LABELS,
} from './domain/vocabulary.js';
import { agreementReviewJob } from './features/agreements/agreements.jobs.js';
import { loadDemoMatching } from './features/demo/demo.matching.js';
import { demoLogins, loadDemoScenario } from './features/demo/demo.scenario.js';
import { registerMatchCommands } from './features/matching/matching.cli.js';
import { matchQueueJob } from './features/matching/matching.jobs.js';
import { recordRetentionJob } from './features/records/records.jobs.js';
import { type ImportCliOptions, importCommand } from './features/transfer/imports.cli.js';
import { TRANSFER_FORMATS } from './features/transfer/imports.model.js';
import { createApiToken } from './features/users/tokens.service.js';
import { createUser } from './features/users/users.service.js';
import { verifyAuditChain } from './platform/audit/audit.js';
import { TOKEN_SCOPES, type TokenScope } from './platform/auth/actor.js';
import { outboxRelayJob } from './platform/events/relay.js';
import { startJobs } from './platform/jobs/scheduler.js';
import { openRuntime } from './runtime.js';

const program = new Command();
program
  .name('entente')
  .description(
    'Entente: governed sharing for organizations cooperating against transnational organized crime.',
  )
  .showHelpAfterError();

program
  .command('serve')
  .description('Start the API, the web application and background jobs.')
  .option('-p, --port <port>', 'port to listen on (default: $PORT or 3000)', (v) => Number.parseInt(v, 10))
  .option('--host <host>', 'address to bind (default: $HOST or 127.0.0.1)')
  .option('--demo', 'load the demo scenario on an empty database (not for production)')
  .action(async (opts: { port?: number; host?: string; demo?: boolean }) => {
    const config = loadConfig(process.env, { port: opts.port, demo: opts.demo });
    if (opts.host) config.host = opts.host;
    assertSafeToServe(config);
    const runtime = await openRuntime(config);
    const { ctx } = runtime;
    const app = await buildApp(ctx);
    if (config.demo) {
      const result = await loadDemoScenario(ctx);
      if (result.loaded)
        app.log.info(`demo scenario loaded: ${result.summary}; matching: ${await loadDemoMatching(ctx)}`);
    }
    const stopJobs = startJobs(
      ctx,
      [agreementReviewJob, recordRetentionJob, outboxRelayJob, matchQueueJob],
      (msg, err) => app.log.error({ err }, msg),
    );
    await app.listen({ port: config.port, host: config.host });
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
    const lines = [
      '',
      `  Entente is running at ${url}`,
      `  Database: ${ctx.dbKind === 'pglite' ? `embedded PGlite (${config.dataDir})` : 'PostgreSQL'}; events: ${ctx.bus.kind}`,
      `  API docs: ${url}/api/docs`,
    ];
    if (config.demo) {
      lines.push(
        '',
        '  DEMO MODE: fictional data and well-known passwords. Not for production.',
        '  Demo logins (password for all: see below):',
      );
      const logins = demoLogins();
      const width = Math.max(...logins.users.map((l) => l.email.length)) + 2;
      for (const l of logins.users)
        lines.push(`    ${l.email.padEnd(width)} ${l.roles.join(', ').padEnd(16)} ${l.organization}`);
      lines.push(`  Password: ${logins.password}`);
    }
    console.log(lines.join('\n'));
    const shutdown = async () => {
      await stopJobs();
      await app.close();
      await runtime.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

program
  .command('migrate')
  .description('Apply pending database migrations (forward only).')
  .action(async () => {
    const runtime = await openRuntime(loadConfig());
    console.log(runtime.applied.length ? `applied: ${runtime.applied.join(', ')}` : 'database is up to date');
    await runtime.close();
  });

program
  .command('demo')
  .description('Load the demo scenario into an empty database.')
  .action(async () => {
    const runtime = await openRuntime(loadConfig(process.env, { demo: true }));
    const result = await loadDemoScenario(runtime.ctx);
    console.log(
      result.loaded
        ? `demo scenario loaded: ${result.summary}; matching: ${await loadDemoMatching(runtime.ctx)}`
        : 'the database already holds data; demo not loaded',
    );
    await runtime.close();
  });

registerMatchCommands(program);

const user = program.command('user').description('Manage users.');
user
  .command('create')
  .description('Create a user in an organization.')
  .requiredOption('--email <email>', 'sign-in e-mail')
  .requiredOption('--org <slug>', 'organization slug or id')
  .requiredOption('--name <name>', 'display name')
  .addOption(new Option('--role <role...>', 'roles').choices([...ROLES]).makeOptionMandatory())
  .option('--password <password>', 'password (default: read from $ENTENTE_PASSWORD)')
  .action(async (opts: { email: string; org: string; name: string; role: Role[]; password?: string }) => {
    const password = opts.password ?? process.env.ENTENTE_PASSWORD;
    if (!password) throw new ConfigError('give --password or set ENTENTE_PASSWORD');
    const runtime = await openRuntime(loadConfig());
    try {
      const created = await createUser(runtime.ctx, {
        organization: opts.org,
        email: opts.email,
        displayName: opts.name,
        password,
        roles: opts.role,
      });
      console.log(`created user ${created.email} (${created.id})`);
    } finally {
      await runtime.close();
    }
  });

const token = program.command('token').description('Manage API tokens.');
token
  .command('create')
  .description('Create an API token for a user; the token is printed as the last line, once.')
  .requiredOption('--user <email>', "the token owner's e-mail")
  .option('--name <name>', 'a label for the token', 'cli')
  .addOption(
    new Option('--scope <scope...>', 'scopes (default: all that the roles allow)').choices([...TOKEN_SCOPES]),
  )
  .option('--days <days>', 'days until expiry', (v) => Number.parseInt(v, 10), 90)
  .action(async (opts: { user: string; name: string; scope?: TokenScope[]; days: number }) => {
    const runtime = await openRuntime(loadConfig());
    try {
      const created = await createApiToken(runtime.ctx, {
        userEmail: opts.user,
        name: opts.name,
        scopes: opts.scope ?? [...TOKEN_SCOPES],
        expiresInDays: opts.days,
      });
      console.log(`token ${created.id} for ${opts.user}, expires ${created.expiresAt.toISOString()}`);
      console.log(created.token);
    } finally {
      await runtime.close();
    }
  });

const audit = program.command('audit').description('The tamper-evident audit log.');
audit
  .command('verify')
  .description('Recompute the hash chain; exit 0 when intact, 1 naming the first broken entry.')
  .action(async () => {
    const runtime = await openRuntime(loadConfig());
    let intact = false;
    try {
      const result = await verifyAuditChain(runtime.ctx.db);
      intact = result.ok;
      if (result.ok) {
        console.log(`audit log intact: ${result.checked} entries verified; head hash ${result.headHash}`);
      } else {
        console.error(
          `audit log BROKEN at entry ${result.broken?.seq}: ${result.broken?.reason} (${result.checked} entries verified before it)`,
        );
      }
    } finally {
      await runtime.close();
    }
    // Set after closing: PGlite's close() resets process.exitCode to 0.
    if (!intact) process.exitCode = 1;
  });

program
  .command('import')
  .description(
    'Import a file (FtM lines, STIX 2.1, MISP, mapped CSV) as records of an organization, as a user.',
  )
  .argument('<file>', 'the file to import')
  .addOption(
    new Option('--format <format>', 'file format').choices([...TRANSFER_FORMATS]).makeOptionMandatory(),
  )
  .requiredOption('--org <slug>', "the importing user's organization (slug or id)")
  .requiredOption('--user <email>', 'the user the import runs as (needs a writer role)')
  .addOption(new Option('--tlp <tlp>', 'default TLP label').choices([...TLP_LABELS]).default('TLP:AMBER'))
  .addOption(
    new Option('--codes <code...>', 'default handling codes').choices([...HANDLING_CODES]).default(['H0']),
  )
  .option('--h3-text <text>', 'the H3 restriction, with --codes H3')
  .option('--evaluation <scheme:grades>', 'default evaluation, e.g. eu4x4:B2', 'eu4x4:B2')
  .addOption(new Option('--purpose <purpose...>', 'purposes').choices([...PURPOSES]).makeOptionMandatory())
  .addOption(
    new Option('--crime-area <area...>', 'crime areas').choices([...CRIME_AREAS]).makeOptionMandatory(),
  )
  .addOption(
    new Option('--subject-category <category>', 'data-subject category for Person records').choices([
      ...SUBJECT_CATEGORIES,
    ]),
  )
  .option('--mapping <id>', 'a saved CSV mapping id')
  .action(async (file: string, opts: ImportCliOptions) => {
    const runtime = await openRuntime(loadConfig());
    let ok = false;
    try {
      ok = await importCommand(runtime.ctx, file, opts);
    } finally {
      await runtime.close();
    }
    // Set after closing: PGlite's close() resets process.exitCode to 0.
    process.exitCode = ok ? 0 : 1;
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError || (err instanceof Error && 'status' in err)) {
    console.error(`entente: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
