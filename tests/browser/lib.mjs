// lib.mjs — shared helpers for the browser tests (run by tests/browser/run.sh).
//
// Launches Debian's chromium through playwright-core (no downloaded browser),
// gives each test a fresh context/page, and saves screenshots to SCREENSHOT_DIR.
//
//   import { BASE_URL, withPage, screenshot } from './lib.mjs';
//   test('x', () => withPage({ javaScriptEnabled: false }, async (page) => { ... }));
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(here, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Records a server a test file started in the run's folder (the last one in
// ROUNDS_TEST_RUNS, set by run.sh), as tests/harness/pids.sh's pid_record does:
// should run.sh be killed outright, the next sweep (tests/tmp_sweep.sh) stops it.
export function recordPid(pid, program) {
  const runs = (process.env.ROUNDS_TEST_RUNS || '').split(':').filter(Boolean);
  if (!pid || runs.length === 0) return;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]; // field 22: the start time
    const dir = path.join(runs[runs.length - 1], 'pids');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, String(pid)), `${start} ${program} proc\n`);
  } catch {
    // Gone already: nothing to stop. (It also carries the run in ROUNDS_TEST_RUNS.)
  }
}

let browserPromise = null;

// One browser per test file (node --test runs each file in its own process).
export function browser() {
  if (!browserPromise) {
    browserPromise = chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
      ],
    });
  }
  return browserPromise;
}

after(async () => {
  if (browserPromise) {
    const b = await browserPromise.catch(() => null);
    browserPromise = null;
    if (b) await b.close();
  }
});

