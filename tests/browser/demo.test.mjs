// demo.test.mjs — what a newcomer of `make run` sees first: the demo data
// that run.sh seeds (`rounds seed --demo`), each demo role signed in with
// JavaScript disabled, at 360 px and 1280 px:
//
//   the student's booked rotation shows its deposit paid and the balance
//   still due by a date ahead (not "Pay the balance" with nothing paid), and
//   the completed one is paid in full; the host's earnings, a month or two
//   back through "Previous month", list the rotations that started, and staff's
//   payouts page shows the same amount for that month; the school counts its
//   students' applications (in progress and booked); every role's main pages
//   answer 200 and fit a 360 px window;
//
//   the student's list shows the booked rotation (asked for a week ago) above
//   the one completed ten days ago (asked for months ago): newest first, by
//   the dates of the story; the school and the host each see their signed,
//   active agreement on /agreements and its page; the student and the
//   preceptor see the letter asked after the completed rotation on /letters;
//   the completed rotation links to the preceptor's evaluation, which the
//   student reads.
//
// The demo's ids are made as any other: demo_lib.mjs finds them by account and status.
//
// Screenshots (in SCREENSHOT_DIR): demo-<role>-<page>-<width>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, fitsWindow, newContext, screenshot } from './lib.mjs';
import { demoApplications } from './demo_lib.mjs';

const DEMO = await demoApplications();
const PAGES = {
  student: ['/applications', `/applications/${DEMO.booked}`, `/applications/${DEMO.completed}`,
    `/applications/${DEMO.completed}/evaluation`, '/letters', '/payments', '/readiness'],
  rotation: [`/applications/${DEMO.rotation}`, `/rotations/${DEMO.rotation}`, '/payments'],
  preceptor: ['/applications', '/teaching', '/letters'],
  host: ['/host', '/applications', '/host/earnings', '/agreements'],
  school: ['/school', '/agreements'],
  coach: ['/coach'],
  staff: ['/applications', '/staff/payouts', '/staff/payments'],
};

async function signedIn(role) {
  const context = await newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(`${role}@rounds.test`);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'),
    page.getByRole('button', { name: 'Log in', exact: true }).click()]);
  return { context, page };
}

// "$1,234.50" → 123450 cents.
const cents = (text) => Math.round(Number(text.match(/\$([0-9,]+(?:\.[0-9]{2})?)/)[1].replace(/,/g, '')) * 100);

// The value of a <dt> in a region's facts.
async function fact(region, name) {
  return (await region.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd[1]')
    .innerText()).trim();
}

test('every demo role\'s main pages answer and fit at 360 px and 1280 px', { timeout: 240_000 }, async () => {
  for (const [role, paths] of Object.entries(PAGES)) {
    const { context, page } = await signedIn(role);
    try {
      for (const path of paths) {
        const res = await page.goto(path);
        assert.equal(res.status(), 200, `${role}: GET ${path}`);
        for (const width of [360, 1280]) {
          await page.setViewportSize({ width, height: 900 });
          await screenshot(page, `demo-${role}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}-${width}`);
          if (width === 360) await fitsWindow(page);
        }
      }
    } finally {
      await context.close();
    }
  }
});

test('the booked rotation shows its deposit paid and the balance due ahead; the completed one is paid', { timeout: 60_000 }, async () => {
  const { context, page } = await signedIn('student');
  try {
    await page.goto(`/applications/${DEMO.booked}`);
    const card = page.getByRole('region', { name: 'Payment' });
    const price = cents(await fact(card, 'Price'));
    const paid = cents(await fact(card, 'Paid'));
    assert.ok(paid > 0 && paid < price, `a deposit paid (${paid} of ${price} cents)`);
    const due = await fact(card, 'Still due');
    assert.equal(cents(due.split(' by ')[0]), price - paid, 'still due: the price less what was paid');
    const dueOn = new Date(due.split(' by ')[1]);
    assert.ok(dueOn.getTime() > Date.now(), `the balance is due ahead (${due})`);
    await card.getByRole('link', { name: 'Pay the balance' }).or(card.getByRole('button', { name: 'Pay the balance' })).first().waitFor();

    await page.goto(`/applications/${DEMO.completed}`);
    const done = page.getByRole('region', { name: 'Payment' });
    assert.equal(cents(await fact(done, 'Paid')), cents(await fact(done, 'Price')), 'the completed rotation is paid in full');
    assert.equal(await done.getByText('Pay the balance').count(), 0);
  } finally {
    await context.close();
  }
});

