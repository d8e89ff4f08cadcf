// schools.test.mjs — the cohort journey in a real browser with JavaScript
// disabled, against the demo data (`rounds seed --demo`):
//
//   the school coordinator (school@rounds.test) invites two new students by
//   uploading a CSV on /school (one bad line is reported by its number, the
//   good lines are kept; a file of which no line is good is refused with
//   every line at the error summary; an address whose account has not
//   confirmed it is reported "held", listed as waiting on the dashboard, and
//   emailed its invitation once the student confirms the address) → each
//   student follows the link in the email
//   (MAIL_DIR), creates an account, comes back to the link and joins →
//   /me/schools shows the school as Linked → the coordinator starts a round,
//   reserves one seat in each of three blocks and opens it → each student
//   ranks on the keyboard-friendly ranking page (number boxes, then "Move
//   up") and saves → the coordinator runs the match (verified, the fill
//   picture) and publishes → a student finds the offer on /applications, and
//   their result and its explanation on the round's page → the coordinator
//   opens that student's page on a phone.
//
// Screenshots (in SCREENSHOT_DIR): school-dashboard.png, school-invite-refused.png,
// school-invite-held.png, round-ranking.png
// (at 360 px), round-results.png, round-student-result.png, school-student-360.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { api, checkAxe, fitsWindow, newContext, screenshot } from './lib.mjs';

const DEMO_PASSWORD = 'rounds-demo-2026';
const PASSWORD = 'Willow-Harbor-Lantern-84';
const MAIL_DIR = process.env.MAIL_DIR;
const STAMP = `${process.pid}-${Date.now()}`;
const STUDENTS = [
  { name: 'Nadia Haddad', email: `nadia-${STAMP}@example.test` },
  { name: 'Pavel Ivanov', email: `pavel-${STAMP}@example.test` },
];