// A new isolated context (cookies, storage) for one test.
export async function newContext(options = {}) {
  const b = await browser();
  const context = await b.newContext({ baseURL: BASE_URL, ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

// Run fn(page, context) in a fresh context, closing it afterwards.
export async function withPage(options, fn) {
  if (typeof options === 'function') [options, fn] = [{}, options];
  const context = await newContext(options);
  try {
    const page = await context.newPage();
    return await fn(page, context);
  } finally {
    await context.close();
  }
}

// Save a full-page PNG as SCREENSHOT_DIR/name (".png" added if missing).
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// ---- shared by the journeys: the HTTP API, accessibility and width checks ----

import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

export const PASSWORD = 'rounds-demo-2026';
export const MAIL_DIR = process.env.MAIL_DIR || '';

// One JSON request to the API: { status, json, text }.
export async function api(method, path, { token, body, headers: extra } = {}) {
  const headers = { ...(extra || {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(BASE_URL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

export async function apiExpect(expected, method, path, opts) {
  const r = await api(method, path, opts);
  assert.equal(r.status, expected, `${method} ${path} → ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

export const apiLogin = async (email, password = PASSWORD) =>
  (await apiExpect(200, 'POST', '/api/v1/auth/login', { body: { email, password } })).token;

// The newest email to `to` in the server's maildir whose text matches re: the text, or null.
export async function findMail(to, re = /./) {
  if (!MAIL_DIR) return null;
  const dir = path.join(MAIL_DIR, 'new');
  let names = [];
  try { names = await readdir(dir); } catch { return null; }
  names.sort().reverse();
  const quoted = to.replace(/[.+]/g, '\\$&');
  for (const name of names) {
    const mail = await readFile(path.join(dir, name), 'utf8');
    if (!new RegExp(`^To: .*${quoted}`, 'mi').test(mail)) continue;
    const text = mail.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    if (re.test(text)) return text;
  }
  return null;
}

// Waits (up to 30 s: the outbox sends every second, later on a loaded
// machine) for an email to `to` matching re.
export async function waitForMail(to, re) {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const mail = await findMail(to, re);
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no email to ${to} matching ${re} in ${MAIL_DIR} after 30 s`);
}

const require = createRequire(import.meta.url);
let axeSource = null;

// Runs axe-core on what the page shows now and fails on any serious or
// critical violation; returns the violations of lesser impact. The journeys
// run with JavaScript off, so the page's HTML is shown again, at the same
// address and size, in a page of its own with JavaScript on, where axe-core
// is injected (the stylesheet loads as usual, for the contrast checks).
export async function checkAxe(page, label) {
  if (axeSource === null) axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const html = await page.content();
  const url = page.url();
  const context = await newContext({ viewport: page.viewportSize() || { width: 1280, height: 800 } });
  try {
    const copy = await context.newPage();
    await copy.route((u) => u.href === url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await copy.goto(url);
    const results = await copy.evaluate(async (source) => {
      (0, eval)(source);
      return window.axe.run(document, { resultTypes: ['violations'] });
    }, axeSource);
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [],
      `axe-core: serious or critical violations on ${label}`);
    return results.violations;
  } finally {
    await context.close();
  }
}

// The header's navigation, with its "Menu" (a <details> on a narrow screen) opened as a
// person opens it, by its summary, when it is shown and closed; on a wide screen the
// links are in a row and there is nothing to open.
export async function openMenu(page) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const summary = nav.locator('details.nav-menu > summary');
  if (await summary.isVisible() && (await nav.locator('details.nav-menu').getAttribute('open')) === null) {
    await summary.click();
  }
  return nav;
}

// The page's width beyond the viewport in CSS pixels, with the elements that stick out.
export async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 0.5 && r.width > 0) {
        wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : ''} → ${Math.round(r.right)}`);
        if (wide.length >= 8) break;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, wide };
  });
}

// A new student account whose email is confirmed the way a person does it:
// the confirmation link is read from the email in the server's maildir and
// followed. { email, token (a bearer session), name }.
export async function confirmedStudent(name = 'Noor Haddad', prefix = 'student') {
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const email = `${prefix}-${suffix}@example.test`;
  const reg = await apiExpect(201, 'POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name } });
  if (reg.user && reg.user.email_confirmed === false) await confirmEmail(email);
  return { email, token: reg.token, name };
}

// The token of the newest confirmation link emailed to `email` (waits for the outbox).
export async function confirmationToken(email) {
  const mail = await waitForMail(email, /\/confirm\/[A-Za-z0-9_-]+/);
  const link = mail.match(/https?:\/\/\S+\/confirm\/([A-Za-z0-9_-]+)/);
  assert.ok(link, `a confirmation link in the email to ${email}`);
  return link[1];
}

// Confirms a new account's address with the link of its confirmation email,
// through the API (what the link's page does), so that it may apply.
export async function confirmEmail(email) {
  await apiExpect(200, 'POST', '/api/v1/auth/confirm', { body: { token: await confirmationToken(email) } });
}

// Nothing on the page is wider than its window (no sideways scrolling at 390 px).
export async function fitsWindow(page) {
  const { scroll, client, widest } = await page.evaluate(() => {
    let widest = '';
    for (const el of document.body.querySelectorAll('*')) {
      if (el.getBoundingClientRect().right > document.documentElement.clientWidth + 1) {
        widest = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${el.className}` : ''}`;
        break;
      }
    }
    return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, widest };
  });
  if (scroll > client) throw new Error(`${page.url()} is ${scroll} px wide in a ${client} px window (${widest})`);
}

// A form that came back refused: the page opens at the error summary (role
// alert, focused), which links exactly these field ids in this order; each one
// is a field on the page, marked invalid and described by its own error next
// to it, which says what the summary says. Returns the sentences in order.
export async function expectFieldErrors(page, ids) {
  const fail = (message) => { throw new Error(`${page.url()}: ${message}`); };
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  if (await summary.getAttribute('role') !== 'alert') fail('the error summary is not role="alert"');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  if (focused !== 'error-summary') fail(`the page opens at ${focused}, not the error summary`);
  const links = await summary.getByRole('link').evaluateAll((all) =>
    all.map((a) => [a.getAttribute('href'), a.textContent.trim()]));
  const hrefs = links.map(([href]) => href);
  const wanted = ids.map((id) => `#${id}`);
  if (JSON.stringify(hrefs) !== JSON.stringify(wanted)) fail(`the summary links ${hrefs.join(' ')}, not ${wanted.join(' ')}`);
  for (const [href, text] of links) {
    const field = page.locator(href);
    if (await field.count() !== 1) fail(`${href} is not one field on the page`);
    if (await field.getAttribute('aria-invalid') !== 'true') fail(`${href} is not aria-invalid`);
    const errorId = ((await field.getAttribute('aria-describedby')) || '').split(/\s+/).find((d) => d.startsWith('e-'));
    if (errorId === undefined) fail(`${href} is not described by an error`);
    const shown = (await page.locator(`#${errorId}`).textContent()).trim();
    if (shown !== text) fail(`${href} shows "${shown}" next to it, the summary "${text}"`);
  }
  return links.map(([, text]) => text);
}
