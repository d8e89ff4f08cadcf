// agreements.test.mjs — affiliation agreements in a real browser with
// JavaScript disabled, against the demo data (`rounds seed --demo`):
//
//   the demo host's coordinator (host@rounds.test) proposes an agreement with
//   the demo school on /agreements — a first try with the end before the
//   start comes back with its error summary and the dates typed kept — then
//   the school's coordinator (school@rounds.test) opens it, is refused a file
//   that is not a PDF, and activates it with the signed PDF, on a 360 px phone;
//   a student without a school is refused a rotation that requires an
//   agreement, with the reason on the page.
//
// Screenshots (in SCREENSHOT_DIR): agreement-propose-error.png, agreement-active-360.png,
// agreement-apply-refused.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiExpect, apiLogin, confirmedStudent, fitsWindow, newContext, screenshot } from './lib.mjs';

const DEMO_PASSWORD = 'rounds-demo-2026';
const PHONE = { width: 360, height: 780 };
const SCHOOL_NAME = 'St. Aurelia School of Medicine';
const TITLE = `Affiliated Nephrology Observership ${process.pid}`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% signed by both parties\n' +
  'trailer << /Root 1 0 R >>\n%%EOF\n');

const dateIn = (days) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);

async function logIn(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

// Clicks a button and waits for the POST it sends; its status.
async function press(page, button) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

test('the host proposes, the school signs with the PDF, a student without an agreement is refused',
  { timeout: 180_000 }, async () => {
    const hostContext = await newContext({ javaScriptEnabled: false });
    const schoolContext = await newContext({ javaScriptEnabled: false, viewport: PHONE });
    const studentContext = await newContext({ javaScriptEnabled: false });
    try {
      // The host proposes; the end before the start comes back with the values kept.
      const h = await hostContext.newPage();
      await logIn(h, 'host@rounds.test', DEMO_PASSWORD);
      await h.goto('/agreements');
      const form = h.getByRole('region', { name: 'Propose an agreement' });
      await form.getByLabel('School').selectOption({ label: SCHOOL_NAME });
      await form.getByLabel('First day covered').fill(dateIn(30));
      await form.getByLabel('Last day covered').fill(dateIn(10));
      assert.equal(await press(h, form.getByRole('button', { name: 'Propose the agreement' })), 400);
      const summary = h.getByRole('alert').filter({ hasText: 'There is a problem' });
      await summary.getByRole('link', { name: 'the end date must not be before the start date' }).waitFor();
      const again = h.getByRole('region', { name: 'Propose an agreement' });
      assert.equal(await again.getByLabel('First day covered').inputValue(), dateIn(30));
      assert.equal(await again.getByLabel('Last day covered').inputValue(), dateIn(10));
      await screenshot(h, 'agreement-propose-error');
      await again.getByLabel('School').selectOption({ label: SCHOOL_NAME });
      await again.getByLabel('First day covered').fill(dateIn(0));
      await again.getByLabel('Last day covered').fill(dateIn(365));
      assert.equal(await press(h, again.getByRole('button', { name: 'Propose the agreement' })), 303);
      await h.waitForURL(/\/agreements\/ag_[^/?]+/);
      const agreementPath = new URL(h.url()).pathname;
      await h.getByText('Waiting for the other side to sign.').waitFor();
      assert.equal(await h.getByRole('button', { name: 'Activate the agreement' }).count(), 0,
        'the proposing side has no activate form');

      // The school opens it on a phone: a text file is refused, the PDF activates it.
      const s = await schoolContext.newPage();
      await logIn(s, 'school@rounds.test', DEMO_PASSWORD);
      await s.goto('/agreements');
      await s.getByRole('link', { name: /and St\. Aurelia School of Medicine/ }).first().waitFor();
      await s.goto(agreementPath);
      const activate = s.getByRole('region', { name: 'Sign and activate' });
      await activate.getByLabel('Signed agreement (PDF)').setInputFiles({ name: 'agreement.txt',
        mimeType: 'application/pdf', buffer: Buffer.from('not a pdf at all') });
      assert.equal(await press(s, activate.getByRole('button', { name: 'Activate the agreement' })), 415);
      await s.getByRole('alert').filter({ hasText: 'must be a PDF file' }).waitFor();
      const activateAgain = s.getByRole('region', { name: 'Sign and activate' });
      await activateAgain.getByLabel('Signed agreement (PDF)').setInputFiles({ name: 'agreement.pdf',
        mimeType: 'application/pdf', buffer: PDF });
      assert.equal(await press(s, activateAgain.getByRole('button', { name: 'Activate the agreement' })), 303);
      await s.getByText('The agreement is signed and active.').waitFor();
      await s.getByText('Active', { exact: true }).waitFor();
      await s.getByRole('link', { name: 'Download the signed PDF' }).waitFor();
      await fitsWindow(s);
      await screenshot(s, 'agreement-active-360');

      // A rotation that requires an agreement; a student of no school is refused with the reason.
      const host = await apiLogin('host@rounds.test', DEMO_PASSWORD);
      const site = (await apiExpect(200, 'GET', '/api/v1/sites', { token: host })).items[0];
      const preceptor = (await apiExpect(200, 'GET',
        `/api/v1/preceptors?organization_id=${encodeURIComponent(site.organization_id)}`, { token: host })).items[0];
      const offering = await apiExpect(201, 'POST', '/api/v1/offerings', { token: host, body: {
        organization_id: site.organization_id, site_id: site.id, preceptor_id: preceptor.id, title: TITLE,
        specialty: 'nephrology', kind: 'observership', setting: 'outpatient', weeks: 4, tuition_cents: 120000,
        application_fee_cents: 0, deposit_cents: 0, description: 'Dialysis unit and clinic days.',
        requires_affiliation: true,
        eligibility: { students_allowed: true, graduates_allowed: true, step1_required: false, visa_kinds: [] },
        status: 'published',
      } });
      await apiExpect(201, 'POST', `/api/v1/offerings/${offering.id}/blocks`,
        { token: host, body: { start: dateIn(60), end: dateIn(87), seats: 3 } });
      const student = await confirmedStudent('Ines Duarte', 'agreement');
      const p = await studentContext.newPage();
      await logIn(p, student.email, 'rounds-demo-2026');
      await p.goto(`/offerings/${offering.id}`);
      const apply = p.getByRole('region', { name: 'Apply for this rotation' });
      await apply.locator('label').filter({ has: p.getByRole('radio') }).first().getByRole('radio').check();
      assert.equal(await press(p, apply.getByRole('button', { name: 'Apply', exact: true })), 422);
      await screenshot(p, 'agreement-apply-refused');
      await p.getByRole('alert').filter({ hasText: 'active affiliation agreement' }).waitFor();
      await screenshot(p, 'agreement-apply-refused');
    } finally {
      await hostContext.close();
      await schoolContext.close();
      await studentContext.close();
    }
  });
