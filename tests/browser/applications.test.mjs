// applications.test.mjs — the application journey in a real browser with
// JavaScript disabled, three people in three browser contexts, against the
// demo data that run.sh seeds (`rounds seed --demo`):
//
//   the student (student@rounds.test) sets a profile on /account (graduate,
//   Step 1 passed, B-1/B-2 visa, OET, graduated 2023) → finds a Lakeside
//   Community Hospital observership or research rotation they are eligible
//   for → applies for a start date → "Submitted" on /applications; applying
//   again for the same date is refused with the reason on the page (422) →
//   the host coordinator (host@rounds.test) finds it under "Applications to
//   review", opens it and offers a seat with a note → the student sees the
//   offer in the navigation's "Notifications (N)", marks it read, follows it
//   and accepts → "Seat held" → staff (staff@rounds.test) find it among all
//   applications and book it → the student and the host both see "Booked",
//   and the history lists every step with its note. A school coordinator
//   gets a 404 for it (the demo preceptor too, unless the rotation is theirs),
//   and the host cannot accept for the student (409).
//
// Everything is driven through roles and labels. Screenshots (in
// SCREENSHOT_DIR): my-applications.png, review.png, application-booked.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newContext, screenshot } from './lib.mjs';

const PASSWORD = 'rounds-demo-2026';
const HOST_NAME = 'Lakeside Community Hospital';
const STUDENT_NAME = 'Amara Okafor';
const STATEMENT = 'I am a 2023 graduate preparing for the Match and would value U.S. clinical experience.';
const OFFER_NOTE = 'Welcome! Bring your passport on the first day.';
const PRECEPTOR_NAME = 'Dr. Daniel Whitfield'; // preceptor@rounds.test

const pathOf = (page) => new URL(page.url()).pathname;

// Clicks a button and waits for the POST it sends and the page it lands on.
// Returns the POST's status (303 for a redirect, else the page's own status).
async function press(page, button, landing) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  if (landing) await page.waitForURL(landing);
  await page.waitForLoadState('load');
  return status;
}

async function logIn(page, email) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  const status = await press(page, page.getByRole('button', { name: 'Log in', exact: true }),
    (u) => u.pathname === '/account');
  assert.equal(status, 303, `log in as ${email}`);
}

// A signed-in person in their own browser context.
async function person(email) {
  const context = await newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await logIn(page, email);
  return { context, page };
}

// The status shown in the application page's header ("Status: Submitted").
async function shownStatus(page) {
  return (await page.locator('.current-status .status').textContent()).trim();
}

// The row of a table whose text includes every one of texts.
function row(scope, ...texts) {
  let loc = scope.getByRole('row');
  for (const t of texts) loc = loc.filter({ hasText: t });
  return loc;
}

// Profile that the demo's observerships and research rotations accept.
async function setProfile(page) {
  await page.goto('/account');
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Graduate' });
  await page.getByLabel('Graduation year').fill('2023');
  await page.getByLabel('Visa', { exact: true }).selectOption({ label: 'B-1/B-2 visitor' });
  await page.getByLabel('USMLE Step 1').selectOption({ label: 'Passed' });
  await page.getByLabel('English proficiency').selectOption({ label: 'OET Medicine' });
  await press(page, page.getByRole('button', { name: 'Save profile' }));
  await page.getByText('Profile saved.').waitFor();
}

// A Lakeside observership or research rotation whose page offers the student
// an open start date and no eligibility warning: { url, title }.
async function findRotation(page) {
  const res = await page.goto('/search?q=Lakeside&eligible=me');
  assert.equal(res.status(), 200, 'GET /search?q=Lakeside&eligible=me');
  const cards = page.locator('article.result')
    .filter({ has: page.locator('.host', { hasText: HOST_NAME }) });
  const candidates = [];
  for (const card of await cards.all()) {
    const kind = await card.getAttribute('data-kind');
    const link = card.getByRole('heading').getByRole('link');
    const entry = { url: await link.getAttribute('href'), title: (await link.textContent()).trim() };
    if (kind === 'observership' || kind === 'research') candidates.unshift(entry);
    else candidates.push(entry);
  }
  assert.ok(candidates.length > 0, `no ${HOST_NAME} rotation on /search?q=Lakeside — is the demo seeded?`);
  for (const c of candidates) {
    await page.goto(c.url);
    const apply = page.getByRole('region', { name: 'Apply for this rotation' });
    if (await apply.getByRole('radio').count() === 0) continue;
    if (await apply.getByText('does not meet').count() > 0) continue;
    const precepts = page.getByRole('region', { name: 'Your preceptor' }).getByText(PRECEPTOR_NAME);
    return { ...c, byDemoPreceptor: await precepts.count() > 0 };
  }
  assert.fail(`none of the ${candidates.length} ${HOST_NAME} rotations is open to the demo student`);
}

