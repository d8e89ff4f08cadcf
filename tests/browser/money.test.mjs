// money.test.mjs — the money journey in a real browser with JavaScript
// disabled, against the demo data run.sh seeds (`rounds seed --demo`, which
// leaves the server with the demo payment provider):
//
//   a new student registers and sets a profile → the offering page shows the
//   price and the refund policy as a table of dates and amounts → applies for
//   a start date more than two months away → the host coordinator offers a
//   seat → the student accepts (the seat is held) → "Pay to book" shows what
//   is due, the refund tables and the methods → pays the deposit with the demo
//   provider → "Booked", with "If you cancel today: $X back" → "Cancel my
//   booking…" shows the refund to the cent before confirming → cancelled →
//   /payments lists the payment (with its receipt) and the refund sent back.
//   Staff see the payments and payouts pages, the host its earnings.
//
// Every money page is also laid out at 1280 and 390 px wide: nothing is wider
// than the window and no table scrolls sideways (on a phone the tables stack
// into labelled rows). Screenshots, each as NAME-1280.png and NAME-390.png:
// offering-refunds, checkout, booked-money, cancel-refund, payments, receipt,
// staff-payments, staff-payouts, host-earnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confirmEmail, newContext, screenshot } from './lib.mjs';
import { demoApplications } from './demo_lib.mjs';

const PASSWORD = 'rounds-demo-2026';
const NEW_PASSWORD = 'Saffron-Harbor-Lantern-83';
const HOST_NAME = 'Lakeside Community Hospital';

const pathOf = (page) => new URL(page.url()).pathname;

async function press(page, button, landing) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  if (landing) await page.waitForURL(landing);
  await page.waitForLoadState('load');
  return status;
}

async function person(email) {
  const context = await newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  assert.equal(await press(page, page.getByRole('button', { name: 'Log in', exact: true }),
    (u) => u.pathname === '/account'), 303, `log in as ${email}`);
  return { context, page };
}

async function newStudent() {
  const context = await newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const email = `money-${process.pid}-${Date.now()}@example.test`;
  await page.goto('/register');
  await page.getByLabel(/name/i).first().fill('Nadia Haddad');
  await page.getByLabel(/e-?mail/i).first().fill(email);
  await page.getByLabel(/password/i).first().fill(NEW_PASSWORD);
  assert.equal(await press(page, page.getByRole('button', { name: 'Create account' }),
    (u) => u.pathname === '/account'), 303, 'register');
  await confirmEmail(email);
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Graduate' });
  await page.getByLabel('Graduation year').fill('2023');
  await page.getByLabel('Visa', { exact: true }).selectOption({ label: 'B-1/B-2 visitor' });
  await page.getByLabel('USMLE Step 1').selectOption({ label: 'Passed' });
  await page.getByLabel('English proficiency').selectOption({ label: 'OET Medicine' });
  await press(page, page.getByRole('button', { name: 'Save profile' }));
  await page.getByText('Profile saved.').waitFor();
  return { context, page };
}

