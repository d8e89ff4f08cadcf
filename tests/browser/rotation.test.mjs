// rotation.test.mjs — the rotation under way, in a real browser with
// JavaScript off, at 1280 px and at a phone's 390 px, against the demo data
// (`rounds seed --demo` puts rotation@rounds.test in the second week of a
// rotation with Dr. Daniel Whitfield, coached by coach@rounds.test, with a
// first week of hours — three days confirmed, two waiting — and its check-in):
//
//   the coach sees the student on /coach → the student opens "Your rotation"
//   (dates, preceptor, coach) → checks in with "I need help" (a missing score
//   first: the summary links to it and the text stays) → the coach finds the
//   ticket in the support queue and answers it in time (an empty reply
//   first) → the student reads the answer and resolves it → the student logs
//   today's hours ("7.3" first: refused, typed values kept) → the preceptor
//   confirms the waiting week → the readiness page counts it. Another student
//   and a school coordinator get 404 on every page of the rotation; a signed-out
//   visitor goes to the login page and back. axe-core runs on each page.
//
// Screenshots (SCREENSHOT_DIR): coach-dashboard(-390).png, rotation(-390).png,
// check-in-error.png, check-ins(-390).png, ticket-queue.png, ticket(-390).png,
// ticket-new-error-390.png, hours-error(-390).png, hours-confirmed.png,
// calendar-address-390.png, account-calendar-390.png (the secret calendar address
// made, read as iCalendar, replaced and turned off).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, apiExpect, apiLogin, checkAxe, fitsWindow, newContext, screenshot } from './lib.mjs';
import { demoApplications } from './demo_lib.mjs';

const APP = (await demoApplications()).rotation;
const STUDENT = 'Kwame Asante';
const COACH = 'Grace Mensah';
const PRECEPTOR = 'Dr. Daniel Whitfield';
const ROTATION = `/rotations/${APP}`;

async function press(page, button) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

