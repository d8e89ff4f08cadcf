// school_approvals.test.mjs — home approval in a real browser with JavaScript
// disabled. Staff create a school of its own for this test (so the demo
// school's setting, which other tests rely on, never changes) and its
// coordinator through the API; a new student asks to join on /me/schools and
// the coordinator approves on /school (390 px) → the coordinator turns home
// approval on (1280 px) → the student applies (API) and /applications shows the
// application waiting for the school → on /school at 390 px the coordinator
// refuses with a blank note (error summary at the top, linked to the field)
// → releases it → the student's application reads "Submitted"; a second
// application is refused with a note the student reads.
//
// Screenshots: school-approvals-1280.png, school-approvals-390.png,
// school-approvals-error-390.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, confirmEmail, newContext, screenshot } from './lib.mjs';

const DEMO_PASSWORD = 'rounds-demo-2026';
const PASSWORD = 'Copper-Meadow-Signal-62';
const STAMP = `${process.pid}-${Date.now().toString(36)}`;

async function api(method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(BASE_URL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}
async function apiExpect(expected, method, path, opts) {
  const r = await api(method, path, opts);
  assert.equal(r.status, expected, `${method} ${path} → ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}
const login = async (email, password) =>
  (await apiExpect(200, 'POST', '/api/v1/auth/login', { body: { email, password } })).token;

async function logIn(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

// Nothing on the page is wider than the viewport.
async function fits(page, width) {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${page.url()} is ${scroll} px wide at ${width} px`);
}

// The dashboard's entry of one application waiting for the school.
function waiting(page, id) {
  return page.locator('li', { has: page.locator(`form[action^="/school/applications/${id}/"]`) });
}

// Open blocks of offerings open to the student (first one that takes the application).
async function apply(token, count) {
  const found = await apiExpect(200, 'GET', '/api/v1/offerings?eligible=me&limit=50', { token });
  const ids = [];
  for (const item of found.items) {
    const o = await apiExpect(200, 'GET', `/api/v1/offerings/${item.id}`, { token });
    for (const b of o.blocks) {
      if (b.seats_left < 1 || b.start <= new Date().toISOString().slice(0, 10)) continue;
      const r = await api('POST', '/api/v1/applications', { token, body: { block_id: b.id } });
      if (r.status !== 201) continue;
      ids.push({ id: r.json.id, status: r.json.status, title: o.title });
      break;
    }
    if (ids.length === count) return ids;
  }
  assert.fail(`only ${ids.length} of ${count} applications were taken`);
}

test('home approval: the school turns it on, holds an application, refuses blank, releases, refuses with a note',
  { timeout: 180_000 }, async () => {
    // Set-up through the API: a school, its coordinator, a student with a profile.
    const staff = await login('staff@rounds.test', DEMO_PASSWORD);
    const schoolName = `Approval Test School ${STAMP}`;
    const school = await apiExpect(201, 'POST', '/api/v1/organizations',
      { token: staff, body: { name: schoolName, kind: 'school' } });
    const coordinatorEmail = `coord-${STAMP}@example.test`;
    await apiExpect(201, 'POST', '/api/v1/users', { token: staff, body: { email: coordinatorEmail,
      name: 'Imani Okafor', role: 'school_coordinator', password: PASSWORD, organization_id: school.id } });
    const studentEmail = `approval-${STAMP}@example.test`;
    const registered = await apiExpect(201, 'POST', '/api/v1/auth/register',
      { body: { email: studentEmail, password: PASSWORD, name: 'Tomas Lindqvist' } });
    const student = registered.token;
    await confirmEmail(studentEmail); // a new account confirms its address before applying
    await apiExpect(200, 'PATCH', '/api/v1/me', { token: student, body: { status: 'graduate', graduation_year: 2023,
      visa_kind: 'b1_b2', step1: 'passed', english_proof: 'oet' } });

    const coordinatorContext = await newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const studentContext = await newContext({ javaScriptEnabled: false });
    try {
      // The student asks to join; the coordinator approves on the dashboard.
      const s = await studentContext.newPage();
      await logIn(s, studentEmail, PASSWORD);
      await s.goto('/me/schools');
      await s.getByRole('region', { name: 'Ask to join a school' }).getByLabel('School').selectOption({ label: schoolName });
      await s.getByRole('button', { name: 'Ask to join' }).click();
      await s.waitForURL((u) => u.pathname === '/me/schools');

      const c = await coordinatorContext.newPage();
      await c.setViewportSize({ width: 390, height: 900 });
      await logIn(c, coordinatorEmail, PASSWORD);
      await c.goto('/school');
      await fits(c, 390);
      await c.getByRole('button', { name: /^Approve\b.*Tomas Lindqvist/ }).click();
      await c.getByText('The student is linked to the school.').waitFor();
      await c.setViewportSize({ width: 1280, height: 900 });

      // Home approval on.
      const approvals = c.getByRole('region', { name: /Waiting for your approval/ });
      await approvals.getByText('Home approval is off').waitFor();
      await approvals.getByLabel(/wait for our approval/).check();
      await approvals.getByRole('button', { name: 'Save the setting' }).click();
      await c.getByText('The setting is saved.').waitFor();
      assert.equal(await approvals.getByLabel(/wait for our approval/).isChecked(), true, 'the setting reads on');

      // The student applies twice: both wait for the school, the host is not told.
      const [first, second] = await apply(student, 2);
      assert.equal(first.status, 'home_review');
      assert.equal(second.status, 'home_review');
      await s.goto(`/applications/${first.id}`);
      assert.equal((await s.locator('.current-status .status').textContent()).trim(),
        "Waiting for the school's approval");

      // The dashboard lists them; at 1280 and 390 px.
      await c.goto('/school');
      await approvals.getByRole('heading', { name: 'Waiting for your approval (2)' }).waitFor();
      await fits(c, 1280);
      await screenshot(c, 'school-approvals-1280.png');
      await c.setViewportSize({ width: 390, height: 900 });
      await c.goto('/school');
      await fits(c, 390);
      await screenshot(c, 'school-approvals-390.png');

      // Refuse with a blank note: 400, the error at the top of the section, linked to the field; nothing changed.
      const firstItem = waiting(c, first.id);
      await firstItem.getByLabel('Why refuse').fill('   ');
      await firstItem.getByRole('button', { name: /^Refuse/ }).click();
      const alert = approvals.getByRole('alert');
      await alert.getByText('Say why you refuse the application').waitFor();
      const target = await alert.getByRole('link').getAttribute('href');
      assert.equal(target, `#why-${first.id}`, 'the error links to the note field');
      assert.equal(await c.locator(`#why-${first.id}`).getAttribute('aria-invalid'), 'true');
      await fits(c, 390);
      await screenshot(c, 'school-approvals-error-390.png');
      const still = await apiExpect(200, 'GET', `/api/v1/applications/${first.id}`, { token: student });
      assert.equal(still.status, 'home_review', 'a refused refusal changes nothing');

      // Release the first: it goes to the host.
      await c.goto('/school');
      await waiting(c, first.id).getByRole('button', { name: /^Release to the host/ }).click();
      await c.getByText('The application went on to the host.').waitFor();
      await s.goto(`/applications/${first.id}`);
      assert.equal((await s.locator('.current-status .status').textContent()).trim(), 'Submitted');

      // Refuse the second with a note: the student reads it.
      const note = 'Your clerkship exams fall in that block.';
      const secondItem = waiting(c, second.id);
      await secondItem.getByLabel('Why refuse').fill(note);
      await secondItem.getByRole('button', { name: /^Refuse/ }).click();
      await c.getByText('The application was refused; the student has been told why.').waitFor();
      await approvals.getByRole('heading', { name: 'Waiting for your approval (0)' }).waitFor();
      await s.goto(`/applications/${second.id}`);
      assert.equal((await s.locator('.current-status .status').textContent()).trim(), 'Refused by the school');
      await s.getByText(note).waitFor();
    } finally {
      await studentContext.close();
      await coordinatorContext.close();
    }
  });