// The page at 1280 and 390 px: nothing sticks out of the window, no table
// needs scrolling sideways, the named part is still shown; a screenshot of
// each. Leaves the page at 1280 px.
async function atBothWidths(page, name, shown) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const wide = await page.evaluate(() => {
      const limit = document.documentElement.clientWidth;
      const out = [];
      if (document.documentElement.scrollWidth > limit) out.push(`the page is ${document.documentElement.scrollWidth}px`);
      for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= 0 || el.closest('.visually-hidden')) continue; // hidden on purpose (skip link)
        if (box.right > limit + 0.5 || box.left < -0.5) out.push(`${el.tagName.toLowerCase()}.${el.className} spans ${Math.round(box.left)}–${Math.round(box.right)}px`);
        if (el.classList.contains('table-wrap') && el.scrollWidth > el.clientWidth) out.push(`a table scrolls sideways (${el.scrollWidth}px)`);
      }
      return out.slice(0, 5);
    });
    assert.deepEqual(wide, [], `${name} at ${width}px: ${wide.join('; ')}`);
    if (shown) assert.ok(await shown.isVisible(), `${name} at ${width}px shows what it should`);
    await screenshot(page, `${name}-${width}.png`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const shownStatus = async (page) => (await page.locator('.current-status .status').textContent()).trim();

// A paid Lakeside rotation with a start date more than 60 days away that the
// student may apply for: { url, radio } (the radio of that start date).
async function findPaidRotation(page) {
  await page.goto('/search?q=Lakeside&eligible=me');
  const links = [];
  for (const card of await page.locator('article.result')
    .filter({ has: page.locator('.host', { hasText: HOST_NAME }) }).all()) {
    links.push(await card.getByRole('heading').getByRole('link').getAttribute('href'));
  }
  const soon = Date.now() + 62 * 86400 * 1000;
  for (const url of links) {
    await page.goto(url);
    const total = page.locator('#price .total dd');
    if (await total.count() === 0 || !/\$[1-9]/.test(await total.textContent())) continue;
    // The test pays a deposit first: offerings other tests add for this host may have none.
    if (await page.locator('#price').getByText('Pay a deposit of').count() === 0) continue;
    const apply = page.getByRole('region', { name: 'Apply for this rotation' });
    if (await apply.getByText('does not meet').count() > 0) continue;
    for (const radio of await apply.getByRole('radio').all()) {
      const start = Date.parse(await radio.getAttribute('data-start') ?? '');
      const label = await radio.evaluate((el) => el.closest('label')?.textContent ?? '');
      const when = Number.isNaN(start) ? Date.parse(label.replace(/\(.*$/, '').split(' to ')[0]) : start;
      if (!Number.isNaN(when) && when > soon) return { url, radio };
    }
  }
  assert.fail('no paid Lakeside rotation with a start date two months away is open to a new student');
}

test('apply → offer → accept → pay (demo) → booked → cancel with the refund shown → the refund on the statement',
  { timeout: 240_000 }, async () => {
    const student = await newStudent();
    const host = await person('host@rounds.test');
    const staff = await person('staff@rounds.test');
    try {
      const s = student.page;
      const { url, radio } = await findPaidRotation(s);
      // The offering page: the price and the refund policy as dates and amounts.
      const refunds = s.getByRole('region', { name: 'Refunds if you cancel' });
      await refunds.getByRole('table').first().waitFor();
      await refunds.getByRole('columnheader', { name: 'You get back' }).first().waitFor();
      await atBothWidths(s, 'offering-refunds', refunds.getByRole('table').first());

      await radio.check();
      const apply = s.getByRole('region', { name: 'Apply for this rotation' });
      assert.equal(await press(s, apply.getByRole('button', { name: 'Apply', exact: true }),
        (u) => /^\/applications\/[^/]+$/.test(u.pathname)), 303, 'apply');
      const applicationPath = pathOf(s);
      assert.equal(await shownStatus(s), 'Submitted');
      // Before a seat is held, the page says what booking will take.
      await s.getByRole('region', { name: 'Payment' }).getByText('To book', { exact: true }).waitFor();

      assert.match(await s.getByRole('region', { name: 'Payment' }).innerText(), /once you accept an offer/);

      // The host offers a seat (the card speaks of the student to the host, not to "you").
      const h = host.page;
      await h.goto(applicationPath);
      assert.match(await h.getByRole('region', { name: 'Payment' }).innerText(), /once the student accepts an offer/);
      assert.equal(await press(h, h.getByRole('region', { name: 'What you can do now' })
        .getByRole('button', { name: 'Offer a seat' }), (u) => u.pathname === applicationPath), 303, 'offer');

      // The student accepts, then pays the deposit with the demo provider.
      await s.goto(applicationPath);
      assert.equal(await press(s, s.getByRole('button', { name: 'Accept the offer' }),
        (u) => u.pathname === applicationPath), 303, 'accept');
      assert.equal(await shownStatus(s), 'Seat held');
      await Promise.all([
        s.waitForURL((u) => u.pathname === `${applicationPath}/checkout`),
        s.getByRole('link', { name: 'Pay to book' }).click(),
      ]);
      await s.getByRole('heading', { name: /^Pay for / }).waitFor();
      await s.getByRole('table', { name: 'Having paid the deposit' }).waitFor();
      await s.getByRole('table', { name: 'Having paid the full price' }).waitFor();
      const deposit = s.getByRole('group', { name: 'What to pay' }).getByRole('radio').first();
      await deposit.check();
      await s.getByRole('group', { name: 'How to pay' }).getByRole('radio', { name: /Demo payment/ }).check();
      await atBothWidths(s, 'checkout', s.getByRole('table', { name: 'Having paid the deposit' }));
      assert.equal(await press(s, s.getByRole('button', { name: 'Continue to payment' }),
        (u) => u.pathname === applicationPath), 303, 'pay');
      assert.equal(await shownStatus(s), 'Booked');
      // Booked, the host sees what the checklist asks for: the page does not say "no documents shared".
      const shared = (await s.getByRole('region', { name: 'Documents you shared' }).innerText()).replace(/\s+/g, ' ');
      assert.match(shared, /You attached no other documents\. The host sees the ones your onboarding checklist asks for\./);
      const money = s.getByRole('region', { name: 'Payment' });
      const ifCancel = (await money.locator('.if-cancel').textContent()).trim();
      const back = ifCancel.match(/If you cancel today: (\$[\d,]+(?:\.\d\d)?|nothing) back/);
      assert.ok(back, `the application page says what a cancellation gives back today: "${ifCancel}"`);
      assert.notEqual(back[1], 'nothing', 'two months ahead the demo policies give something back');
      await atBothWidths(s, 'booked-money', money.locator('.if-cancel'));
      // The list of applications says the balance is still due, and by when, as this page does.
      const due = (await money.getByText('Still due', { exact: true }).locator('xpath=following-sibling::dd[1]')
        .textContent()).trim().match(/^(\$[\d,.]+) by (.+)$/);
      assert.ok(due, 'the deposit leaves a balance with its date');
      await s.goto('/applications');
      const listed = s.getByRole('table', { name: 'Your applications, newest first' }).getByRole('row')
        .filter({ has: s.locator(`a[href="${applicationPath}"]`) });
      assert.equal((await listed.locator('td[data-label="Deadline"]').textContent()).trim(),
        `Pay the balance (${due[1]}) by ${due[2]}`);
      await s.goto(applicationPath);
      // The host reads the same refund about the student, not about "you".
      await h.goto(applicationPath);
      assert.equal((await h.getByRole('region', { name: 'Payment' }).locator('.if-cancel').textContent()).trim(),
        ifCancel.replace('If you cancel', 'If the student cancels'));
      // Staff's goodwill refund and the cancellation each have their own "reason", each labelled.
      const f0 = staff.page;
      await f0.goto(applicationPath);
      await f0.getByText('Goodwill refund (staff)').click();
      await f0.getByRole('region', { name: 'Payment' }).getByLabel('Reason', { exact: true }).fill('kept');
      await f0.getByLabel('If you cancel: why (for the refund)').waitFor();
      assert.equal(await f0.locator('[id="f-reason"]').count() + await f0.locator('[id="f-refund-reason"]').count(), 2,
        'no id is used twice');

      // Cancel: the refund is shown to the cent before confirming.
      await Promise.all([
        s.waitForURL((u) => u.pathname === `${applicationPath}/cancel`),
        s.getByRole('link', { name: 'Cancel my booking…' }).click(),
      ]);
      await s.locator('.refund-today').getByText(`If you cancel today, you get ${back[1]} back`).waitFor();
      await atBothWidths(s, 'cancel-refund', s.locator('.refund-today'));
      assert.equal(await press(s, s.getByRole('button', { name: `Cancel my booking and get ${back[1]} back` }),
        (u) => u.pathname === applicationPath), 303, 'cancel');
      assert.equal(await shownStatus(s), 'Cancelled by the student');

      // The statement: the payment with its receipt, and the refund sent back.
      await s.goto('/payments');
      const statement = s.locator('section.statement').filter({ has: s.locator(`a[href="${applicationPath}"]`) });
      await statement.getByRole('table', { name: 'Payments' }).getByRole('link', { name: 'Receipt' }).waitFor();
      const refundRow = statement.getByRole('table', { name: 'Refunds' }).getByRole('row')
        .filter({ hasText: back[1] });
      await refundRow.getByText('Sent back').waitFor();
      await atBothWidths(s, 'payments', refundRow);
      await Promise.all([
        s.waitForURL((u) => /^\/payments\/[^/]+\/receipt$/.test(u.pathname)),
        statement.getByRole('link', { name: 'Receipt' }).first().click(),
      ]);
      await s.getByRole('heading', { name: 'Receipt' }).waitFor();
      await atBothWidths(s, 'receipt', s.getByRole('heading', { name: 'Receipt' }));
      // Someone else's receipt is not there for them.
      const receiptPath = pathOf(s);
      assert.equal((await h.goto(receiptPath)).status(), 404, 'the host cannot open the student\'s receipt');

      // Staff: the payments and payouts pages; the host: its earnings.
      const f = staff.page;
      assert.equal((await f.goto('/staff/payments')).status(), 200);
      await f.getByRole('heading', { name: 'Record a bank transfer' }).waitFor();
      await atBothWidths(f, 'staff-payments', f.getByRole('heading', { name: 'Record a bank transfer' }));
      assert.equal((await f.goto('/staff/payouts')).status(), 200);
      await f.getByRole('heading', { name: 'Host payouts' }).waitFor();
      await atBothWidths(f, 'staff-payouts', f.getByRole('heading', { name: 'Host payouts' }));
      // Last month named in words, as the pages write dates (the demo host earned in it).
      const payoutsFor = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1))
        .toLocaleString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
      assert.equal((await f.locator('table caption').textContent()).trim(), `What each host is owed for ${payoutsFor}`);
      assert.equal((await s.goto('/staff/payouts')).status(), 404, 'a student gets 404 for the payouts page');
      assert.equal((await h.goto('/host/earnings')).status(), 200);
      await h.getByRole('heading', { name: 'Earnings' }).waitFor();
      await atBothWidths(h, 'host-earnings', h.getByRole('heading', { name: 'Earnings' }));
      const thisMonth = new Date().toLocaleString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
      await h.getByRole('heading', { name: thisMonth, exact: true }).waitFor();
    } finally {
      for (const p of [student, host, staff]) await p.context.close();
    }
  });

// A rotation that is over does not ask to "book … once you accept an offer":
// the demo's completed rotation (its seat taken without recorded terms) shows
// its price and no step that lies behind it.
test('a completed rotation\'s page asks for nothing that lies behind it', { timeout: 60_000 }, async () => {
  const context = await newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill('student@rounds.test');
    await page.getByLabel('Password').fill('rounds-demo-2026');
    await press(page, page.getByRole('button', { name: 'Log in', exact: true }), (u) => u.pathname !== '/login');
    await page.goto(`/applications/${(await demoApplications()).completed}`);
    const card = page.getByRole('region', { name: 'Payment' });
    await card.getByText('Price', { exact: true }).waitFor();
    assert.doesNotMatch(await card.innerText(), /once you accept an offer/);
    // Nor a checklist that "opens" later: it is over.
    const shared = await page.getByRole('region', { name: 'Documents you shared' }).innerText();
    assert.doesNotMatch(shared, /once it opens/);
  } finally {
    await context.close();
  }
});
