// notices.test.mjs — notifications that do not pile up (issue 12, item 11),
// with JavaScript off, at 390 px and 1280 px: staff verify four documents of
// a new student at once → one notice "and 3 more like it" (and one email,
// not four); opening it marks it read and lands on what it is about; another
// notice → "Mark all as read" → "You have read them all.". axe-core and the
// window's width on the list.
//
// Screenshots: notices-<width>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, PASSWORD, apiExpect, apiLogin, checkAxe, confirmedStudent, findMail, newContext, overflow, screenshot,
  waitForMail,
} from './lib.mjs';

// A minimal one-page PDF (the wallet checks the type by content).
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function upload(token, kind) {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', new Blob([PDF], { type: 'application/pdf' }), `${kind}.pdf`);
  const res = await fetch(`${BASE_URL}/api/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await res.text();
  assert.equal(res.status, 201, `upload ${kind}: ${text}`);
  return JSON.parse(text).id;
}

async function press(page, button) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

for (const width of [390, 1280]) {
  test(`a batch is one notice; opening marks it read; mark all as read (${width} px)`, { timeout: 120_000 }, async () => {
    const student = await confirmedStudent('Lina Haddad', `notices-${width}`);
    const staff = await apiLogin('staff@rounds.test');
    const ids = [];
    for (const kind of ['passport', 'cv', 'bls', 'tb-test']) ids.push(await upload(student.token, kind));
    for (const id of ids) await apiExpect(200, 'POST', `/api/v1/documents/${id}/verify`, { token: staff });

    const context = await newContext({ javaScriptEnabled: false, viewport: { width, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('Email').fill(student.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await press(page, page.getByRole('button', { name: 'Log in', exact: true }));
      await page.goto('/notifications');
      const items = page.locator('li.notification');
      assert.equal(await items.count(), 1, 'four verifications are one notice');
      await items.first().getByText('and 3 more like it').waitFor();
      assert.equal(await page.locator('li.notification.unread').count(), 1);
      const wide = await overflow(page);
      assert.ok(wide.scrollWidth <= wide.width, `nothing wider than ${wide.width}px: ${wide.wide.join(', ')}`);
      await checkAxe(page, `notifications at ${width} px`);
      await screenshot(page, `notices-${width}`);

      // One email for the batch (the jobs send the outbox every second): once
      // one has come, two more rounds of the jobs would have sent any other.
      await waitForMail(student.email, new RegExp(`/wallet/(${ids.join('|')})`));
      await new Promise((r) => setTimeout(r, 2500));
      let verifiedMails = 0;
      for (const id of ids) if (await findMail(student.email, new RegExp(`/wallet/${id}`))) verifiedMails++;
      assert.equal(verifiedMails, 1, 'one email for the batch');

      // Opening it: on to the document, and read.
      const link = items.first().getByRole('link').first();
      assert.match(await link.getAttribute('href'), /^\/notifications\/[^/]+\/open$/);
      await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/wallet/')), link.click()]);
      await page.goto('/notifications');
      assert.equal(await page.locator('li.notification.unread').count(), 0, 'read once opened');
      await page.getByText('You have read them all.').waitFor();

      // A rejection: a new notice; "Mark all as read".
      const another = await upload(student.token, 'hepatitis-b');
      await apiExpect(200, 'POST', `/api/v1/documents/${another}/reject`, { token: staff, body: { reason: 'The scan is unreadable.' } });
      await page.goto('/notifications');
      assert.equal(await page.locator('li.notification.unread').count(), 1);
      assert.equal(await press(page, page.getByRole('button', { name: 'Mark all as read' })), 303);
      assert.equal(new URL(page.url()).pathname, '/notifications');
      await page.getByText('You have read them all.').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Mark all as read' }).count(), 0);
    } finally {
      await context.close();
    }
  });
}
