// password.test.mjs — "Forgot your password?" (issue 12, item 7) as a person
// meets it with JavaScript off, at 1280 px and at a phone's 390 px: from the
// login page to the form, the same answer for an address with and without an
// account, the emailed link, a weak password refused with the error summary
// at the top, the new password saved, the other session ended, the old
// password refused, and the link dead once used. axe-core on each state.
//
// Screenshots: password-asked-<width>.png, password-choose-<width>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PASSWORD, checkAxe, confirmedStudent, newContext, overflow, screenshot, waitForMail,
} from './lib.mjs';

const NEW_PASSWORD = 'Quiet-Harbour-Lantern-73?';

async function press(page, button) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

async function logIn(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  return press(page, page.getByRole('button', { name: 'Log in', exact: true }));
}

async function fits(page, label) {
  const wide = await overflow(page);
  assert.ok(wide.scrollWidth <= wide.width, `${label}: nothing wider than ${wide.width}px: ${wide.wide.join(', ')}`);
}

// The sentence the page shows after asking, without the address asked for.
async function answerAfterAsking(page, email) {
  await page.goto('/login');
  await Promise.all([page.waitForURL((u) => u.pathname === '/password-reset'),
    page.getByRole('link', { name: 'Forgot your password?' }).click()]);
  await page.getByLabel('Email').fill(email);
  assert.equal(await press(page, page.getByRole('button', { name: 'Send me a link' })), 200);
  const status = page.getByRole('status');
  await status.waitFor();
  return (await status.textContent()).replace(email, '<address>').trim();
}

test('a forgotten password is reset by an emailed link, at 1280 and 390 px', { timeout: 240_000 }, async () => {
  for (const width of [1280, 390]) {
    const student = await confirmedStudent('Reset Tester', `reset${width}`);
    const viewport = { width, height: 800 };
    const elsewhere = await newContext({ javaScriptEnabled: false, viewport });
    const context = await newContext({ javaScriptEnabled: false, viewport });
    try {
      // Signed in on another device: that session must end with the reset.
      const other = await elsewhere.newPage();
      assert.equal(await logIn(other, student.email, PASSWORD), 303);
      await other.goto('/account');
      assert.equal(new URL(other.url()).pathname, '/account');

      const page = await context.newPage();
      const known = await answerAfterAsking(page, student.email);
      await fits(page, 'asked');
      await checkAxe(page, `password link asked for at ${width}px`);
      await screenshot(page, `password-asked-${width}.png`);
      const unknown = await answerAfterAsking(page, `nobody-${width}-${Date.now()}@example.test`);
      assert.equal(unknown, known, 'the same answer whether or not the address has an account');

      const mail = await waitForMail(student.email, /\/password-reset\/[A-Za-z0-9_-]+/);
      const link = mail.match(/https?:\/\/\S+(\/password-reset\/[A-Za-z0-9_-]+)/);
      assert.ok(link, 'the email carries the link');
      await page.goto(link[1]);
      await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();

      // A weak password: the summary at the top, focused, linked to the field.
      await page.getByLabel('New password').fill('password1234');
      assert.equal(await press(page, page.getByRole('button', { name: 'Save the new password' })), 400);
      const summary = page.locator('#error-summary');
      await summary.waitFor();
      assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary');
      assert.equal(await summary.locator('a').first().getAttribute('href'), '#f-password');
      assert.match(await summary.locator('a').first().textContent(), /^The new password /);
      await fits(page, 'weak password');
      await checkAxe(page, `a weak new password at ${width}px`);
      await screenshot(page, `password-choose-${width}.png`);

      // The new password: back to the login page, saying so.
      await page.getByLabel('New password').fill(NEW_PASSWORD);
      assert.equal(await press(page, page.getByRole('button', { name: 'Save the new password' })), 303);
      assert.equal(new URL(page.url()).pathname, '/login');
      await page.getByText('Your password is changed').waitFor();

      // The other session is over; the old password no longer works, the new one does.
      await other.goto('/account');
      assert.equal(new URL(other.url()).pathname, '/login');
      assert.equal(await logIn(page, student.email, PASSWORD), 401);
      assert.equal(await logIn(page, student.email, NEW_PASSWORD), 303);
      assert.equal(new URL(page.url()).pathname, '/account');

      // The link works once.
      const again = await page.goto(link[1]);
      assert.equal(again.status(), 404);
      await page.getByRole('heading', { level: 1, name: 'This link no longer works' }).waitFor();
      await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();
      await checkAxe(page, `a used link at ${width}px`);
    } finally {
      await context.close();
      await elsewhere.close();
    }
  }
});
