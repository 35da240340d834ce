// End-to-end browser test: starts the real server (built dist/, demo data, fresh temporary data
// directory), drives Debian's Chromium through playwright-core, and prints `N passed, N failed`.
// Run after `npm run build`:  npm run test:e2e
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** Loose equality of property values, as the side-by-side view marks them. */
function comparable(value) {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Cross-jurisdiction matching in the browser: the hits inbox and a hit, a disclosure request, the
 * owner's decision on chosen properties, the requester's side-by-side view and its revocation, a
 * hit/no-hit check and a cross-referencing job. The actors come from the demo through the API: a
 * printed analyst with an open hit on which nothing was asked yet, whose other organization has a
 * printed analyst too.
 */
async function matchingTests({ base, logins, browser, watch }) {
  let requester = null;
  let owner = null;
  let hit = null;
  await test('matching: the demo gives two printed analysts an open hit to work on', async () => {
    const sessions = [];
    for (const u of logins.users.filter((x) => x.roles.includes('analyst'))) {
      sessions.push({ ...u, session: await apiLogin(base, u.email, logins.password) });
    }
    for (const r of sessions) {
      const hits = await r.session.get('/match/hits?pageSize=100');
      for (const h of hits.body?.items ?? []) {
        if (h.status !== 'open' || h.state !== 'new' || h.disclosure) continue;
        const o = sessions.find((s) => s.session.me.organization.id === h.otherOrganization.id);
        if (o) {
          requester = r;
          owner = o;
          hit = h;
          break;
        }
      }
      if (hit) break;
    }
    assert(hit, 'the demo has no open hit without a request between two printed analysts');
    console.log(
      `      requester ${requester.email}, owner ${owner.email}, hit ${hit.reference} on "${hit.record.caption}"`,
    );
  });
  if (!hit) return;

  const ctxR = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
  const pageR = await ctxR.newPage();
  watch(pageR);
  const ctxO = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
  const pageO = await ctxO.newPage();
  watch(pageO);
  const justification = `Case E2E-${Date.now().toString(36)}: the same person appears in our port-call records.`;
  let disclosureId = null;
  let withheld = null;

  const navLink = (page, name) =>
    page.getByRole('navigation', { name: /main navigation/i }).getByRole('link', { name });
  const badgeCount = async (page, name) => {
    const badge = navLink(page, name).locator('.nav-badge--info');
    return (await badge.count()) ? Number((await badge.locator('[aria-hidden]').textContent()).trim()) : 0;
  };

  await test('matching: the hits inbox lists the demo hits; the keyboard opens one, which shows its reference, score and the own record’s TLP banner', async () => {
    await signIn(pageR, base, requester.email, logins.password);
    await navLink(pageR, /^Hits/).click();
    await pageR.getByRole('heading', { level: 1, name: 'Hits' }).waitFor({ timeout: 15_000 });
    await pageR.getByTestId('hits-table').waitFor({ timeout: 15_000 });
    const rows = await pageR.locator('[data-testid="hits-table"] tbody tr').count();
    assert(rows > 0, 'the hits inbox is empty');
    await navLink(pageR, /^Hits/).locator('.nav-badge--info').waitFor({ timeout: 15_000 });
    const unseenBefore = await badgeCount(pageR, /^Hits/);
    assert(unseenBefore > 0, 'no unseen-hits badge in the navigation');
    await pageR.screenshot({ path: join(RESULTS, 'hits-inbox.png'), fullPage: false });
    // Narrow to the hit by its reference (people quote it), then open it with the keyboard.
    const search = pageR.getByLabel('Search', { exact: true });
    await search.fill(hit.reference);
    await pageR.waitForURL((url) => url.searchParams.get('q') === hit.reference, { timeout: 10_000 });
    // Tab order: from the search box to the status filter.
    await search.focus();
    await pageR.keyboard.press('Tab');
    assert(
      (await pageR.evaluate(() => document.activeElement?.tagName)) === 'SELECT',
      'Tab from the search box does not reach the status filter',
    );
    const row = pageR.locator(`tr[data-hit-id="${hit.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.focus();
    await pageR.keyboard.press('Enter');
    await pageR.waitForURL(`**/matching/hits/${hit.id}`);
    await pageR.getByTestId('hit-detail').waitFor({ timeout: 15_000 });
    const banner = pageR.locator('.tlp-banner').first();
    assert(
      (await banner.getAttribute('data-tlp')) === hit.record.tlp,
      `the banner is not the own record's ${hit.record.tlp}`,
    );
    const reference = (await pageR.getByTestId('reference').first().textContent()).trim();
    assert(reference === hit.reference, `the page shows reference ${reference}`);
    const chips = await pageR
      .locator('[data-testid="hit-detail"] .match-features')
      .first()
      .locator('li')
      .count();
    assert(chips === hit.features.length, `${chips} feature chips for ${hit.features.length} features`);
    const score = await pageR.locator('.match-score').first().getAttribute('data-score');
    assert(Number(score) === hit.score, `score ${score} instead of ${hit.score}`);
    // Opening a new hit marks it seen, and the navigation counts one fewer.
    await pageR.locator('[data-testid="hit-detail"] .chip[data-state="seen"]').waitFor({ timeout: 10_000 });
    await pageR.waitForFunction(
      (before) => {
        const link = [...document.querySelectorAll('#sidenav a')].find((a) =>
          a.getAttribute('href')?.endsWith('/matching/hits'),
        );
        const n = Number(link?.querySelector('.nav-badge--info [aria-hidden]')?.textContent ?? 0);
        return n === before - 1;
      },
      unseenBefore,
      { timeout: 10_000 },
    );
    assert(
      await pageR.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
      'the hit page overflows horizontally',
    );
    await pageR.screenshot({ path: join(RESULTS, 'hit-detail.png'), fullPage: true });
  });

  await test('matching: the requester asks for disclosure with a purpose and a justification; the request is pending with its deadline', async () => {
    await pageR.getByLabel(/^Purpose/).selectOption('criminal_investigation');
    await pageR.getByLabel(/^Justification/).fill(justification);
    await pageR.getByRole('button', { name: 'Send the request' }).click();
    await pageR.waitForURL(/\/matching\/disclosures\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    disclosureId = pageR.url().split('/').pop();
    await pageR.getByTestId('disclosure-requester').waitFor({ timeout: 15_000 });
    await pageR.locator('.page__header .chip[data-status="pending"]').waitFor();
    const deadline = await pageR.locator('.page__header .match-deadline').textContent();
    assert(/due in (4[78]|2) /.test(deadline), `the deadline reads "${deadline}"`);
    await pageR.getByTestId('disclosed-placeholder').waitFor();
    await pageR.screenshot({ path: join(RESULTS, 'disclosure-pending.png'), fullPage: true });
  });

  await test('matching: the owner opens the request from the incoming queue and discloses all but one property', async () => {
    assert(disclosureId, 'no request was made');
    const view = await owner.session.get(`/match/disclosures/${disclosureId}`);
    assert(view.status === 200 && view.body.review, `the owner reads the request with ${view.status}`);
    const review = view.body.review;
    const names = Object.keys(review.properties).filter((n) => review.properties[n].length > 0);
    await signIn(pageO, base, owner.email, logins.password);
    await navLink(pageO, /^Disclosures/)
      .locator('.nav-badge')
      .first()
      .waitFor({ timeout: 15_000 });
    await navLink(pageO, /^Disclosures/).click();
    await pageO.getByTestId('disclosures-table').waitFor({ timeout: 15_000 });
    const row = pageO.locator(`tr[data-disclosure-id="${disclosureId}"]`);
    await row.waitFor({ timeout: 15_000 });
    assert(/due in/.test(await row.locator('.match-deadline').textContent()), 'the row shows no deadline');
    await pageO.screenshot({ path: join(RESULTS, 'disclosures-incoming.png'), fullPage: false });
    await row.focus();
    await pageO.keyboard.press('Space');
    await pageO.waitForURL(`**/matching/disclosures/${disclosureId}`);
    await pageO.getByTestId('disclosure-owner').waitFor({ timeout: 15_000 });
    const text = await pageO.getByTestId('justification').textContent();
    assert(text.trim() === justification, `the justification reads "${text}"`);
    const panelBanner = pageO.locator('[data-testid="review-panel"] .tlp-banner');
    assert(
      (await panelBanner.getAttribute('data-tlp')) === review.handling.tlp,
      `the owner's record banner is not ${review.handling.tlp}`,
    );
    const boxes = pageO.locator('[data-testid="choose-properties"] input[type="checkbox"]');
    assert(
      (await boxes.count()) === names.length,
      `${await boxes.count()} checkboxes for ${names.length} properties`,
    );
    for (let i = 0; i < names.length; i += 1)
      assert(await boxes.nth(i).isChecked(), 'not every property is chosen');
    const button = pageO.getByTestId('disclose-button');
    assert(/whole record/.test(await button.textContent()), 'the default is not the whole record');
    if (names.length > 1) {
      // Leave out the last property, with the keyboard.
      const last = boxes.nth(names.length - 1);
      withheld = await last.evaluate((el) => el.closest('tr').dataset.property);
      await last.focus();
      await pageO.keyboard.press('Space');
      assert(!(await last.isChecked()), 'Space did not clear the checkbox');
      const label = await button.textContent();
      assert(
        label.includes(`Disclose ${names.length - 1} of ${names.length} properties`),
        `the button reads "${label}"`,
      );
    }
    await pageO.screenshot({ path: join(RESULTS, 'disclosure-decision.png'), fullPage: true });
    await button.click();
    await pageO
      .getByTestId('status-notice')
      .filter({ hasText: /Disclosed on|whole record was disclosed/ })
      .waitFor({
        timeout: 15_000,
      });
    const after = await owner.session.get(`/match/disclosures/${disclosureId}`);
    assert(after.body.status === 'disclosed', `the request is ${after.body.status}`);
    if (withheld) {
      assert(
        Array.isArray(after.body.properties) && !after.body.properties.includes(withheld),
        `the disclosed properties are ${JSON.stringify(after.body.properties)}`,
      );
    }
  });

  await test('matching: the requester sees its record and the disclosed one side by side, equal values marked, the withheld property not shown', async () => {
    const view = await requester.session.get(`/match/disclosures/${disclosureId}`);
    assert(
      view.status === 200 && view.body.disclosed && view.body.own,
      'the requester reads no disclosed record',
    );
    const { own, disclosed } = view.body;
    if (withheld) assert(!(withheld in disclosed.properties), `the withheld ${withheld} was disclosed`);
    await pageR.reload();
    await pageR.getByTestId('compare-table').waitFor({ timeout: 15_000 });
    const banners = pageR.locator('[data-testid="side-by-side"] .tlp-banner');
    assert((await banners.count()) === 2, 'the side-by-side view does not show two TLP banners');
    assert(
      (await banners.nth(0).getAttribute('data-tlp')) === own.handling.tlp,
      'the left banner is not the own record’s',
    );
    assert(
      (await banners.nth(1).getAttribute('data-tlp')) === disclosed.handling.tlp,
      'the right banner is not the disclosed record’s',
    );
    // Aligned by name: one row per property of either record.
    const names = new Set([...Object.keys(own.properties), ...Object.keys(disclosed.properties)]);
    const rows = await pageR.locator('[data-testid="compare-table"] tbody tr').count();
    assert(rows === names.size, `${rows} rows for ${names.size} property names`);
    const same = [...names].filter((n) => {
      const theirs = new Set((disclosed.properties[n] ?? []).map(comparable));
      return (own.properties[n] ?? []).some((v) => theirs.has(comparable(v)));
    });
    const marked = await pageR.locator('[data-testid="compare-table"] tbody tr[data-same]').count();
    assert(marked === same.length, `${marked} rows marked equal, ${same.length} expected`);
    if (withheld && own.properties[withheld]) {
      const cell = await pageR.locator(`tr[data-property="${withheld}"] td`).nth(1).textContent();
      assert(/not disclosed/.test(cell), `the withheld property's cell reads "${cell}"`);
    }
    await pageR.screenshot({ path: join(RESULTS, 'disclosure-side-by-side.png'), fullPage: true });
  });

  await test('matching: in Arabic the side-by-side view and the hits inbox are right-to-left without overflow', async () => {
    await pageR.evaluate(() => localStorage.setItem('entente.lang', 'ar'));
    await pageR.reload();
    await pageR.waitForFunction(() => document.documentElement.dir === 'rtl');
    await pageR.getByTestId('compare-table').waitFor({ timeout: 15_000 });
    const nav = await pageR.locator('#sidenav').boundingBox();
    assert(nav && nav.x > 600, `the navigation is not on the right in RTL (x=${nav?.x})`);
    const fits = () => document.documentElement.scrollWidth <= window.innerWidth + 1;
    assert(await pageR.evaluate(fits), 'the side-by-side page overflows horizontally in Arabic');
    const cells = pageR.locator('[data-testid="compare-table"] thead th');
    const first = await cells.nth(0).boundingBox();
    const second = await cells.nth(1).boundingBox();
    assert(first && second && first.x > second.x, 'the property column is not on the right in RTL');
    await pageR.screenshot({ path: join(RESULTS, 'disclosure-side-by-side-ar.png'), fullPage: true });
    await pageR.goto(`${base}/matching/hits`);
    await pageR.getByTestId('hits-table').waitFor({ timeout: 15_000 });
    assert(await pageR.evaluate(fits), 'the hits inbox overflows horizontally in Arabic');
    await pageR.screenshot({ path: join(RESULTS, 'hits-inbox-ar.png'), fullPage: false });
    await pageR.evaluate(() => localStorage.setItem('entente.lang', 'en'));
    await pageR.reload();
    await pageR.waitForFunction(() => document.documentElement.dir === 'ltr');
  });

  await test('matching: the owner revokes the disclosure; the requester sees "revoked" and no longer the record', async () => {
    await pageO.getByRole('button', { name: 'Revoke the disclosure' }).click();
    const dialog = pageO.getByRole('dialog', { name: 'Revoke the disclosure' });
    await dialog.getByRole('textbox').fill('The source asked us to withdraw it');
    await dialog.getByRole('button', { name: 'Revoke the disclosure' }).click();
    await pageO.getByTestId('status-notice').filter({ hasText: 'Revoked' }).waitFor({ timeout: 15_000 });
    await pageR.goto(`${base}/matching/disclosures/${disclosureId}`);
    await pageR.getByTestId('status-notice').filter({ hasText: 'Revoked' }).waitFor({ timeout: 15_000 });
    await pageR.getByTestId('disclosed-placeholder').waitFor();
    assert(
      (await pageR.locator('[data-testid="side-by-side"] .tlp-banner').count()) === 1,
      'the revoked record still shows its banner',
    );
    const view = await requester.session.get(`/match/disclosures/${disclosureId}`);
    assert(view.body.status === 'revoked' && !view.body.disclosed, 'the API still gives the revoked record');
    await pageR.screenshot({ path: join(RESULTS, 'disclosure-revoked.png'), fullPage: true });
  });

  await test('matching: the check form answers hit or no hit per organization, with a reference for hits', async () => {
    const rec = await requester.session.get(`/records/${hit.record.id}`);
    assert(rec.status === 200, `the requester reads its record with ${rec.status}`);
    const props = Object.entries(rec.body.properties).filter(([, v]) => v.length > 0);
    await navLink(pageR, /^Check an entity/).click();
    await pageR.getByTestId('check-form').waitFor({ timeout: 15_000 });
    const type = pageR.getByLabel('Type', { exact: true });
    if ((await type.locator(`option[value="${rec.body.schema}"]`).count()) > 0)
      await type.selectOption(rec.body.schema);
    // The default rows take the record's values where it has them; its other properties get rows.
    const rowsOf = () => pageR.locator('.match-check-row');
    const used = new Set();
    for (let i = 0; i < (await rowsOf().count()); i += 1) {
      const row = rowsOf().nth(i);
      const prop = await row.locator('select').inputValue();
      const value = rec.body.properties[prop]?.[0];
      if (value) {
        await row.locator('input').fill(value);
        used.add(prop);
      }
    }
    for (const [prop, values] of props) {
      if (used.has(prop)) continue;
      const n = await rowsOf().count();
      if ((await rowsOf().nth(0).locator(`option[value="${prop}"]`).count()) === 0) continue;
      await pageR.getByRole('button', { name: 'Add a property' }).click();
      await rowsOf().nth(n).waitFor();
      await rowsOf().nth(n).locator('select').selectOption(prop);
      await rowsOf().nth(n).locator('input').fill(values[0]);
      used.add(prop);
    }
    assert(used.size > 0, 'nothing of the record could be entered in the check form');
    // Enter in a value submits the form.
    await rowsOf().nth(0).locator('input').focus();
    await pageR.keyboard.press('Enter');
    await pageR.getByTestId('check-results').waitFor({ timeout: 15_000 });
    const status = await requester.session.get('/match/status');
    const results = pageR.locator('[data-testid="check-results"] tbody tr');
    assert(
      (await results.count()) === status.body.partners.length,
      `${await results.count()} result rows for ${status.body.partners.length} partners`,
    );
    const answers = await results.evaluateAll((els) => els.map((e) => [e.dataset.org, e.dataset.result]));
    assert(
      answers.every(([, r]) => r === 'hit' || r === 'no_hit'),
      `unexpected answers ${JSON.stringify(answers)}`,
    );
    const mine = answers.find(([slug]) => slug === hit.otherOrganization.slug);
    assert(mine?.[1] === 'hit', `the check says ${mine?.[1]} for ${hit.otherOrganization.name}`);
    const ref = await pageR
      .locator(
        `[data-testid="check-results"] tr[data-org="${hit.otherOrganization.slug}"] [data-testid="reference"]`,
      )
      .textContent();
    assert(ref.trim().length > 0, 'the hit has no reference');
    // The long sealed reference is shortened: the page keeps its width.
    assert(
      await pageR.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
      'the check result overflows the page horizontally',
    );
    await pageR.screenshot({ path: join(RESULTS, 'check-result.png'), fullPage: true });
    // A check's hit is followed up like a hit: the request quotes the sealed reference.
    await pageR
      .locator(`[data-testid="check-results"] tr[data-org="${hit.otherOrganization.slug}"]`)
      .getByRole('button', { name: 'Request disclosure' })
      .click();
    const dialog = pageR.getByRole('dialog', { name: 'Request disclosure' });
    await dialog.getByLabel(/^Purpose/).selectOption('identification');
    await dialog.getByLabel(/^Justification/).fill('Identify the vessel before boarding.');
    await dialog.getByRole('button', { name: 'Send the request' }).click();
    await pageR.waitForURL(/\/matching\/disclosures\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    await pageR.locator('.page__header .chip[data-status="pending"]').waitFor({ timeout: 15_000 });
    const source = await pageR.locator('.match-facts').textContent();
    assert(/A check \(no hit stored\)/.test(source), `the request's source reads: ${source}`);
    await pageR
      .getByTestId('side-by-side')
      .getByText(/no record of yours/i)
      .waitFor();
  });

  await test('matching: cross-referencing runs with progress and lists results by score, highest first', async () => {
    await navLink(pageR, /^Cross-referencing/).click();
    await pageR.getByTestId('xref-start').waitFor({ timeout: 15_000 });
    await pageR.getByRole('checkbox', { name: /duplicates inside my organization/ }).check();
    await pageR.getByRole('button', { name: 'Start', exact: true }).click();
    await pageR.waitForURL(/\/matching\/xref\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    await pageR.getByTestId('xref-progress').waitFor({ timeout: 15_000 });
    await pageR.locator('[data-testid="xref-progress"][data-status="done"]').waitFor({ timeout: 90_000 });
    const total = Number((await pageR.locator('[data-count="total"]').textContent()).replace(/\D/g, ''));
    const processed = Number(
      (await pageR.locator('[data-count="processed"]').textContent()).replace(/\D/g, ''),
    );
    assert(total > 0 && processed === total, `processed ${processed} of ${total}`);
    assert((await pageR.locator('progress[aria-valuetext="100%"]').count()) === 1, 'the bar is not at 100%');
    await pageR.getByTestId('xref-results').waitFor({ timeout: 15_000 });
    const scores = await pageR
      .locator('[data-testid="xref-results"] tbody tr')
      .evaluateAll((els) => els.map((e) => Number(e.dataset.score)));
    assert(scores.length > 0, 'no result row');
    for (let i = 1; i < scores.length; i += 1)
      assert(scores[i] <= scores[i - 1], `results not by score: ${scores.join(', ')}`);
    await pageR.screenshot({ path: join(RESULTS, 'xref-job.png'), fullPage: false });
    await pageR.getByLabel('Minimum score').selectOption('0.9');
    await pageR.waitForURL((url) => url.searchParams.get('minScore') === '0.9');
    await pageR.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="xref-results"] tbody tr, .state--empty')].every(
        (e) => !e.dataset.score || Number(e.dataset.score) >= 0.9,
      ),
    );
  });

  await ctxR.close();
  await ctxO.close();
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

  await test('search: a partner finds the demo record by name and sees only records it may read', async () => {
    const q = record.caption.split(/\s+/).slice(0, 2).join(' ');
    await pageB.goto(`${base}/search`);
    await pageB.getByRole('heading', { level: 1, name: 'Search' }).waitFor({ timeout: 15_000 });
    await pageB.getByLabel(/search for names/i).fill(q);
    await pageB.getByRole('button', { name: 'Search', exact: true }).click();
    await pageB.waitForURL((url) => url.searchParams.get('q') === q);
    const hit = pageB.locator(`article.hit[data-record-id="${record.id}"]`);
    await hit.waitFor({ timeout: 15_000 });
    // The previous answer may still show while the query's answer loads: wait for the marks.
    await hit.locator('mark').first().waitFor({ timeout: 15_000 });
    assert((await hit.locator('.tlp-chip').textContent()) === 'TLP:AMBER', 'the hit has no TLP:AMBER chip');
    // Every result is one the partner may open.
    const ids = await pageB.locator('article.hit').evaluateAll((els) => els.map((e) => e.dataset.recordId));
    for (const id of ids) {
      const res = await partner.session.get(`/records/${id}`);
      assert(res.status === 200, `search showed record ${id}, which the partner reads with ${res.status}`);
    }
    // A facet click filters, shows a removable chip and keeps the state in the address.
    const facet = pageB.locator('.facet__value').first();
    await facet.click();
    await pageB.locator('.filter-chip').first().waitFor();
    assert(
      /[?&](schema|country|crimeArea|owner|tlp|subjectCategory)=/.test(pageB.url()),
      `no facet in ${pageB.url()}`,
    );
    await pageB.screenshot({ path: join(RESULTS, 'search.png'), fullPage: false });
    await pageB.locator('.filter-chip__remove').first().click();
    await pageB.waitForFunction(() => document.querySelectorAll('.filter-chip').length === 0);
  });

  await test('search in Arabic is laid out right-to-left', async () => {
    await pageB.evaluate(() => localStorage.setItem('entente.lang', 'ar'));
    await pageB.reload();
    await pageB.waitForFunction(() => document.documentElement.dir === 'rtl');
    await pageB.locator('article.hit').first().waitFor({ timeout: 15_000 });
    const facets = await pageB.locator('.search-facets').boundingBox();
    const results = await pageB.locator('.search-results').boundingBox();
    assert(facets && results && facets.x > results.x, 'the facets are not on the right in RTL');
    await pageB.screenshot({ path: join(RESULTS, 'search-ar.png'), fullPage: false });
    await pageB.evaluate(() => localStorage.setItem('entente.lang', 'en'));
    await pageB.reload();
    await pageB.waitForFunction(() => document.documentElement.dir === 'ltr');
  });

  await test('the outsider’s search does not show the record', async () => {
    await pageC.goto(`${base}/search?q=${encodeURIComponent(record.caption)}`);
    await pageC.getByRole('heading', { level: 1, name: 'Search' }).waitFor({ timeout: 15_000 });
    await pageC.locator('article.hit, .state--empty').first().waitFor({ timeout: 15_000 });
    assert(
      (await pageC.locator(`article.hit[data-record-id="${record.id}"]`).count()) === 0,
      'the outsider’s search shows the record',
    );
  });

  const ctxD = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
  const pageD = await ctxD.newPage();
  watch(pageD);

  await test('the record page shows its links (graph and list) and its history', async () => {
    await signIn(pageD, base, owner.email, logins.password);
    // Prefer one of the owner's records that has links, so the graph has something to draw.
    const LINK_SCHEMATA = new Set([
      'Ownership',
      'Directorship',
      'Family',
      'Associate',
      'Membership',
      'Employment',
      'Representation',
      'Payment',
      'UnknownLink',
    ]);
    let linked = record;
    const mine = await owner.session.get(`/records?owner=${owner.session.me.organization.id}&limit=100`);
    for (const r of mine.body?.items ?? []) {
      if (LINK_SCHEMATA.has(r.schema)) continue;
      const links = await owner.session.get(`/records/${r.id}/links`);
      if (links.status === 200 && links.body?.edges?.length > 0) {
        linked = r;
        break;
      }
    }
    await pageD.goto(`${base}/records/${linked.id}`);
    await pageD.getByRole('tab', { name: 'Links' }).click();
    await pageD
      .locator('[data-testid="links-table"], .state--empty, .state--error')
      .first()
      .waitFor({ timeout: 15_000 });
    assert((await pageD.locator('.state--error').count()) === 0, 'the links tab shows an error');
    if (linked !== record) {
      await pageD.locator('[data-testid="link-graph"] canvas').first().waitFor({ timeout: 15_000 });
      assert(
        (await pageD.locator('[data-testid="links-table"] tbody tr').count()) > 0,
        'the links list is empty',
      );
    }
    await pageD.screenshot({ path: join(RESULTS, 'record-links.png'), fullPage: false });
    // The record created through the form earlier has at least its creation in its history.
    const created = await owner.session.get(`/records?q=${encodeURIComponent('Test Person E2E')}&limit=1`);
    const createdId = created.body?.items?.[0]?.id;
    assert(createdId, 'the record created earlier is not listed');
    await pageD.goto(`${base}/records/${createdId}?tab=history`);
    await pageD.getByRole('tab', { name: 'History', selected: true }).waitFor({ timeout: 15_000 });
    await pageD.getByTestId('record-history').waitFor({ timeout: 15_000 });
    assert((await pageD.locator('[data-testid="record-history"] > li').count()) > 0, 'no history entry');
    await pageD.screenshot({ path: join(RESULTS, 'record-history.png'), fullPage: false });
  });

  await test('retention: the server’s limit shows on the extend dialog’s date; a review is confirmed', async () => {
    await pageD.goto(`${base}/records/${record.id}`);
    await pageD.getByRole('button', { name: 'Extend retention' }).click();
    const dialog = pageD.getByRole('dialog', { name: 'Extend retention' });
    const tooLate = `${new Date().getUTCFullYear() + 9}-06-30`;
    await dialog.getByLabel(/new expiry date/i).fill(tooLate);
    await dialog.getByLabel(/reason/i).fill('Still under investigation');
    await dialog.getByRole('button', { name: 'Extend retention' }).click();
    const error = dialog.locator('.field--invalid .field__error').first();
    await error.waitFor({ timeout: 10_000 });
    const text = await error.textContent();
    assert(/five years|agreement/i.test(text), `the date's error says: ${text}`);
    await pageD.screenshot({ path: join(RESULTS, 'record-extend-error.png'), fullPage: false });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await pageD.getByRole('button', { name: 'Confirm review' }).click();
    const review = pageD.getByRole('dialog', { name: /still needed/i });
    await review.getByLabel(/note/i).fill('Checked with the case officer');
    await review.getByRole('button', { name: 'Confirm review' }).click();
    await pageD.getByRole('status').filter({ hasText: 'Review confirmed.' }).waitFor({ timeout: 10_000 });
  });

  await test('the owner imports a FtM JSON-lines file: progress ends done, 1 rejected with its line, records searchable', async () => {
    const stamp = Date.now().toString(36);
    const names = ['Alpha', 'Bravo', 'Charlie'].map((n) => `Zephyrine ${n} ${stamp}`);
    const lines = [
      ...names.slice(0, 2).map((name, i) =>
        JSON.stringify({
          id: `e2e-${stamp}-${i}`,
          schema: 'Person',
          properties: { name: [name], nationality: ['fr'] },
        }),
      ),
      '{"id": "broken", "schema": ',
      JSON.stringify({ id: `e2e-${stamp}-2`, schema: 'Person', properties: { name: [names[2]] } }),
    ];
    const file = join(dataDir, `import-${stamp}.jsonl`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await pageD.goto(`${base}/imports/new`);
    await pageD.getByRole('heading', { level: 1, name: 'Import data' }).waitFor({ timeout: 15_000 });
    await pageD.getByLabel(/file to import/i).setInputFiles(file);
    const format = pageD.getByLabel(/^Format/);
    for (let i = 0; i < 50 && (await format.inputValue()) !== 'ftm'; i += 1) await pageD.waitForTimeout(100);
    assert((await format.inputValue()) === 'ftm', 'the format was not detected as ftm');
    await pageD.getByRole('button', { name: 'Next' }).click();
    await pageD.getByTestId('import-preview').waitFor({ timeout: 15_000 });
    const problems = await pageD.getByTestId('preview-problems').textContent();
    assert(/Line 3/.test(problems), `the preview does not name line 3: ${problems}`);
    await pageD.getByRole('button', { name: 'Next' }).click();
    await pageD.getByRole('checkbox', { name: 'Fraud' }).check();
    await pageD.getByLabel(/data-subject category/i).selectOption('suspect');
    await pageD.getByRole('button', { name: 'Start the import' }).click();
    await pageD.getByTestId('import-progress').waitFor({ timeout: 20_000 });
    await pageD.screenshot({ path: join(RESULTS, 'import-progress.png'), fullPage: false });
    await pageD.getByTestId('import-summary').waitFor({ timeout: 30_000 });
    const status = await pageD.getByTestId('import-progress').getAttribute('data-status');
    assert(status === 'done', `the import ended ${status}`);
    const rejected = await pageD.locator('[data-count="rejected"]').textContent();
    assert(rejected === '1', `rejected count is ${rejected}`);
    const created = await pageD.locator('[data-count="created"]').textContent();
    assert(created === '3', `created count is ${created}`);
    const errors = await pageD.getByTestId('import-errors').textContent();
    assert(/Line 3/.test(errors), `the errors do not name line 3: ${errors}`);
    assert(
      (await pageD.getByRole('link', { name: /download error report/i }).count()) === 1,
      'no error report link',
    );
    await pageD.screenshot({ path: join(RESULTS, 'import-summary.png'), fullPage: true });
    await pageD.goto(`${base}/search?q=${encodeURIComponent(`Zephyrine ${stamp}`)}`);
    await pageD.locator('article.hit').first().waitFor({ timeout: 15_000 });
    const captions = await pageD.locator('article.hit .hit__title').allTextContents();
    for (const name of names)
      assert(captions.includes(name), `search does not find ${name}: ${captions.join(', ')}`);
  });

  await test('the owner imports a CSV file through a saved column mapping', async () => {
    const stamp = Date.now().toString(36);
    const file = join(dataDir, `people-${stamp}.csv`);
    writeFileSync(
      file,
      `ref,full_name,country\ncsv-${stamp}-1,"Quillon, Anatole ${stamp}",fr\ncsv-${stamp}-2,Quillon Berthe ${stamp},be\n`,
    );
    await pageD.goto(`${base}/imports/new`);
    await pageD.getByLabel(/file to import/i).setInputFiles(file);
    const format = pageD.getByLabel(/^Format/);
    for (let i = 0; i < 50 && (await format.inputValue()) !== 'csv'; i += 1) await pageD.waitForTimeout(100);
    await pageD.getByRole('button', { name: 'Next' }).click();
    await pageD.getByTestId('csv-mapping').waitFor({ timeout: 15_000 });
    await pageD.getByLabel(/^Each row is a/).selectOption('Person');
    await pageD.getByLabel(/^Id column/).selectOption('ref');
    await pageD.getByLabel('Property for column full_name').selectOption('name');
    await pageD.getByLabel('Property for column country').selectOption('nationality');
    await pageD.getByTestId('csv-preview').waitFor();
    const preview = await pageD.getByTestId('csv-preview').textContent();
    assert(preview.includes(`Quillon, Anatole ${stamp}`), `the CSV preview shows: ${preview}`);
    await pageD.getByLabel(/^Mapping name/).fill(`People ${stamp}`);
    await pageD.getByRole('button', { name: 'Save mapping' }).click();
    await pageD.getByText(/mapping saved/i).waitFor({ timeout: 10_000 });
    await pageD.screenshot({ path: join(RESULTS, 'import-csv-mapping.png'), fullPage: true });
    await pageD.getByRole('button', { name: 'Next' }).click();
    await pageD.getByRole('checkbox', { name: 'Fraud' }).check();
    await pageD.getByLabel(/data-subject category/i).selectOption('suspect');
    await pageD.getByRole('button', { name: 'Start the import' }).click();
    await pageD.getByTestId('import-summary').waitFor({ timeout: 30_000 });
    const created = await pageD.locator('[data-count="created"]').textContent();
    assert(created === '2', `created count is ${created}`);
    // The organization's imports list shows both finished jobs.
    await pageD.getByRole('link', { name: 'All imports' }).click();
    await pageD.getByTestId('imports-table').waitFor({ timeout: 15_000 });
    const rows = await pageD.locator('[data-testid="imports-table"] tbody tr').count();
    assert(rows >= 2, `the imports list has ${rows} rows`);
    await pageD.screenshot({ path: join(RESULTS, 'imports-list.png'), fullPage: false });
  });

  await test('a reader sees restricted link ends as placeholders, without their content', async () => {
    // Look for a link end the reader may not read among the records it reads (partner, then outsider).
    let target = null;
    for (const reader of [
      { who: partner, page: pageB },
      { who: outsider, page: pageC },
    ]) {
      const readable = await reader.who.session.get('/records?limit=100');
      for (const r of readable.body?.items ?? []) {
        const links = await reader.who.session.get(`/records/${r.id}/links`);
        if (links.body?.nodes?.some((n) => n.restricted)) {
          target = { record: r, links: links.body, page: reader.page };
          break;
        }
      }
      if (target) break;
    }
    if (!target) {
      console.log(
        '      (the demo gives neither the partner nor the outsider a restricted link end; nothing to check)',
      );
      return;
    }
    for (const n of target.links.nodes.filter((x) => x.restricted))
      assert(n.id === null && !('caption' in n), 'a restricted placeholder carries content');
    const p = target.page;
    await p.goto(`${base}/records/${target.record.id}?tab=links`);
    await p.getByTestId('links-table').waitFor({ timeout: 15_000 });
    await p.locator('[data-testid="links-table"] .restricted').first().waitFor();
    await p.locator('[data-testid="link-graph"] canvas').first().waitFor({ timeout: 15_000 });
    await p.screenshot({ path: join(RESULTS, 'record-links-restricted.png'), fullPage: false });
  });

  await matchingTests({ base, logins, browser, watch });

  await test('after the owner retracts the record, the partner gets a tombstone without content', async () => {
    await pageD.goto(`${base}/records/${record.id}`);
    await pageD.getByRole('button', { name: 'Retract' }).click();
    const dialog = pageD.getByRole('dialog');
    await dialog.getByRole('textbox').fill('Source withdrew the information');
    await dialog.getByRole('button', { name: 'Retract' }).click();
    await pageD
      .getByRole('status')
      .filter({ hasText: /retracted/i })
      .first()
      .waitFor({ timeout: 10_000 });
    await pageB.goto(`${base}/records/${record.id}`);
    const tomb = pageB.getByTestId('tombstone');
    await tomb.waitFor({ timeout: 15_000 });
    const text = await tomb.textContent();
    assert(/Source withdrew the information/.test(text), `the tombstone says: ${text}`);
    assert(!text.includes(record.caption), 'the tombstone shows the caption');
    await pageB.screenshot({ path: join(RESULTS, 'record-tombstone.png'), fullPage: false });
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
