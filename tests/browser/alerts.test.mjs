// alerts.test.mjs — a saved search that brings a freed seat to a student, in
// a real browser with JavaScript disabled, against the server run.sh starts
// (its background jobs run every second); the student on a phone (390 px),
// the unsubscribe link opened on a laptop (1280 px), no page wider than its window:
//
//   the host (host@rounds.test, through the API) publishes a rotation with a
//   unique word in its title and one start date with one seat, which another
//   student holds → a new student searches for that word (nothing open),
//   saves the search from the search page and sees it on /saved → the holder
//   withdraws, the seat frees → the student's notifications show the alert,
//   and the alert email arrives (MAIL_DIR) with the rotation's link and an
//   unsubscribe link → the student follows the notification to the search,
//   opens the rotation and applies → "Submitted" → the unsubscribe link,
//   opened without logging in, asks, then stops the emails.
//
// Screenshots (in SCREENSHOT_DIR): saved.png, alert.png, unsubscribe.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { BASE_URL, fitsWindow, newContext, screenshot } from './lib.mjs';

const MAIL_DIR = process.env.MAIL_DIR;
const DEMO_PASSWORD = 'rounds-demo-2026';
const PASSWORD = 'lantern-orchard-quill-83';
const STAMP = `${Date.now()}-${process.pid}`;
const WORD = `Zephyrine${process.pid}`;
const TITLE = `${WORD} Cardiology Externship`;
const STUDENT_EMAIL = `alerts-student-${STAMP}@example.org`;
const HOLDER_EMAIL = `alerts-holder-${STAMP}@example.org`;
const SEARCH_NAME = `${WORD} watch`;

const pathOf = (page) => new URL(page.url()).pathname;

// The API as someone with a bearer token (null: anonymous), one connection
// per request (none left open when the server stops).
function api(token, method, path_, body) {
  const headers = { 'content-type': 'application/json', connection: 'close' };
  if (token) headers.authorization = `Bearer ${token}`;
  const data = body ? JSON.stringify(body) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(`${BASE_URL}${path_}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function expectApi(token, method, path_, body, status) {
  const res = await api(token, method, path_, body);
  assert.equal(res.status, status, `${method} ${path_} → ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json;
}

const dateIn = (days) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);

// Clicks a button and waits for the POST it sends and the page it lands on.
async function press(page, button, landing) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  if (landing) await page.waitForURL(landing);
  await page.waitForLoadState('load');
  return status;
}

// A published rotation of the demo host with one start date of one seat, held by the holder.
async function fullRotation() {
  const host = (await expectApi(null, 'POST', '/api/v1/auth/login',
    { email: 'host@rounds.test', password: DEMO_PASSWORD }, 200)).token;
  const sites = (await expectApi(host, 'GET', '/api/v1/sites', null, 200)).items;
  assert.ok(sites.length > 0, 'the demo host has a site');
  const site = sites[0];
  const preceptors = (await expectApi(host, 'GET',
    `/api/v1/preceptors?organization_id=${encodeURIComponent(site.organization_id)}`, null, 200)).items;
  assert.ok(preceptors.length > 0, 'the demo host has a preceptor');
  const offering = await expectApi(host, 'POST', '/api/v1/offerings', {
    organization_id: site.organization_id, site_id: site.id, preceptor_id: preceptors[0].id, title: TITLE,
    specialty: 'cardiology', kind: 'observership', setting: 'outpatient', weeks: 4, tuition_cents: 150000,
    application_fee_cents: 0, deposit_cents: 0, description: 'Clinic days with a cardiologist.',
    eligibility: { students_allowed: true, graduates_allowed: true, step1_required: false, visa_kinds: [] },
    status: 'published',
  }, 201);
  const block = await expectApi(host, 'POST', `/api/v1/offerings/${offering.id}/blocks`,
    { start: dateIn(75), end: dateIn(102), seats: 1 }, 201);
  const holder = (await expectApi(null, 'POST', '/api/v1/auth/register',
    { email: HOLDER_EMAIL, password: PASSWORD, name: 'Tomas Lindqvist' }, 201)).token;
  const application = await expectApi(holder, 'POST', '/api/v1/applications',
    { block_id: block.id, statement: 'Holding this seat for now.' }, 201);
  await expectApi(host, 'POST', `/api/v1/applications/${application.id}/offer`, {}, 200);
  await expectApi(holder, 'POST', `/api/v1/applications/${application.id}/accept`, {}, 200);
  return { offering, block, holder, application };
}

