// certificates.test.mjs — the certificate of completion in a real browser
// with JavaScript disabled. The rotation is set up through the HTTP API
// (staff make a host with a preceptor and an offering, a fresh student
// applies, staff take it to "completed"); then in the browser:
//
//   the student opens the completed application → the "Certificate of
//   completion" panel offers to issue it → "Issue the certificate" → the
//   panel shows the number, "Download the certificate (PDF)" and its public
//   page → the PDF downloads with the session and pdftotext reads the
//   student's name, the rotation and the number in it → on a phone (390 px),
//   not signed in, /verify/{number} says "Genuine." with the facts and
//   nothing wider than the screen → a mistyped number says "Not genuine"
//   (404) → the /verify form takes the number as typed (lower case, no
//   dashes) and lands on its page.
//
// Screenshots (in SCREENSHOT_DIR): certificate-panel.png (1280 px),
// verify-phone.png and verify-not-genuine-phone.png (390 px), verify-desktop.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASE_URL, confirmEmail, newContext, screenshot } from './lib.mjs';

const PASSWORD = 'rounds-demo-2026';
const STUDENT_PASSWORD = 'copper-meadow-lantern-44';
const STUDENT_NAME = 'Kwame Asante-Boateng';
const TITLE = `Cardiology Sub-Internship ${Date.now().toString(36)}`;
const DAY = 86_400_000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