test('apply → offer → accept → book, seen by student, host and staff', { timeout: 180_000 }, async () => {
  const student = await person('student@rounds.test');
  const host = await person('host@rounds.test');
  const staff = await person('staff@rounds.test');
  const preceptor = await person('preceptor@rounds.test');
  const outsider = await person('school@rounds.test');
  try {
    const s = student.page;

    // The student: profile, a rotation, an application.
    await setProfile(s);
    const rotation = await findRotation(s);
    const apply = s.getByRole('region', { name: 'Apply for this rotation' });
    const choice = apply.locator('label').filter({ has: s.getByRole('radio') }).first();
    const dateLabel = (await choice.textContent()).trim();
    await choice.getByRole('radio').check();
    await apply.getByLabel('Your statement (optional)').fill(STATEMENT);
    const applied = await press(s, apply.getByRole('button', { name: 'Apply', exact: true }),
      (u) => /^\/applications\/[^/]+$/.test(u.pathname));
    assert.equal(applied, 303, 'POST /offerings/{id}/apply answers 303 to the application');
    const applicationPath = pathOf(s);
    assert.equal(await shownStatus(s), 'Submitted');
    await s.getByText(STATEMENT).waitFor();
    await s.getByRole('status').filter({ hasText: 'sent to the host' }).waitFor();

    // Applying again for the same date is refused, with the reason and the form kept.
    await s.goto(rotation.url);
    const again = s.getByRole('region', { name: 'Apply for this rotation' });
    await again.getByRole('link', { name: 'View your application' }).first().waitFor();
    await again.locator('label').filter({ hasText: dateLabel.split(' (')[0] }).getByRole('radio').check();
    const refused = await press(s, again.getByRole('button', { name: 'Apply', exact: true }));
    assert.equal(refused, 422, 'a second application for the same date is refused with 422');
    await s.getByRole('alert').filter({ hasText: 'already applied for this start date' }).waitFor();

    // "My applications" lists it as Submitted, with the host and the next step.
    await s.goto('/applications');
    const mine = s.getByRole('region', { name: 'My applications' });
    const myRow = row(mine, rotation.title, HOST_NAME);
    await myRow.first().waitFor();
    assert.equal((await myRow.first().locator('.status').textContent()).trim(), 'Submitted');
    await myRow.first().getByText("Wait for the host's decision.").waitFor();
    await screenshot(s, 'my-applications.png');

    // Someone with no part in it (a school coordinator) gets a 404; the demo
    // preceptor sees it only when the rotation is theirs.
    const hidden = await outsider.page.goto(applicationPath);
    assert.equal(hidden.status(), 404, 'a school coordinator gets 404 for the application');
    await outsider.page.getByRole('heading', { name: 'Not found' }).waitFor();
    const precepting = await preceptor.page.goto(applicationPath);
    assert.equal(precepting.status(), rotation.byDemoPreceptor ? 200 : 404,
      `${PRECEPTOR_NAME} sees the application only if the rotation is theirs`);

    // The host coordinator: "Applications to review", filtered to this rotation.
    const h = host.page;
    await h.goto('/applications');
    const review = h.getByRole('region', { name: 'Applications to review' });
    await review.getByRole('table').waitFor();
    const filters = h.getByRole('search', { name: 'Filter applications' });
    await filters.getByLabel('Offering').selectOption({ label: rotation.title });
    await filters.getByLabel('Status').selectOption({ label: 'Submitted' });
    await Promise.all([
      h.waitForURL((u) => u.pathname === '/applications' && u.searchParams.get('status') === 'submitted'),
      filters.getByRole('button', { name: 'Filter' }).click(),
    ]);
    const reviewRow = row(h.getByRole('region', { name: 'Applications to review' }), STUDENT_NAME, rotation.title);
    assert.equal(await reviewRow.count(), 1, 'the application is listed once under "Applications to review"');
    assert.equal((await reviewRow.locator('.status').textContent()).trim(), 'Submitted');
    await screenshot(h, 'review.png');
    await Promise.all([
      h.waitForURL((u) => u.pathname === applicationPath),
      reviewRow.getByRole('link', { name: STUDENT_NAME }).click(),
    ]);
    await h.getByText(STATEMENT).waitFor();
    const hostActions = h.getByRole('region', { name: 'What you can do now' });
    assert.equal(await hostActions.getByRole('button', { name: 'Accept the offer' }).count(), 0,
      'the host has no "Accept the offer" button');
    await hostActions.getByLabel('Note (optional)').fill(OFFER_NOTE);
    assert.equal(await press(h, hostActions.getByRole('button', { name: 'Offer a seat' }),
      (u) => u.pathname === applicationPath), 303, 'POST offer answers 303');
    assert.equal(await shownStatus(h), 'Offer made');
    await h.getByRole('status').filter({ hasText: 'A seat has been offered' }).waitFor();

    // The host cannot accept on the student's behalf: 409 with the reason on the page.
    const sneaky = await h.request.post(`${applicationPath}/accept`, {
      form: { csrf_token: await h.locator('input[name=csrf_token]').first().inputValue(), note: '' },
      maxRedirects: 0,
    });
    assert.equal(sneaky.status(), 409, 'the host accepting for the student is refused with 409');
    assert.match(await sneaky.text(), /is not possible now/);

    // The student: the offer arrives as a notification, with a deadline.
    await s.goto('/applications');
    const notificationsLink = s.getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Notifications \(\d+\)$/ });
    await notificationsLink.waitFor();
    await Promise.all([s.waitForURL((u) => u.pathname === '/notifications'), notificationsLink.click()]);
    const offerNotice = s.locator('li.notification.unread')
      .filter({ hasText: `Offer for ${rotation.title}` });
    assert.equal(await offerNotice.count(), 1, 'one unread notification of the offer');
    await offerNotice.getByText('Unread').waitFor();
    assert.equal(await press(s, offerNotice.getByRole('button', { name: /^Mark read/ }),
      (u) => u.pathname === '/notifications'), 303, 'POST /notifications/{id}/read answers 303');
    const readNotice = s.locator('li.notification').filter({ hasText: `Offer for ${rotation.title}` });
    assert.equal(await readNotice.getByText('Unread').count(), 0, 'the notification is now read');
    await Promise.all([
      s.waitForURL((u) => u.pathname === applicationPath),
      readNotice.getByRole('link', { name: new RegExp(`^Offer for `) }).click(),
    ]);
    assert.equal(await shownStatus(s), 'Offer made');
    await s.getByText('Offer expires', { exact: true }).waitFor();
    await s.getByRole('cell', { name: OFFER_NOTE }).waitFor();
    const studentActions = s.getByRole('region', { name: 'What you can do now' });
    assert.equal(await press(s, studentActions.getByRole('button', { name: 'Accept the offer' }),
      (u) => u.pathname === applicationPath), 303, 'POST accept answers 303');
    assert.equal(await shownStatus(s), 'Seat held');
    await s.getByText('Hold expires', { exact: true }).waitFor();

    // Staff: every application, filtered by status; book it.
    const f = staff.page;
    await f.goto('/applications?status=held');
    const all = f.getByRole('region', { name: 'All applications' });
    const heldRow = row(all, STUDENT_NAME, rotation.title);
    await heldRow.first().waitFor();
    await Promise.all([
      f.waitForURL((u) => u.pathname === applicationPath),
      heldRow.first().getByRole('link', { name: STUDENT_NAME }).click(),
    ]);
    assert.equal(await shownStatus(f), 'Seat held');
    assert.equal(await press(f, f.getByRole('button', { name: 'Record the payment and book' }),
      (u) => u.pathname === applicationPath), 303, 'POST book answers 303');
    assert.equal(await shownStatus(f), 'Booked');

    // Both the student and the host see it booked.
    await s.goto('/applications');
    const bookedRow = row(s.getByRole('region', { name: 'My applications' }), rotation.title);
    assert.equal((await bookedRow.first().locator('.status').textContent()).trim(), 'Booked');
    await h.goto(applicationPath);
    assert.equal(await shownStatus(h), 'Booked');
    const history = h.getByRole('region', { name: 'History' });
    for (const what of ['Applied', 'Offered a seat', 'Accepted the offer', 'Booked the seat']) {
      await history.getByRole('cell', { name: what, exact: true }).waitFor();
    }
    await s.goto(applicationPath);
    assert.equal(await shownStatus(s), 'Booked');
    await screenshot(s, 'application-booked.png');
  } finally {
    for (const p of [student, host, staff, preceptor, outsider]) await p.context.close();
  }
});