test('the host\'s earnings and staff\'s payouts agree on the month a demo rotation started', { timeout: 60_000 }, async () => {
  const host = await signedIn('host');
  const staff = await signedIn('staff');
  try {
    const h = host.page;
    await h.goto('/host/earnings');
    // The rotations started this month or the one before (the completed one a month earlier still).
    let month = null;
    for (let back = 0; back < 3 && month === null; back++) {
      if (await h.getByRole('cell', { name: /^Rotation started/ }).count() > 0) month = await h.getByLabel('Month', { exact: true }).inputValue();
      else await h.getByRole('link', { name: 'Previous month' }).click();
    }
    assert.ok(month, 'the host\'s earnings list a rotation that started, within three months back');
    const earned = await fact(h.locator('section.card'), 'Earned');
    assert.ok(cents(earned) > 0);
    const s = staff.page;
    await s.goto(`/staff/payouts?month=${month}`);
    const row = s.getByRole('row').filter({ hasText: 'Lakeside Community Hospital' });
    await row.waitFor();
    const shown = (await row.locator('td[data-label="Earned"]').innerText()).trim();
    assert.equal(shown, earned, `staff's payouts for ${month} show what the host earned`);
  } finally {
    await host.context.close();
    await staff.context.close();
  }
});

test('the demo school counts its students\' applications', { timeout: 60_000 }, async () => {
  const { context, page } = await signedIn('school');
  try {
    await page.goto('/school');
    const table = page.getByRole('region', { name: /Students/ }).getByRole('table');
    const amara = table.getByRole('row').filter({ hasText: 'Amara Okafor' });
    // Two from the seed (other test files may book her more on the same server).
    const booked = Number((await amara.locator('td[data-label="Booked or done"]').innerText()).trim());
    assert.ok(booked >= 2, `the demo student's completed and booked rotations are counted (${booked})`);
    const inProgress = await table.locator('td[data-label="Applications in progress"]').allInnerTexts();
    const total = inProgress.reduce((sum, t) => sum + Number(t.trim()), 0);
    assert.ok(total >= 4, `the cohort's applications in progress are counted (${total})`);
  } finally {
    await context.close();
  }
});

test('the student\'s applications are listed newest first, as their dates say', { timeout: 60_000 }, async () => {
  const { context, page } = await signedIn('student');
  try {
    await page.goto('/applications');
    const mine = page.getByRole('region', { name: 'My applications' });
    const links = await mine.locator('a[href^="/applications/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const booked = links.indexOf(`/applications/${DEMO.booked}`);
    const completed = links.indexOf(`/applications/${DEMO.completed}`);
    assert.ok(booked >= 0 && completed >= 0, `both demo rotations are listed (${links.join(', ')})`);
    assert.ok(booked < completed, 'the rotation booked a week ago is above the one completed ten days ago');
  } finally {
    await context.close();
  }
});

test('the school and the host see their signed agreement', { timeout: 60_000 }, async () => {
  for (const role of ['school', 'host']) {
    const { context, page } = await signedIn(role);
    try {
      await page.goto('/agreements');
      // The seed's agreement is the oldest between the two (agreements.test.mjs may propose more).
      const item = page.locator('li.card').filter({ hasText: 'Lakeside Community Hospital and St. Aurelia School of Medicine' }).last();
      await item.getByText('Active', { exact: true }).waitFor();
      await item.getByRole('link').click();
      await page.waitForURL((u) => /^\/agreements\/[^/]+$/.test(u.pathname));
      await page.getByText('Active', { exact: true }).first().waitFor();
      await page.getByRole('link', { name: 'Download the signed PDF' }).waitFor();
      await screenshot(page, `demo-${role}-agreement`);
    } finally {
      await context.close();
    }
  }
});

test('the letter asked after the completed rotation shows to the student and the preceptor', { timeout: 60_000 }, async () => {
  const student = await signedIn('student');
  const preceptor = await signedIn('preceptor');
  try {
    await student.page.goto('/letters');
    const row = student.page.getByRole('region', { name: 'Your letter requests' }).getByRole('row')
      .filter({ hasText: 'Dr. Daniel Whitfield' });
    await row.first().waitFor();
    await row.first().getByText('Accepted').first().waitFor();
    await row.first().getByText(/waived the right to see it/).waitFor();
    await screenshot(student.page, 'demo-student-letters');
    await preceptor.page.goto('/letters');
    const card = preceptor.page.locator('li.letter-card').filter({ hasText: 'Amara Okafor' });
    await card.first().waitFor();
    await card.first().getByText(/waived the right to see it/).waitFor();
    await screenshot(preceptor.page, 'demo-preceptor-letters');
  } finally {
    await student.context.close();
    await preceptor.context.close();
  }
});

test('the completed rotation shows the preceptor\'s evaluation', { timeout: 60_000 }, async () => {
  const { context, page } = await signedIn('student');
  try {
    await page.goto(`/applications/${DEMO.completed}`);
    await page.getByRole('link', { name: "The preceptor's evaluation" }).click();
    await page.waitForURL((u) => u.pathname === `/applications/${DEMO.completed}/evaluation`);
    const evaluation = page.getByRole('region', { name: 'Evaluation' });
    await evaluation.getByText(/By Dr\. Daniel Whitfield, submitted/).waitFor();
    await evaluation.getByRole('row', { name: /Overall clinical competence [1-9]/ }).waitFor();
    await screenshot(page, 'demo-student-evaluation');
  } finally {
    await context.close();
  }
});
