// messages.test.mjs — messages per rotation, in a real browser with
// JavaScript off, at 1280 px and at a phone's 390 px, against the demo data
// (`rounds seed --demo` puts rotation@rounds.test on a rotation with
// preceptor@rounds.test):
//
//   the student opens "Your rotation" → Messages → sends a message that is too
//   long first (the summary links to the field and the text stays) → sends it
//   → the preceptor sees "1 unread" on the application page and "Messages (N unread)"
//   in the navigation (leading to the thread), reads the thread
//   and answers → the student sees the unread answer on a phone. Another
//   student gets 404. axe-core runs on each page.
//
// Screenshots (SCREENSHOT_DIR): messages-error.png, messages.png,
// messages-preceptor.png, messages-390.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, checkAxe, fitsWindow, newContext, screenshot } from './lib.mjs';
import { demoApplications } from './demo_lib.mjs';

const APP = (await demoApplications()).rotation;
const THREAD = `/applications/${APP}/messages`;

async function press(page, button) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

async function person(email, width = 1280) {
  const context = await newContext({ javaScriptEnabled: false, viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  assert.equal(await press(page, page.getByRole('button', { name: 'Log in', exact: true })), 303, `${email} logs in`);
  return { context, page };
}

async function look(page, name) {
  await screenshot(page, name);
  await checkAxe(page, name);
  if (page.viewportSize().width < 400) await fitsWindow(page);
}

test('the student writes, the preceptor reads and answers, the unread count shows', async () => {
  const student = await person('rotation@rounds.test');
  const preceptor = await person('preceptor@rounds.test');
  const phone = await person('rotation@rounds.test', 390);
  const outsider = await person('student@rounds.test');
  try {
    const s = student.page;
    await s.goto(`/rotations/${APP}`);
    await s.getByRole('link', { name: 'Messages', exact: true }).click();
    await s.waitForLoadState('load');
    assert.equal(new URL(s.url()).pathname, THREAD);
    // One "no attachment" choice, not two ("—" and "No attachment" both meant none).
    const attach = s.getByLabel('Attach a document from your wallet (optional)');
    assert.equal(await attach.locator('option[value=""]').count(), 1);
    assert.ok(await attach.locator('option').count() > 1, 'the wallet documents are offered');

    // Empty: the summary says what to do in a sentence (it once said only "is required").
    await s.evaluate(() => { for (const f of document.forms) f.noValidate = true; });
    assert.equal(await press(s, s.getByRole('button', { name: 'Send the message' })), 400);
    const empty = s.locator('#error-summary a[href="#f-body"]');
    assert.equal((await empty.textContent()).trim(), 'Write your message first.');

    // Too long: the summary links to the field, the text stays.
    const text = `Where do I park on Monday? ${'x'.repeat(5000)}`;
    await s.evaluate(() => { for (const f of document.forms) f.noValidate = true; });
    await s.locator('#f-body').evaluate((el, value) => { el.value = value; }, text);
    assert.equal(await press(s, s.getByRole('button', { name: 'Send the message' })), 413);
    const summary = s.locator('#error-summary');
    await summary.waitFor();
    assert.equal(await summary.locator('a[href="#f-body"]').count(), 1, 'the summary links to the message');
    assert.equal(await s.locator('#f-body').inputValue(), text, 'the typed text is kept');
    await look(s, 'messages-error');

    await s.locator('#f-body').fill('Where do I park on Monday?');
    assert.equal(await press(s, s.getByRole('button', { name: 'Send the message' })), 303);
    await s.getByText('Your message is sent.').waitFor();
    await s.getByText('Where do I park on Monday?').waitFor();
    await look(s, 'messages');
    // The student is not named to themselves; the preceptor reads whose thread it is.
    assert.match((await s.locator('p.lead').first().textContent()).trim(), /^With \S/);

    // The preceptor sees the unread count, reads and answers.
    const p = preceptor.page;
    await p.goto(`/applications/${APP}`);
    // The navigation on every page says how many messages wait, and leads to the newest's thread.
    const navMessages = p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Messages \(\d+ unread\)$/ });
    assert.equal(await navMessages.count(), 1, 'the navigation shows the unread messages');
    assert.equal(await navMessages.getAttribute('href'), THREAD);
    const badge = p.locator('#unread-messages');
    assert.match(await badge.innerText(), /^\d+ unread$/);
    await p.getByRole('link', { name: 'Messages', exact: true }).click();
    await p.waitForLoadState('load');
    await p.getByText('Where do I park on Monday?').waitFor();
    assert.match((await p.locator('p.lead').first().textContent()).trim(), /^Kwame Asante with \S/);
    // Opening the thread read it: the navigation no longer leads here.
    const left = p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Messages \(\d+ unread\)$/ });
    assert.ok((await left.count()) === 0 || (await left.getAttribute('href')) !== THREAD, 'the thread read is not counted');
    await p.locator('#f-body').fill('Staff car park B; show your badge at the gate.');
    assert.equal(await press(p, p.getByRole('button', { name: 'Send the message' })), 303);
    await look(p, 'messages-preceptor');
    await p.goto(`/applications/${APP}`);
    assert.equal(await p.locator('#unread-messages').count(), 0, 'read: no unread count left');

    // The student, on a phone, sees the answer waiting.
    const ph = phone.page;
    await ph.goto(`/rotations/${APP}`);
    assert.equal(await ph.locator('#unread-messages').innerText(), '1 unread');
    const phoneNav = ph.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Messages \(\d+ unread\)$/ });
    assert.equal(await phoneNav.getAttribute('href'), THREAD, 'the student\'s navigation leads to the answer');
    await ph.getByRole('link', { name: 'Messages', exact: true }).click();
    await ph.waitForLoadState('load');
    await ph.getByText('Staff car park B; show your badge at the gate.').waitFor();
    await look(ph, 'messages-390');

    // Anyone else: 404.
    const res = await outsider.page.goto(THREAD);
    assert.equal(res.status(), 404, 'another student gets 404');
  } finally {
    await student.context.close();
    await preceptor.context.close();
    await phone.context.close();
    await outsider.context.close();
  }
});