// The alert email to `to` in MAIL_DIR/new (the jobs send the outbox every second).
async function alertMail(to) {
  const dir = path.join(MAIL_DIR, 'new');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const name of await readdir(dir).catch(() => [])) {
      const mail = await readFile(path.join(dir, name), 'utf8').catch(() => '');
      if (new RegExp(`^To: .*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(mail) && mail.includes('/unsubscribe/')) {
        return mail;
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`no alert mail to ${to} in ${dir} within 30 s`);
}

test('save a search → a seat frees → the alert arrives → the student follows it and applies',
  { timeout: 180_000 }, async () => {
    assert.ok(MAIL_DIR, 'MAIL_DIR is set (tests/browser/run.sh exports the server\'s maildir)');
    const rotation = await fullRotation();
    await expectApi(null, 'POST', '/api/v1/auth/register',
      { email: STUDENT_EMAIL, password: PASSWORD, name: 'Nadia Rahimi' }, 201);
    const context = await newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const anonymous = await newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    try {
      const s = await context.newPage();
      await s.goto('/login');
      await s.getByLabel('Email').fill(STUDENT_EMAIL);
      await s.getByLabel('Password').fill(PASSWORD);
      await press(s, s.getByRole('button', { name: 'Log in', exact: true }), (u) => u.pathname === '/account');

      // Nothing open yet: the only start date is full. Save the search.
      await s.goto(`/search?q=${WORD}`);
      assert.equal(await s.locator('article.result').count(), 0, 'the full rotation is not among open results');
      await s.locator('summary', { hasText: 'Save this search' }).click(); // <details> opens without JavaScript
      await s.getByLabel('Name of the search').fill(SEARCH_NAME);
      const saved = await press(s, s.getByRole('button', { name: 'Save this search' }),
        (u) => u.pathname === '/saved');
      assert.equal(saved, 303, 'POST /saved-searches answers 303 to /saved');
      await s.getByRole('status').filter({ hasText: 'Search saved' }).waitFor();
      const searches = s.getByRole('region', { name: 'Saved searches' });
      await searches.getByRole('link', { name: SEARCH_NAME }).waitFor();
      await fitsWindow(s);
      await screenshot(s, 'saved.png');

      // The holder lets the seat go: the saved search's alert follows by itself.
      await expectApi(rotation.holder, 'POST', `/api/v1/applications/${rotation.application.id}/withdraw`,
        { note: 'plans changed' }, 200);
      let alert = null;
      for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
        await s.goto('/notifications');
        alert = s.getByRole('link', { name: new RegExp(SEARCH_NAME) });
        if (await alert.count() > 0) break;
        alert = null;
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(alert, `a notification for "${SEARCH_NAME}" within 30 s`);
      await fitsWindow(s);
      await screenshot(s, 'alert.png');

      // The email: what is new, with its link, and an unsubscribe link.
      const mail = await alertMail(STUDENT_EMAIL);
      assert.match(mail, new RegExp(TITLE));
      assert.ok(mail.includes(`/offerings/${rotation.offering.id}`), 'the email links to the rotation');
      const unsubscribe = new URL(mail.match(/https?:\/\/\S+\/unsubscribe\/[A-Za-z0-9_-]+/)[0]).pathname;

      // Follow the alert to the search, open the rotation, apply for the freed date.
      await Promise.all([s.waitForURL((u) => u.pathname === '/search'), alert.first().click()]);
      const card = s.locator('article.result').filter({ hasText: TITLE });
      await Promise.all([s.waitForURL((u) => u.pathname === `/offerings/${rotation.offering.id}`),
        card.getByRole('heading').getByRole('link').click()]);
      const apply = s.getByRole('region', { name: 'Apply for this rotation' });
      await apply.getByRole('radio').first().check();
      await apply.getByLabel('Your statement (optional)').fill('A seat opened and I would love to take it.');
      const applied = await press(s, apply.getByRole('button', { name: 'Apply', exact: true }),
        (u) => /^\/applications\/[^/]+$/.test(u.pathname));
      assert.equal(applied, 303, 'POST /offerings/{id}/apply answers 303');
      assert.equal((await s.locator('.current-status .status').textContent()).trim(), 'Submitted');

      // The unsubscribe link, logged out: it asks, then stops the emails.
      const u = await anonymous.newPage();
      const asked = await u.goto(unsubscribe);
      assert.equal(asked.status(), 200);
      await u.getByText(SEARCH_NAME).first().waitFor();
      const stopped = await press(u, u.getByRole('button', { name: 'Stop these emails' }));
      assert.equal(stopped, 200);
      await u.getByRole('heading', { name: 'Emails stopped' }).waitFor();
      await fitsWindow(u);
      await screenshot(u, 'unsubscribe.png');
      const forged = await u.goto(`${unsubscribe.slice(0, -4)}AAAA`);
      assert.equal(forged.status(), 404, 'a forged unsubscribe token is 404');

      // Saved: the search now alerts in the app only.
      await s.goto('/saved');
      await s.getByRole('region', { name: 'Saved searches' }).getByText('alerts in the app only').waitFor();
      assert.equal(pathOf(s), '/saved');
    } finally {
      await context.close();
      await anonymous.close();
    }
  });
