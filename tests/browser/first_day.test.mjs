// first_day.test.mjs — the host writes the first day as fields on the offering
// form (where to report, when, whom to ask for, dress code, parking or
// transit, what to bring): a field too long comes back with the error summary
// linked to it and everything typed kept; saved, the offering's API reply
// carries the fields. JavaScript off, on a phone and on a laptop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { apiExpect, apiLogin, checkAxe, fitsWindow, newContext, screenshot, SCREENSHOT_DIR } from './lib.mjs';

const DEMO_PASSWORD = 'rounds-demo-2026';
const TITLE = `Harrowgate${process.pid} Cardiology Observership`;

async function press(page, button) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

async function demoOffering(token) {
  const site = (await apiExpect(200, 'GET', '/api/v1/sites', { token })).items[0];
  const preceptor = (await apiExpect(200, 'GET',
    `/api/v1/preceptors?organization_id=${encodeURIComponent(site.organization_id)}`, { token })).items[0];
  return apiExpect(201, 'POST', '/api/v1/offerings', {
    token,
    body: {
      organization_id: site.organization_id, site_id: site.id, preceptor_id: preceptor.id, title: TITLE,
      specialty: 'cardiology', kind: 'observership', setting: 'inpatient', weeks: 4, tuition_cents: 150000,
      application_fee_cents: 0, description: 'Cath lab and the cardiology wards.',
      eligibility: { students_allowed: true, graduates_allowed: true, step1_required: false, visa_kinds: [] },
      status: 'published',
    },
  });
}

for (const [label, viewport] of [['390', { width: 390, height: 844 }], ['1280', { width: 1280, height: 800 }]]) {
  test(`the host writes the first day as fields (${label} px)`, { timeout: 120_000 }, async () => {
    const token = await apiLogin('host@rounds.test', DEMO_PASSWORD);
    const offering = await demoOffering(token);
    const context = await newContext({ javaScriptEnabled: false, viewport });
    try {
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('Email').fill('host@rounds.test');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await press(page, page.getByRole('button', { name: 'Log in', exact: true }));
      const editPath = `/host/offerings/${offering.id}/edit`;
      await page.goto(editPath);
      const first = page.getByRole('group', { name: 'The first day' });
      await first.getByLabel('Where to report').fill('x'.repeat(301));
      await first.getByLabel('When').fill('7:30 AM');
      await first.getByLabel('Whom to ask for').fill('Nurse manager Ana Ruiz, ext. 4411');
      await first.getByLabel('What to bring').fill('Passport and BLS card');
      const status = await press(page, page.getByRole('button', { name: 'Save offering' }));
      assert.ok(status === 400 || status === 422, `a field too long answers 4xx, not ${status}`);
      const summary = page.getByRole('alert');
      await summary.getByRole('link', { name: 'Where to report is too long' }).waitFor();
      assert.equal(await first.getByLabel('When').inputValue(), '7:30 AM', 'what was typed is kept');
      assert.equal(await first.getByLabel('What to bring').inputValue(), 'Passport and BLS card');
      await fitsWindow(page);
      await screenshot(page, `first-day-error-${label}.png`);

      await first.getByLabel('Where to report').fill('North Tower, 2nd floor, Room 214');
      await first.getByLabel('Dress code').fill('Business casual and a white coat');
      assert.equal(await press(page, page.getByRole('button', { name: 'Save offering' })), 303);
      await page.goto(editPath);
      assert.equal(await first.getByLabel('Where to report').inputValue(), 'North Tower, 2nd floor, Room 214');
      assert.equal(await first.getByLabel('Dress code').inputValue(), 'Business casual and a white coat');
      await fitsWindow(page);
      await checkAxe(page, `the offering form with the first day (${label} px)`);
      await screenshot(page, `first-day-saved-${label}.png`);
      await first.screenshot({ path: path.join(SCREENSHOT_DIR, `first-day-fields-${label}.png`) });
      const saved = await apiExpect(200, 'GET', `/api/v1/offerings/${offering.id}`, {});
      assert.deepEqual(saved.first_day_instructions, {
        address: 'North Tower, 2nd floor, Room 214', time: '7:30 AM', ask_for: 'Nurse manager Ana Ruiz, ext. 4411',
        dress_code: 'Business casual and a white coat', transport: '', bring: 'Passport and BLS card',
      });
    } finally {
      await context.close();
    }
  });
}