async function api(method, url, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(BASE_URL + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  assert.ok(res.status < 300, `${method} ${url} → ${res.status} ${text.slice(0, 300)}`);
  return json;
}

// A valid NPI (Luhn over 80840 + the first nine digits).
function npi() {
  const base = `1${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const digits = `80840${base}`.split('').map(Number);
  let sum = 0;
  for (let i = digits.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let d = digits[i] * (dbl ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return base + String((10 - (sum % 10)) % 10);
}

async function completedRotation() {
  const staff = (await api('POST', '/api/v1/auth/login', { body: { email: 'staff@rounds.test', password: PASSWORD } })).token;
  const org = await api('POST', '/api/v1/organizations', { token: staff, body: { name: `Harborview Heart Institute ${Date.now()}`, kind: 'host' } });
  const site = await api('POST', '/api/v1/sites', { token: staff, body: { organization_id: org.id, name: 'Main', city: 'Seattle', state: 'WA', zip: '98104' } });
  const preceptor = await api('POST', '/api/v1/preceptors', {
    token: staff,
    body: { organization_id: org.id, name: 'Dr. Helen Park', email: `park-${Date.now()}@example.org`, npi: npi(),
      specialty: 'cardiology', license_state: 'WA', license_number: 'MD-60457' },
  });
  const offering = await api('POST', '/api/v1/offerings', {
    token: staff,
    body: { organization_id: org.id, site_id: site.id, preceptor_id: preceptor.id, title: TITLE, specialty: 'cardiology',
      kind: 'hands_on', setting: 'inpatient', weeks: 4, tuition_cents: 300000, application_fee_cents: 0, deposit_cents: 0,
      description: 'Inpatient cardiology with the consult team.' },
  });
  const start = Date.now() + DAY; // tomorrow: applying for a block that has begun is refused
  const block = await api('POST', `/api/v1/offerings/${offering.id}/blocks`, {
    token: staff, body: { start: isoDate(start), end: isoDate(start + 27 * DAY), seats: 2 },
  });
  const email = `cert-${Date.now().toString(36)}@example.test`;
  const student = (await api('POST', '/api/v1/auth/register', { body: { email, password: STUDENT_PASSWORD, name: STUDENT_NAME } })).token;
  await confirmEmail(email); // a new account confirms its address before applying
  const app = await api('POST', '/api/v1/applications', { token: student, body: { block_id: block.id, statement: 'Cardiology is my path.' } });
  await api('POST', `/api/v1/applications/${app.id}/offer`, { token: staff, body: {} });
  await api('POST', `/api/v1/applications/${app.id}/accept`, { token: student, body: {} });
  for (const action of ['book', 'clear']) {
    await api('POST', `/api/v1/applications/${app.id}/${action}`, { token: staff, body: {} });
  }
  // The host moves the first day to today, so that today's hours can be logged and confirmed.
  const today = Date.now();
  await api('PATCH', `/api/v1/blocks/${block.id}`, { token: staff, body: { start: isoDate(today) } });
  await api('POST', `/api/v1/applications/${app.id}/start`, { token: staff, body: {} });
  // Today's hours, logged by the student and confirmed (staff stand in for the preceptor):
  // the certificate states them. Staff then complete before the last day, with a reason.
  const entry = await api('POST', `/api/v1/applications/${app.id}/hours`, {
    token: student, body: { date: isoDate(today), hours: 7.5, setting: 'inpatient', activities: 'Consult rounds.' },
  });
  await api('POST', `/api/v1/hours/${entry.id}/confirm`, { token: staff, body: {} });
  await api('POST', `/api/v1/applications/${app.id}/complete`, {
    token: staff, body: { override_reason: 'Completed early for the test' },
  });
  return { email, applicationId: app.id };
}

async function press(page, button, landing) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  if (landing) await page.waitForURL(landing);
  await page.waitForLoadState('load');
  return status;
}

async function widest(page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

test('a completed rotation: certificate issued, downloaded, read, and verified on a phone', async () => {
  const { email, applicationId } = await completedRotation();
  const context = await newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  let number;
  try {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(STUDENT_PASSWORD);
    await press(page, page.getByRole('button', { name: 'Log in', exact: true }), (u) => u.pathname === '/account');
    await page.goto(`/applications/${applicationId}`);
    const panel = page.getByRole('region', { name: 'Certificate of completion' });
    await panel.getByText('with 7.5 confirmed hours').waitFor();
    await panel.getByRole('button', { name: 'Issue the certificate' }).waitFor();
    assert.equal(await press(page, panel.getByRole('button', { name: 'Issue the certificate' }),
      (u) => u.pathname === `/applications/${applicationId}`), 303);
    number = (await panel.locator('.certificate-number').innerText()).trim();
    assert.match(number, /^RC-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await page.getByText('The certificate of completion is issued').waitFor();
    await screenshot(page, 'certificate-panel');

    // The PDF with the student's session, read back as text.
    const href = await panel.getByRole('link', { name: 'Download the certificate (PDF)' }).getAttribute('href');
    const res = await context.request.get(href);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /application\/pdf/);
    const dir = mkdtempSync(path.join(tmpdir(), 'rounds-cert-'));
    const file = path.join(dir, `${number}.pdf`);
    writeFileSync(file, await res.body());
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    for (const want of ['Certificate of Completion', STUDENT_NAME, TITLE, number, 'Seattle, WA', 'Dr. Helen Park',
      'Confirmed hours', '7.5']) {
      assert.ok(text.includes(want), `the PDF says ${want}`);
    }
  } finally {
    await context.close();
  }

  // The public page on a phone, not signed in.
  const phone = await newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  try {
    const page = await phone.newPage();
    const res = await page.goto(`/verify/${number}`);
    assert.equal(res.status(), 200);
    await page.getByText('Genuine.').waitFor();
    assert.ok((await page.locator('main').innerText()).includes(STUDENT_NAME));
    // Its dates as the verdict above writes them ("Nov 2, 2026"), not as stored.
    for (const term of ['First day', 'Last day', 'Issued']) {
      const value = (await page.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').first()
        .textContent()).trim();
      assert.match(value, /^[A-Z][a-z]{2} \d{1,2}, \d{4}$/, `${term}: ${value}`);
    }
    assert.ok(await widest(page) <= 390, 'nothing wider than the phone');
    await screenshot(page, 'verify-phone');

    const typo = number.slice(0, -1) + (number.endsWith('0') ? '1' : '0');
    const bad = await page.goto(`/verify/${typo}`);
    assert.equal(bad.status(), 404);
    await page.getByRole('heading', { name: 'Not genuine' }).waitFor();
    assert.ok(await widest(page) <= 390);
    await screenshot(page, 'verify-not-genuine-phone');

    await page.getByLabel('Certificate number').fill(number.toLowerCase().replaceAll('-', ''));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForURL((u) => u.pathname === `/verify/${number}`);
    await page.getByText('Genuine.').waitFor();
  } finally {
    await phone.close();
  }
  const desktop = await newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  try {
    const page = await desktop.newPage();
    await page.goto(`/verify/${number}`);
    await page.getByText('Genuine.').waitFor();
    await screenshot(page, 'verify-desktop');
  } finally {
    await desktop.close();
  }
});