// A signed-in browser (JavaScript off) at width px.
async function person(email, width = 1280) {
  const context = await newContext({ javaScriptEnabled: false, viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  assert.equal(await press(page, page.getByRole('button', { name: 'Log in', exact: true })), 303, `${email} logs in`);
  return { context, page };
}

// The page looked at: screenshot, axe-core, and (at 390 px) nothing wider than the window.
async function look(page, name) {
  await screenshot(page, name);
  await checkAxe(page, name);
  if (page.viewportSize().width < 400) await fitsWindow(page);
}

// Let the server judge the form: the browser's own checks (required, maxlength) off.
async function serverChecks(page) {
  await page.evaluate(() => { for (const f of document.forms) f.noValidate = true; });
}

// The error summary is there, has the focus, and links to the field.
async function summaryLinks(page, field) {
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary');
  assert.equal(await summary.locator(`a[href="#f-${field}"]`).count(), 1, `the summary links to #f-${field}`);
}

test('the rotation under way: coach, check-in, ticket, hours and readiness', { timeout: 600_000 }, async () => {
  const coach = await person('coach@rounds.test');
  const student = await person('rotation@rounds.test');
  const phone = await person('rotation@rounds.test', 390);
  const preceptor = await person('preceptor@rounds.test');
  const others = [await person('student@rounds.test'), await person('school@rounds.test')];
  try {
    // The coach's dashboard lists the student with a link to the rotation.
    const c = coach.page;
    await c.goto('/coach');
    const row = c.getByRole('row').filter({ hasText: STUDENT });
    await row.first().waitFor();
    assert.equal(await row.first().getByRole('link', { name: /./ }).first().getAttribute('href'), ROTATION);
    await look(c, 'coach-dashboard');
    // The dashboard counts the onboarding checklist as the rotation page does (it once said
    // "0 with documents not ready" beside a rotation page's "0 of 18 requirements met").
    const onboarding = (await row.first().locator('td[data-label="Onboarding requirements"]').innerText()).trim();
    const notMet = await c.getByRole('listitem').filter({ hasText: 'with onboarding requirements not met' }).innerText();
    await c.goto(ROTATION);
    const checklist = await c.getByRole('region', { name: 'Onboarding checklist' }).innerText();
    const m = checklist.match(/(\d+) of (\d+) requirements met|All (\d+) requirements met|asks for no documents/);
    assert.ok(m, `the rotation page's checklist: ${checklist}`);
    const expected = m[1] !== undefined ? `${m[1]} of ${m[2]} met` : m[3] !== undefined ? `All ${m[3]} met` : 'None asked';
    assert.equal(onboarding, expected, 'the dashboard and the rotation page give the same count');
    // A student short of requirements is in the summary's count (which also counts the coach's other
    // students: the demo's booked student a year ahead has not met hers yet, so it need not be 0).
    if (m[1] !== undefined) assert.match(notMet, /^[1-9]\d* with/);
    const coachPhone = await person('coach@rounds.test', 390);
    await coachPhone.page.goto('/coach');
    await look(coachPhone.page, 'coach-dashboard-390');
    await coachPhone.context.close();

    // "Your rotation": dates, preceptor, coach, links to check-ins and hours.
    const s = student.page;
    await s.goto(ROTATION);
    const facts = s.getByRole('region', { name: 'The rotation' });
    await facts.getByText(PRECEPTOR).waitFor();
    await facts.getByText(COACH).waitFor();
    await s.getByRole('link', { name: 'Weekly check-ins' }).waitFor();
    // Dates read as everywhere else ("Jan 1, 2027"), not 2027-01-01.
    const due = await s.getByRole('region', { name: 'What is due' }).innerText();
    assert.match(due, /Log each day of your rotation, until [A-Z][a-z]{2} \d{1,2}, \d{4}\./);
    assert.doesNotMatch(due, /\d{4}-\d{2}-\d{2}/);
    await look(s, 'rotation');
    await phone.page.goto(ROTATION);
    await look(phone.page, 'rotation-390');

    // Nobody else sees any page of it; a signed-out visitor is sent to log in and back.
    for (const o of others) {
      for (const path of [ROTATION, `${ROTATION}/hours`, `${ROTATION}/check-ins`]) {
        const res = await o.page.goto(path);
        assert.equal(res.status(), 404, `${path} is 404 for someone else`);
      }
    }
    const anonymous = await newContext({ javaScriptEnabled: false });
    const a = await anonymous.newPage();
    await a.goto(`${ROTATION}/check-ins`);
    assert.equal(new URL(a.url()).pathname, '/login');
    assert.equal(new URL(a.url()).searchParams.get('next'), `${ROTATION}/check-ins`);
    await a.getByLabel('Email').fill('rotation@rounds.test');
    await a.getByLabel('Password').fill(PASSWORD);
    await press(a, a.getByRole('button', { name: 'Log in', exact: true }));
    assert.equal(new URL(a.url()).pathname, `${ROTATION}/check-ins`, 'back where the link led after logging in');
    await anonymous.close();

    // The week's check-in: without a score it comes back with the summary, the text and the box kept.
    await s.getByRole('link', { name: 'Weekly check-ins' }).click();
    await s.waitForURL((u) => u.pathname === `${ROTATION}/check-ins`);
    const form = s.getByRole('region', { name: /Check in for the week of/ });
    const words = 'The preceptor was away three days; nobody told me where to go.';
    await form.getByLabel('What did you do this week? (optional)').fill(words);
    await form.getByLabel('I need help').check();
    await serverChecks(s);
    assert.equal(await press(s, form.getByRole('button', { name: 'Send the check-in' })), 400);
    await summaryLinks(s, 'score');
    assert.equal(await s.getByLabel('What did you do this week? (optional)').inputValue(), words);
    assert.ok(await s.getByLabel('I need help').isChecked(), 'the help box stays ticked');
    await look(s, 'check-in-error');
    await s.getByLabel('3 — all right').check();
    assert.equal(await press(s, s.getByRole('button', { name: 'Send the check-in' })), 303);
    await s.getByText('your coach has a ticket to answer you').waitFor();
    await s.getByText(words).waitFor();
    await look(s, 'check-ins');
    await phone.page.goto(`${ROTATION}/check-ins`);
    await look(phone.page, 'check-ins-390');
    await s.getByRole('link', { name: 'Open the ticket' }).click();
    await s.waitForURL((u) => /^\/tickets\/[^/]+$/.test(u.pathname));
    const ticketPath = new URL(s.url()).pathname;
    await s.getByText('asked for help').first().waitFor();

    // The coach: the ticket in the queue, first response not late; an empty reply is refused; then the answer.
    await c.goto('/tickets');
    const queued = c.getByRole('row').filter({ hasText: 'asked for help' });
    await queued.first().waitFor();
    assert.equal(await queued.first().getByText('Late').count(), 0, 'the first response is not late yet');
    await look(c, 'ticket-queue');
    await queued.first().getByRole('link').first().click();
    await c.waitForURL((u) => u.pathname === ticketPath);
    await serverChecks(c);
    assert.equal(await press(c, c.getByRole('button', { name: 'Send the reply' })), 400);
    await summaryLinks(c, 'body');
    const answer = 'I have called the host: report to Ward 5 at 7:30 tomorrow and ask for the charge nurse.';
    await c.getByLabel('Your reply').fill(answer);
    assert.equal(await press(c, c.getByRole('button', { name: 'Send the reply' })), 303);
    await c.getByText('Your reply is sent.').waitFor();
    const responded = c.getByRole('region', { name: 'The ticket' });
    await responded.getByText('(done').first().waitFor();
    assert.equal(await responded.getByText('Late').count(), 0, 'answered in time');

    // The student reads the answer and resolves the ticket.
    await s.goto(ticketPath);
    await s.getByText(answer).waitFor();
    await look(s, 'ticket');
    await phone.page.goto(ticketPath);
    await look(phone.page, 'ticket-390');
    assert.equal(await press(s, s.getByRole('button', { name: 'Mark as resolved' })), 303);
    await s.getByText('The ticket is resolved.').waitFor();

    // Opening a ticket on a phone: an empty subject comes back with the summary and the description kept.
    const p = phone.page;
    await p.goto(`/tickets/new?application_id=${APP}`);
    await p.getByLabel('Category').selectOption({ label: 'Schedule' });
    // Both empty: one submission names both, each linked to its field.
    await serverChecks(p);
    assert.equal(await press(p, p.getByRole('button', { name: 'Open the ticket' })), 400);
    assert.deepEqual(await p.locator('#error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      ['#f-subject', '#f-body'], 'every empty field is in the summary');
    assert.equal(await p.getByLabel('Category').inputValue(), 'schedule');
    await p.getByLabel('What happened, and what do you need?').fill('Can I move Friday to Saturday?');
    await serverChecks(p);
    assert.equal(await press(p, p.getByRole('button', { name: 'Open the ticket' })), 400);
    await summaryLinks(p, 'subject');
    assert.equal(await p.locator('#error-summary a').count(), 1, 'only the subject is left');
    assert.equal(await p.getByLabel('What happened, and what do you need?').inputValue(), 'Can I move Friday to Saturday?');
    assert.equal(await p.getByLabel('Category').inputValue(), 'schedule');
    assert.equal(await p.getByLabel('The rotation it is about (optional)').inputValue(), APP);
    // The student's own rotations are named by host and date, not by the student's own name.
    const about = await p.getByLabel('The rotation it is about (optional)').locator('option:checked').textContent();
    assert.match(about, /^.+, .+, [A-Z][a-z]{2} \d{1,2}, \d{4}$/, about);
    assert.ok(!about.includes(STUDENT), about);
    await look(p, 'ticket-new-error-390');

    // Hours: "7.3" is refused with the values kept; 7.5 is logged for today.
    const token = await apiLogin('rotation@rounds.test');
    const weeks = (w) => w.hands_on + w.observership + w.other;
    const before = (await apiExpect(200, 'GET', '/api/v1/me/readiness', { token })).usce_weeks;
    await s.goto(`${ROTATION}/hours`);
    const logForm = s.getByRole('region', { name: 'Log a day' });
    await logForm.getByLabel('Hours').fill('7.3');
    await logForm.getByLabel('What you did').fill('Ward round and two admissions.');
    await logForm.getByLabel('Patients seen').fill('-1');
    await serverChecks(s);
    assert.equal(await press(s, logForm.getByRole('button', { name: 'Log the day' })), 400);
    await summaryLinks(s, 'hours');
    assert.deepEqual(await s.locator('#error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      ['#f-hours', '#f-patients_seen'], 'both mistakes are in the summary');
    assert.equal(await s.getByLabel('Hours').inputValue(), '7.3');
    assert.equal(await s.getByLabel('Patients seen').inputValue(), '-1');
    await s.getByLabel('Patients seen').fill('4');
    assert.equal(await s.getByLabel('What you did').inputValue(), 'Ward round and two admissions.');
    await look(s, 'hours-error');
    await s.getByLabel('Hours').fill('7.5');
    assert.equal(await press(s, s.getByRole('button', { name: 'Log the day' })), 303);
    await s.getByText('The day is in your log.').waitFor();
    await phone.page.goto(`${ROTATION}/hours`);
    await look(phone.page, 'hours-390');

    // The preceptor confirms the first week's two waiting days.
    const pr = preceptor.page;
    await pr.goto(`${ROTATION}/hours`);
    await pr.getByRole('heading', { name: /^Week 1:/ }).waitFor();
    // The totals speak of the student's weeks to the preceptor, not of "your" weeks.
    await pr.getByText("Only confirmed hours count towards the student's weeks of U.S. clinical experience.").waitFor();
    assert.equal(await press(pr, pr.getByRole('button', { name: 'Confirm the 2 days waiting this week' })), 303);
    await pr.getByText("The week's days are confirmed.").waitFor();
    await look(pr, 'hours-confirmed');

    // Readiness counts the whole week now confirmed (the demo rotation is hands-on: the page's item).
    const after = (await apiExpect(200, 'GET', '/api/v1/me/readiness', { token })).usce_weeks;
    assert.equal(weeks(after), weeks(before) + 1, 'a whole week of confirmed hours is one more week');
    await s.goto('/readiness');
    const unit = after.target === 1 ? 'week' : 'weeks';
    assert.ok((await s.content()).includes(`${after.hands_on} of ${after.target} ${unit}`),
      `the readiness page shows ${after.hands_on} of ${after.target} ${unit}`);

  } finally {
    for (const x of [coach, student, phone, preceptor, ...others]) await x.context.close();
  }
});

test('the secret calendar address: made, read as iCalendar, replaced, turned off', { timeout: 300_000 }, async () => {
  const phone = await person('rotation@rounds.test', 390);
  const p = phone.page;
  try {
    // The calendar address: made on the account page (on a phone), read by any client, replaced, turned off.
    await p.goto('/account');
    const card = p.getByRole('region', { name: 'Your calendar' });
    assert.equal(await press(p, card.getByRole('button', { name: 'Get a calendar address' })), 200);
    const first = await p.locator('#calendar-url').getAttribute('href');
    assert.match(first, /\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    await look(p, 'calendar-address-390');
    const feedPath = (url) => new URL(url).pathname;
    let feed = await p.request.get(feedPath(first));
    assert.equal(feed.status(), 200);
    assert.match(feed.headers()['content-type'], /^text\/calendar/);
    const ics = await feed.text();
    assert.ok(ics.includes('BEGIN:VCALENDAR') && ics.includes(`UID:rotation-${APP}@rounds`), 'the feed has the rotation');
    await p.goto('/account');
    await look(p, 'account-calendar-390');
    assert.equal(await press(p, p.getByRole('region', { name: 'Your calendar' })
      .getByRole('button', { name: 'Get a new calendar address' })), 200);
    const second = await p.locator('#calendar-url').getAttribute('href');
    assert.notEqual(second, first);
    assert.equal((await p.request.get(feedPath(first))).status(), 404, 'the old address stops working');
    await p.goto('/account');
    assert.equal(await press(p, p.getByRole('region', { name: 'Your calendar' })
      .getByRole('button', { name: 'Turn the calendar address off' })), 200);
    await p.getByText('Your calendar address is turned off').waitFor();
    assert.equal((await p.request.get(feedPath(second))).status(), 404, 'a turned-off address is 404');
  } finally {
    await phone.context.close();
  }
});

// A booked rotation's coach line never says a coach comes "when the rotation is
// booked": it is booked; and "What is due" names the balance still to pay. The
// demo student's booked rotation (paid in part), whoever coaches it.
test('a booked rotation does not promise a coach "when it is booked"', { timeout: 120_000 }, async () => {
  // The demo's own booked rotation (deposit paid, balance due later): other tests book more, paid in full.
  const booked = { id: (await demoApplications()).booked };
  for (const width of [1280, 360]) {
    const s = await person('student@rounds.test', width);
    try {
      assert.equal((await s.page.goto(`/rotations/${booked.id}`)).status(), 200);
      const facts = s.page.getByRole('region', { name: 'The rotation' });
      const coach = (await facts.locator('dt', { hasText: 'Your coach' }).locator('xpath=following-sibling::dd[1]')
        .textContent()).trim();
      assert.doesNotMatch(coach, /when the rotation is booked/, coach);
      assert.match(coach, /Grace Mensah/, 'booking gave the demo student the demo coach');
      assert.match(await facts.innerText(), /Booked/);
      // "What is due" names the balance the payment card shows as still due, with the way to pay it.
      await s.page.goto(`/applications/${booked.id}`);
      const stillDue = await s.page.getByRole('region', { name: 'Payment' }).getByText('Still due', { exact: true })
        .locator('xpath=following-sibling::dd[1]').textContent();
      const [, amount, by] = stillDue.trim().match(/^(\$[\d,.]+) by (.+)$/);
      await s.page.goto(`/rotations/${booked.id}`);
      const due = s.page.getByRole('region', { name: 'What is due' });
      await due.getByText(`The balance of ${amount} is due by ${by}.`).waitFor();
      assert.equal(await due.getByRole('link', { name: 'Pay the balance' }).getAttribute('href'),
        `/applications/${booked.id}/checkout`);
      await look(s.page, `rotation-booked-${width}`);
    } finally {
      await s.context.close();
    }
  }
});
