// confirm.test.mjs — email confirmation and the welcome (issue 12, item 8) as
// a new student meets them with JavaScript off, at a phone's 390 px and at
// 1280 px: registering lands on the account page's welcome (confirm, profile,
// wallet, search); an offering's Apply section asks to confirm first and
// offers no form; "Send the link again" says a link is on its way; the
// emailed link opens a page with one button; confirming shows what to do
// next and a welcome email follows; the Apply form is then there; the link
// is dead once used. axe-core and the window's width on each state.
//
// Screenshots: confirm-welcome-<width>.png, confirm-apply-<width>.png,
// confirm-link-<width>.png, confirm-done-<width>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PASSWORD, apiExpect, checkAxe, confirmationToken, newContext, overflow, screenshot, waitForMail,
} from './lib.mjs';

async function press(page, button) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

async function check(page, label) {
  const wide = await overflow(page);
  assert.ok(wide.scrollWidth <= wide.width, `${label}: nothing wider than ${wide.width}px: ${wide.wide.join(', ')}`);
  await checkAxe(page, label);
}

for (const width of [390, 1280]) {
  test(`a new student confirms the email address, then may apply (${width} px)`, { timeout: 120_000 }, async () => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const email = `confirm-${width}-${suffix}@example.test`;
    const search = await apiExpect(200, 'GET', '/api/v1/offerings?limit=1&kind=hands_on');
    const offering = search.items[0];
    const context = await newContext({ javaScriptEnabled: false, viewport: { width, height: 844 } });
    try {
      const page = await context.newPage();
      // Register: the account page welcomes with what to do next.
      await page.goto('/register');
      await page.getByLabel('Full name').fill('Amara Okafor');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      assert.equal(await press(page, page.getByRole('button', { name: 'Create account' })), 303, 'POST /register');
      assert.equal(new URL(page.url()).pathname, '/account');
      const welcome = page.getByRole('region', { name: 'Welcome to Rounds: what to do next' });
      await welcome.waitFor();
      assert.match(await welcome.innerText(), /Confirm your email address\. We sent a link to/);
      assert.equal(await page.locator('#confirm-email').innerText(), email);
      for (const [name, href] of [['Complete your profile', '/account#profile'], ['Upload your documents', '/wallet'],
        ['Search rotations', '/search']]) {
        assert.equal(await welcome.getByRole('link', { name }).getAttribute('href'), href, name);
      }
      await check(page, `the welcome at ${width} px`);
      await screenshot(page, `confirm-welcome-${width}`);

      // An offering's Apply section asks to confirm first, and has no form.
      await page.goto(`/offerings/${offering.id}`);
      const apply = page.locator('#apply');
      await apply.getByText('Confirm your email address before you apply').waitFor();
      assert.equal(await apply.getByRole('button', { name: 'Apply', exact: true }).count(), 0, 'no Apply button');
      await apply.scrollIntoViewIfNeeded();
      await check(page, `the apply section at ${width} px`);
      await screenshot(page, `confirm-apply-${width}`);

      // The API refuses too, naming why.
      const me = await apiExpect(200, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
      assert.equal(me.user.email_confirmed, false);

      // "Send the link again" from the Apply section.
      assert.equal(await press(page, apply.getByRole('button', { name: 'Send the link again' })), 303);
      assert.equal(new URL(page.url()).pathname, '/account');
      await page.getByText('A new link is on its way.').waitFor();

      // The emailed link: a page with one button, then what to do next.
      const token = await confirmationToken(email);
      const opened = await page.goto(`/confirm/${token}`);
      assert.equal(opened.status(), 200, 'GET /confirm/{token}');
      await check(page, `the link's page at ${width} px`);
      await screenshot(page, `confirm-link-${width}`);
      assert.equal(await press(page, page.getByRole('button', { name: 'Confirm my email address' })), 200);
      await page.getByRole('heading', { name: 'Your email address is confirmed' }).waitFor();
      await page.getByRole('link', { name: 'Upload your documents' }).waitFor();
      await page.getByRole('link', { name: 'Search rotations' }).waitFor();
      await check(page, `confirmed at ${width} px`);
      await screenshot(page, `confirm-done-${width}`);
      const mail = await waitForMail(email, /what to do next/);
      assert.match(mail, /\/wallet/);

      // The account page no longer asks; the Apply form is there.
      await page.goto('/account');
      assert.equal(await page.getByRole('region', { name: 'Welcome to Rounds: what to do next' }).count(), 0);
      await page.goto(`/offerings/${offering.id}`);
      assert.equal(await page.locator('#confirm-first').count(), 0, 'no "confirm first" once confirmed');
      const again = await apiExpect(200, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
      assert.equal(again.user.email_confirmed, true);

      // Used once: the link is dead.
      const dead = await page.goto(`/confirm/${token}`);
      assert.equal(dead.status(), 404);
      await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    } finally {
      await context.close();
    }
  });
}