async function logIn(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

// The first link under `prefix` ("/invitations/schools/") mailed to `to` (the
// jobs thread writes the outbox to MAIL_DIR/new), as a path.
async function mailedLink(to, prefix) {
  const dir = path.join(MAIL_DIR, 'new');
  const deadline = Date.now() + 20_000;
  const pattern = new RegExp(`https?://[^\\s]+${prefix.replace(/\//g, '\\/')}[A-Za-z0-9_-]+`);
  while (Date.now() < deadline) {
    for (const name of await readdir(dir).catch(() => [])) {
      const mail = await readFile(path.join(dir, name), 'utf8').catch(() => '');
      if (!mail.includes(`To: ${to}`) && !mail.includes(`<${to}>`)) continue;
      const m = mail.match(pattern);
      if (m) return new URL(m[0]).pathname;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`no mail with a ${prefix} link to ${to} in ${dir} within 20 s`);
}

// The school invitation link mailed to `to`.
function invitationLink(to) {
  return mailedLink(to, '/invitations/schools/');
}

function isoDate(daysFromNow) {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

test('invite a cohort by CSV → students join and rank → the school runs and publishes → an offer',
  { timeout: 240_000 }, async () => {
    assert.ok(MAIL_DIR, 'MAIL_DIR is set (tests/browser/run.sh exports the server\'s maildir)');
    const coordinatorContext = await newContext({ javaScriptEnabled: false });
    const studentContexts = [];
    try {
      const c = await coordinatorContext.newPage();
      await logIn(c, 'school@rounds.test', DEMO_PASSWORD);

      // Invite by CSV: two good lines, one bad.
      await c.goto('/school');
      const csv = 'name,email,graduation_year\n' +
        STUDENTS.map((s) => `${s.name},${s.email},2027`).join('\n') + '\nNo Address,,2027\n';
      const invite = c.getByRole('region', { name: 'Invite a cohort' });
      await invite.getByLabel('CSV file').setInputFiles({ name: 'cohort.csv', mimeType: 'text/csv',
        buffer: Buffer.from(csv) });
      await invite.getByRole('button', { name: 'Send the invitations' }).click();
      const report = c.getByRole('region', { name: 'Invitations sent' });
      await report.getByText('2 of 3 students invited, 1 line refused.').waitFor();
      await report.getByText('Line 4: the email is empty').waitFor();
      await screenshot(c, 'school-dashboard.png');

      // A file of which no line can be used: 422, nobody invited, every line at the error summary.
      const uploadAs = async (name, text) => {
        const form = c.getByRole('region', { name: 'Invite a cohort' });
        await form.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
        const [response] = await Promise.all([
          c.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/school/invitations'),
          form.getByRole('button', { name: 'Send the invitations' }).click(),
        ]);
        await c.waitForLoadState();
        return response.status();
      };
      assert.equal(await uploadAs('typos.csv', `name,email,graduation_year\nNo Address,,2027\nBad Year,bad-${STAMP}@example.test,19\n`), 422);
      const summary = c.locator('#error-summary');
      await summary.getByRole('link', { name: 'No line of the file can be used: correct the lines listed, then choose the file again.' }).waitFor();
      await summary.getByText('Line 2: the email is empty').waitFor();
      await summary.getByText(/^Line 3: /).waitFor();
      assert.equal(await c.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary');
      assert.equal(await c.getByLabel('CSV file').getAttribute('aria-invalid'), 'true');
      assert.equal(await c.getByRole('region', { name: 'Invitations sent' }).count(), 0);
      await screenshot(c, 'school-invite-refused.png');

      // An address whose account has not confirmed it gets no email yet: the report says it is held,
      // the dashboard lists it as waiting, and confirming the address sends the invitation.
      const held = { name: 'Omar Held', email: `omar-${STAMP}@example.test` };
      const registered = await api('POST', '/api/v1/auth/register', { body: { ...held, password: PASSWORD } });
      assert.equal(registered.status, 201, registered.text);
      assert.equal(await uploadAs('late.csv', `${held.name},${held.email},2027\n`), 200);
      const heldReport = c.getByRole('region', { name: 'Invitations sent' });
      await heldReport.getByText('0 of 1 students invited, 1 held until they confirm their address.').waitFor();
      await heldReport.getByRole('heading', { name: 'Held until they confirm their address' }).waitFor();
      await heldReport.getByRole('list', { name: 'Held until they confirm their address' }).getByText(`Line 1: ${held.name}`).waitFor();
      const waiting = c.getByRole('region', { name: /^Waiting for the student to confirm their address \(1\)$/ });
      await waiting.getByText(held.name).waitFor();
      await screenshot(c, 'school-invite-held.png');
      {
        const context = await newContext({ javaScriptEnabled: false });
        const p = await context.newPage();
        await p.goto(await mailedLink(held.email, '/confirm/'));
        await p.getByRole('button', { name: 'Confirm my email address' }).click();
        await p.getByRole('heading', { name: 'Your email address is confirmed' }).waitFor();
        const link = await invitationLink(held.email);
        await p.goto(link);
        await p.getByRole('heading', { name: /St\. Aurelia School of Medicine invites you/ }).waitFor();
        await context.close();
      }
      await c.goto('/school');
      assert.equal(await c.getByRole('region', { name: /^Waiting for the student to confirm their address/ }).count(), 0);
      await c.getByText(held.email).waitFor(); // now among the invitations not accepted yet

      // Each student: the link, an account, back to the link, join.
      for (const s of STUDENTS) {
        const context = await newContext({ javaScriptEnabled: false });
        studentContexts.push(context);
        const p = await context.newPage();
        const link = await invitationLink(s.email);
        await p.goto(link);
        await p.getByRole('heading', { name: /St\. Aurelia School of Medicine invites you/ }).waitFor();
        await p.getByRole('link', { name: 'Create an account' }).click();
        await p.getByLabel('Full name').fill(s.name);
        await p.getByLabel('Email').fill(s.email);
        await p.getByLabel('Password').fill(PASSWORD);
        await p.getByRole('button', { name: 'Create account' }).click();
        await p.waitForURL((u) => u.pathname !== '/register');
        await p.goto(link);
        await p.getByRole('button', { name: 'Join the school' }).click();
        await p.waitForURL((u) => u.pathname === '/me/schools');
        await p.getByText('Linked', { exact: true }).waitFor();
        s.page = p;
      }

      // The coordinator starts a round and reserves a seat in three blocks of other hosts.
      await c.goto('/school');
      await c.getByText('Start a match round').click();
      const roundName = `Summer ${STAMP}`;
      await c.getByLabel('Name').fill(roundName);
      await c.getByLabel('Ranking deadline').fill(isoDate(3));
      await c.getByRole('button', { name: 'Create the round' }).click();
      await c.waitForURL((u) => /^\/school\/rounds\/[^/]+$/.test(u.pathname));
      const roundPath = new URL(c.url()).pathname;
      const roundId = roundPath.split('/').pop();
      for (let i = 0; i < 3; i++) {
        const reserve = c.getByRole('region', { name: 'Reserve seats' });
        const options = await reserve.getByLabel('Block').locator('option').allTextContents();
        const choice = options.find((o) => o && o !== '—' && !o.includes('Lakeside'));
        assert.ok(choice, 'a block of another host has seats free');
        // Dates as every other page writes them ("Jan 4, 2027"), not as stored.
        assert.match(choice, /, [A-Z][a-z]{2} \d{1,2}, \d{4} to [A-Z][a-z]{2} \d{1,2}, \d{4} \(\d+ free\)$/, choice);
        await reserve.getByLabel('Block').selectOption({ label: choice });
        await reserve.getByLabel('Seats').fill('1');
        await reserve.getByRole('button', { name: 'Reserve the seats' }).click();
        await c.getByText('The seats are reserved for the round.').waitFor();
      }
      await c.getByRole('button', { name: 'Open for ranking' }).click();
      await c.getByText('The round is open').waitFor();

      // Each student ranks the blocks open to them: numbers, then a move with the keyboard.
      for (const [n, s] of STUDENTS.entries()) {
        const p = s.page;
        if (n === 0) await p.setViewportSize({ width: 360, height: 800 });
        await p.goto(`/rounds/${roundId}`);
        const boxes = p.locator('input.rank');
        const count = await boxes.count();
        assert.ok(count > 0, 'at least one reserved block is open to a new student');
        for (let i = 0; i < count; i++) await boxes.nth(i).fill(String(count - i));
        await p.getByRole('button', { name: 'Save my ranking' }).click();
        await p.getByText('Your ranking is saved.').waitFor();
        if (count > 1) {
          const up = p.getByRole('button', { name: /^Move up/ }).last();
          await up.focus();
          await p.keyboard.press('Enter');
          await p.getByText('Your ranking is saved.').waitFor();
        }
        if (n === 0) await screenshot(p, 'round-ranking.png');
      }

      // Run (verified, with the fill), then publish.
      await c.goto(roundPath);
      await c.getByRole('button', { name: 'Run the match' }).click();
      await c.getByText('The match has run').waitFor();
      await c.getByText('Verified', { exact: true }).waitFor();
      await c.getByRole('img', { name: /Seats filled/ }).waitFor();
      await screenshot(c, 'round-results.png');
      await c.getByRole('button', { name: 'Publish: make the offers' }).click();
      await c.getByText('Published: the placed students have their offers').waitFor();

      // A student finds the offer and the explanation.
      let offers = 0;
      for (const s of STUDENTS) {
        await s.page.goto('/applications');
        offers += await s.page.getByText('Offer made').count();
      }
      assert.ok(offers >= 1, 'a placed student sees an offer on /applications');
      const first = STUDENTS[0].page;
      await first.goto(`/rounds/${roundId}`);
      const result = first.getByRole('region', { name: 'Your result' });
      await result.getByText(/Placed at|Not placed/).waitFor();
      await screenshot(first, 'round-student-result.png');

      // The coordinator, on a phone, opens a student's page from the dashboard: applications with
      // onboarding and hours (totals only), readiness; nothing wider than the window.
      await c.setViewportSize({ width: 360, height: 800 });
      await c.goto('/school');
      await c.getByRole('link', { name: STUDENTS[0].name }).first().click();
      await c.waitForURL((u) => /^\/school\/students\/[^/]+$/.test(u.pathname));
      await c.getByRole('heading', { name: 'Match readiness' }).waitFor();
      const apps = c.getByRole('region', { name: 'Applications and placements' });
      if (await apps.locator('table').count() > 0) {
        await apps.getByText('Not started').first().waitFor(); // an offer: no hours yet
      }
      // The readiness speaks of the student's profile, not of "your profile", to the coordinator
      // (a new student has no USMLE result in it yet).
      const readiness = await c.getByRole('region', { name: 'Match readiness' }).innerText();
      assert.match(readiness, /No score in the profile/);
      assert.doesNotMatch(readiness, /your profile/);
      await fitsWindow(c);
      await checkAxe(c, 'a school\'s student');
      await screenshot(c, 'school-student-360.png');
    } finally {
      for (const context of studentContexts) await context.close();
      await coordinatorContext.close();
    }
  });

// The host's match rounds count in words: "1 seat", "2 seats", never "1 seats".
test('the host\'s match rounds say "1 seat" and "2 seats"', { timeout: 60_000 }, async () => {
  const context = await newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
  try {
    const page = await context.newPage();
    await logIn(page, 'host@rounds.test', DEMO_PASSWORD);
    assert.equal((await page.goto('/host/rounds')).status(), 200);
    const lines = (await page.locator('main li').allInnerTexts()).filter((t) => /ranked it/.test(t));
    assert.ok(lines.length > 0, 'the demo host has blocks in the demo round');
    for (const line of lines) {
      assert.doesNotMatch(line, /\b1 seats\b|\b1 students\b/, line);
      assert.match(line, /\b(1 seat|\d+ seats) · (1 student|\d+ students) ranked it · /, line);
    }
    await fitsWindow(page);
  } finally {
    await context.close();
  }
});
