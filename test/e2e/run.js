// End-to-end browser test: starts the real server (built dist/, demo data, fresh temporary data
// directory), drives Debian's Chromium through playwright-core, and prints `N passed, N failed`.
// Run after `npm run build`:  npm run test:e2e
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = join(ROOT, 'test-results', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const results = [];
let server = null;
let dataDir = null;
let browser = null;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, serverLog, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited early:\n${serverLog.join('')}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server not healthy after ${timeoutMs} ms:\n${serverLog.join('').slice(-3000)}`);
}

async function stopServer() {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.exitCode === null && server.kill('SIGKILL'), 8000);
  await exited;
  clearTimeout(timer);
}

/** A signed-in API session through fetch: the cookie and CSRF token, as the browser would hold them. */
async function apiLogin(base, email, password) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const body = await res.json();
  const cookie = (res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? ''])
    .map((c) => c.split(';')[0])
    .join('; ');
  const get = async (path) => {
    const r = await fetch(`${base}/api/v1${path}`, { headers: { cookie } });
    return {
      status: r.status,
      body: r.headers.get('content-type')?.includes('json') ? await r.json() : null,
    };
  };
  return { me: body.user, mfa: body.mfa, get };
}

const openPages = new Set();

async function test(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false, err });
    // Keep what the browser showed when the step failed.
    let n = 0;
    for (const p of openPages) {
      n += 1;
      await p
        .screenshot({ path: join(RESULTS, `failure-${results.length}-${n}.png`), fullPage: true })
        .catch(() => {});
    }
    console.log(
      `  ✗ ${name}\n      ${String(err?.stack ?? err)
        .split('\n')
        .slice(0, 6)
        .join('\n      ')}`,
    );
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function signIn(page, base, email, password) {
  await page.goto(`${base}/records`);
  await page.getByLabel(/e-mail/i).fill(email);
  await page.getByLabel(/^password$/i).fill(password);
  await page.getByRole('button', { name: /^sign in$/i }).click();
  await page.getByRole('navigation', { name: /main navigation/i }).waitFor({ timeout: 15_000 });
}

async function main() {
  mkdirSync(RESULTS, { recursive: true });
  const demoModule = join(ROOT, 'dist', 'features', 'demo', 'demo.scenario.js');
  assert(existsSync(join(ROOT, 'dist', 'main.js')), 'dist/ is missing: run `npm run build` first');
  assert(
    existsSync(join(ROOT, 'dist', 'web', 'index.html')),
    'dist/web is missing: run `npm run build` first',
  );
  assert(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  const { demoLogins } = await import(demoModule);
  const logins = demoLogins();
  assert(logins.users.length > 0, 'the demo scenario has no logins');

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'entente-e2e-'));
  const serverLog = [];
  server = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'entente.js'), 'serve', '--demo', '--port', String(port)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ENTENTE_DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'development',
        // A few more sign-ins than a person makes in a minute.
        ENTENTE_LOGIN_RATE_LIMIT: '60',
        DATABASE_URL: '',
        NATS_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout.on('data', (d) => serverLog.push(String(d)));
  server.stderr.on('data', (d) => serverLog.push(String(d)));
  await waitForHealth(base, serverLog);
  console.log(`server up at ${base} (data: ${dataDir})`);

  // Pick the actors through the API: analyst A owns a TLP:AMBER record; analyst C (another
  // organization, no agreement with A covering it) gets 404 for that record.
  const analysts = logins.users.filter((u) => u.roles.includes('analyst'));
  assert(analysts.length >= 2, 'the demo needs at least two analysts');
  let owner = null;
  let record = null;
  for (const a of analysts) {
    const s = await apiLogin(base, a.email, logins.password);
    const list = await s.get(`/records?owner=${s.me.organization.id}&tlp=TLP:AMBER&status=active&limit=5`);
    const found = list.body?.items?.[0];
    if (found) {
      owner = { ...a, session: s };
      record = found;
      break;
    }
  }
  assert(owner && record, 'no analyst owns an active TLP:AMBER record in the demo');
  // Among the other organizations' analysts: a partner that reads the record under an agreement,
  // and an outsider that gets 404.
  let outsider = null;
  let partner = null;
  for (const c of analysts) {
    if (c.email === owner.email) continue;
    const s = await apiLogin(base, c.email, logins.password);
    if (s.me.organization.id === owner.session.me.organization.id) continue;
    const res = await s.get(`/records/${record.id}`);
    if (res.status === 404 && !outsider) outsider = { ...c, session: s };
    if (res.status === 200 && res.body?.access?.basis === 'agreement' && !partner)
      partner = { ...c, session: s };
    if (outsider && partner) break;
  }
  assert(partner, `no other analyst reads record ${record.id} under an agreement; the demo needs a partner`);
  assert(
    outsider,
    `every other analyst can read record ${record.id}; the demo needs an organization without access`,
  );
  console.log(
    `owner: ${owner.email}; record: ${record.caption} (${record.id}); partner: ${partner.email}; outsider: ${outsider.email}`,
  );

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const consoleProblems = [];
  const watch = (page) => {
    openPages.add(page);
    page.on('close', () => openPages.delete(page));
    page.on('pageerror', (err) => consoleProblems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // 401/404 answers are expected (session probe, unreadable record); CSP and script errors are not.
      if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text()))
        consoleProblems.push(msg.text());
    });
  };

  const ctxA = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
  const page = await ctxA.newPage();
  watch(page);

  await test('a wrong password is refused inline', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel(/e-mail/i).fill(owner.email);
    await page.getByLabel(/^password$/i).fill('not-the-password');
    await page.getByRole('button', { name: /^sign in$/i }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    const text = await alert.textContent();
    assert(/wrong/i.test(text), `unexpected error text: ${text}`);
  });

  await test('the owner opens its TLP:AMBER record from the records list', async () => {
    await signIn(page, base, owner.email, logins.password);
    await page.getByRole('heading', { level: 1, name: 'Records' }).waitFor();
    await page.getByTestId('records-table').waitFor({ timeout: 15_000 });
    // Narrow the list to the owner's amber records, then open the chosen one from the table.
    await page.getByLabel('Label', { exact: true }).selectOption('TLP:AMBER');
    await page.getByLabel('Owner', { exact: true }).selectOption(owner.session.me.organization.id);
    const row = page.locator(`tr[data-record-id="${record.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('link').first().click();
    await page.waitForURL(`**/records/${record.id}`);
    const banner = page.locator('.tlp-banner');
    await banner.waitFor();
    assert((await banner.getAttribute('data-tlp')) === 'TLP:AMBER', 'banner is not TLP:AMBER');
    const colour = await banner.locator('.tlp-banner__label').evaluate((el) => getComputedStyle(el).color);
    assert(colour === 'rgb(255, 192, 0)', `TLP:AMBER label colour is ${colour}`);
    const basis = await page.getByTestId('access-basis').textContent();
    assert(/owns it/.test(basis), `access basis says: ${basis}`);
    await page.getByRole('heading', { level: 1, name: record.caption }).waitFor();
    await page.screenshot({ path: join(RESULTS, 'record-detail.png'), fullPage: false });
  });

  await test('Arabic switches the layout to right-to-left', async () => {
    await page.getByRole('button', { name: /account menu/i }).click();
    await page.getByLabel('Language').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert((await page.evaluate(() => document.documentElement.lang)) === 'ar', 'html lang is not ar');
    await page.keyboard.press('Escape');
    const navBox = await page.locator('#sidenav').boundingBox();
    assert(navBox && navBox.x > 600, `the navigation is not on the right in RTL (x=${navBox?.x})`);
    await page.screenshot({ path: join(RESULTS, 'record-detail-ar.png'), fullPage: false });
    // The choice is kept across a reload.
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.getByRole('button', { name: 'قائمة الحساب' }).click();
    await page.getByLabel('اللغة').selectOption('en');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
  });

  await test('the owner creates a record; the server’s field errors show on the form first', async () => {
    await page.getByRole('link', { name: 'New record' }).click();
    await page.getByLabel(/what is this record about/i).selectOption('Person');
    await page.getByRole('textbox', { name: /^Name/ }).first().fill('Test Person E2E');
    await page.getByRole('radio', { name: /TLP:GREEN/ }).check();
    await page.getByRole('checkbox', { name: 'Fraud' }).check();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    // A person record needs a data-subject category: the API's problem+json names the field.
    await page.locator('.field--invalid .field__error').first().waitFor({ timeout: 10_000 });
    await page.getByLabel(/data-subject category/i).selectOption('suspect');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/records\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    await page.getByRole('heading', { level: 1, name: 'Test Person E2E' }).waitFor();
    assert(
      (await page.locator('.tlp-banner').getAttribute('data-tlp')) === 'TLP:GREEN',
      'banner is not TLP:GREEN',
    );
    await page.getByRole('status').filter({ hasText: 'Record created.' }).waitFor();
  });

  await test('signing out returns to the sign-in page', async () => {
    if (
      (await page.getByRole('button', { name: /account menu/i }).getAttribute('aria-expanded')) !== 'true'
    ) {
      await page.getByRole('button', { name: /account menu/i }).click();
    }
    await page.getByRole('button', { name: /sign out/i }).click();
    await page.getByRole('button', { name: /^sign in$/i }).waitFor();
    await page.goto(`${base}/records/${record.id}`);
    await page.getByRole('button', { name: /^sign in$/i }).waitFor();
    const res = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).status);
    assert(res === 401, `session still valid after sign-out: ${res}`);
  });

  const ctxB = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
  const pageB = await ctxB.newPage();
  watch(pageB);

  await test('a partner organization reads the record under the agreement, with its label and basis', async () => {
    await signIn(pageB, base, partner.email, logins.password);
    await pageB.getByTestId('demo-banner').first().waitFor({ timeout: 10_000 });
    await pageB.goto(`${base}/records/${record.id}`);
    const banner = pageB.locator('.tlp-banner');
    await banner.waitFor({ timeout: 15_000 });
    assert((await banner.getAttribute('data-tlp')) === 'TLP:AMBER', 'banner is not TLP:AMBER');
    await pageB.getByRole('heading', { level: 1, name: record.caption }).waitFor();
    const basis = pageB.getByTestId('access-basis');
    await basis.getByRole('link').waitFor({ timeout: 10_000 });
    const text = await basis.textContent();
    assert(/agreement/i.test(text), `access basis says: ${text}`);
    // Only the owner edits or retracts.
    assert(
      (await pageB.getByRole('button', { name: 'Retract' }).count()) === 0,
      'a partner is offered Retract',
    );
    await pageB.screenshot({ path: join(RESULTS, 'record-detail-partner.png'), fullPage: false });
    copyFileSync(join(RESULTS, 'record-detail-partner.png'), join(ROOT, 'docs', 'screenshot.png'));
  });

  const ctxC = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
  const pageC = await ctxC.newPage();
  watch(pageC);

  await test('another organization without an agreement gets "not found" and no list entry', async () => {
    await signIn(pageC, base, outsider.email, logins.password);
    await pageC.goto(`${base}/records/${record.id}`);
    await pageC.getByTestId('not-found').waitFor({ timeout: 15_000 });
    const text = await pageC.getByTestId('not-found').textContent();
    assert(/Record not found/.test(text), `not-found panel says: ${text}`);
    assert(!text.includes(record.caption), 'the not-found page leaks the caption');
    await pageC.screenshot({ path: join(RESULTS, 'record-not-found.png') });
    const search = encodeURIComponent(record.caption);
    await pageC.goto(`${base}/records?q=${search}`);
    await pageC.getByRole('heading', { level: 1, name: 'Records' }).waitFor();
    await pageC.locator('[data-testid="records-table"], .state--empty').first().waitFor({ timeout: 15_000 });
    assert(
      (await pageC.locator(`tr[data-record-id="${record.id}"]`).count()) === 0,
      'the list shows the record',
    );
    await pageC.goto(`${base}/records`);
    await pageC.locator('[data-testid="records-table"], .state--empty').first().waitFor({ timeout: 15_000 });
    assert(
      (await pageC.locator(`tr[data-record-id="${record.id}"]`).count()) === 0,
      'the list shows the record',
    );
    await pageC.screenshot({ path: join(RESULTS, 'records-list-outsider.png') });
  });

  await test('an unknown address shows the 404 page inside the application', async () => {
    await pageC.goto(`${base}/no/such/page`);
    await pageC.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor({ timeout: 10_000 });
  });

  await test('no script error or CSP violation in the browser console', async () => {
    assert(consoleProblems.length === 0, consoleProblems.join('\n'));
  });
}

let fatal = null;
try {
  await main();
} catch (err) {
  fatal = err;
  console.error(`e2e setup failed: ${err?.stack ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  await stopServer().catch(() => {});
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + (fatal ? 1 : 0);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
