// nav.test.mjs — the header on a phone and on a wide screen, with JavaScript off,
// as a visitor and each demo role. At 360×740: one line (the brand, the reader's
// news — "Messages (N unread)" or "Notifications (N)"; a visitor's "Log in" — and
// "Menu"), nothing wider than the screen, the page's h1 starting within 120 px,
// "Skip to content" the first thing Tab reaches (and not covered), and "Menu" a
// disclosure that Enter opens and whose links Tab then reaches, the current page's
// marked aria-current="page". At 1280 px: the same links, every one visible without
// opening anything, and no "Menu".
//
// Screenshots (in SCREENSHOT_DIR): nav-<role>-360.png, nav-<role>-360-open.png and
// nav-<role>-1280.png for the student and staff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, newContext, overflow, screenshot } from './lib.mjs';

const PHONE = { width: 360, height: 740 };
const WIDE = { width: 1280, height: 800 };
// The h1's top at 360 px: the one-line header is 57 px and the page's own space above its
// heading 45-48 px, so about 105; one more header line (the old header took four to seven)
// puts it past 120. On a 740 px screen that leaves five sixths of the first screen to the page.
const H1_TOP_MAX = 120;

// Each role: besides the home page ("/"), one page of its own whose link is in the menu (to
// see it marked as current), and links its navigation must offer.
const ROLES = {
  visitor: { email: null, own: '/search', links: ['Log in', 'Find a rotation', 'Create account'] },
  student: { email: 'student@rounds.test', own: '/letters', links: ['Applications', 'Documents', 'Letters', 'Payments', 'Support'] },
  preceptor: { email: 'preceptor@rounds.test', own: '/teaching', links: ['Applications', 'Letters', 'Teaching'] },
  host: { email: 'host@rounds.test', own: '/host', links: ['Applications', 'Offerings', 'Earnings', 'Agreements'] },
  school: { email: 'school@rounds.test', own: '/school', links: ['School', 'Agreements'] },
  coach: { email: 'coach@rounds.test', own: '/coach', links: ['My students'] },
  staff: { email: 'staff@rounds.test', own: '/staff/documents', links: ['Verify documents', 'Payouts', 'Audit trail', 'Coaches'] },
};
const SHOTS = new Set(['student', 'staff']);

async function signedIn(email, viewport) {
  const context = await newContext({ javaScriptEnabled: false, viewport });
  const page = await context.newPage();
  if (email) {
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname !== '/login'),
      page.getByRole('button', { name: 'Log in', exact: true }).click()]);
  }
  return { context, page };
}

const nav = (page) => page.getByRole('navigation', { name: 'Main' });

// The names of the links and buttons the navigation shows now (hidden ones are left out).
async function shownNames(page) {
  const names = [];
  for (const item of await nav(page).locator('a:visible, button:visible').all()) {
    names.push(((await item.textContent()) || '').trim());
  }
  return names;
}

async function checkPhone(page, role, path) {
  const res = await page.goto(path);
  assert.ok(res.status() < 400, `${role} GET ${path} → ${res.status()}`);
  const o = await overflow(page);
  assert.ok(o.scrollWidth <= PHONE.width, `${role} ${path}: ${o.scrollWidth} px wide (${o.wide.join('; ')})`);
  const h1 = await page.locator('main h1').first().boundingBox();
  assert.ok(h1 && h1.y <= H1_TOP_MAX, `${role} ${path}: the h1 starts at ${h1 && Math.round(h1.y)} px (at most ${H1_TOP_MAX})`);
  // Closed, the menu leaves the brand, one link and "Menu" on one line.
  const summary = nav(page).locator('summary');
  assert.equal((await summary.textContent()).trim(), 'Menu');
  assert.equal(await page.locator('details.nav-menu').getAttribute('open'), null, 'the menu starts closed');
  const first = await shownNames(page);
  assert.equal(first.length, 2, `${role} ${path}: the brand and one link before the menu (${first.join(', ')})`);
  const boxes = [await nav(page).getByRole('link', { name: 'Rounds' }).boundingBox(),
    await nav(page).getByRole('link', { name: first[1] }).boundingBox(), await summary.boundingBox()];
  const tops = boxes.map((b) => b.y);
  assert.ok(Math.max(...tops) - Math.min(...tops) < 20, `${role} ${path}: brand, ${first[1]} and Menu on one line (${tops})`);
  return first;
}

// From the top of the page: Tab reaches "Skip to content" first (visible when focused),
// then the brand, the first-line link and "Menu"; Enter opens the menu, Tab reaches its links.
async function openByKeyboard(page, role, path) {
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  assert.equal(await skip.evaluate((a) => a === document.activeElement), true, `${role} ${path}: Tab reaches Skip to content first`);
  const box = await skip.boundingBox();
  assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= PHONE.width, 'the focused skip link is on screen');
  assert.equal(await skip.evaluate((a) => {
    const r = a.getBoundingClientRect();
    return a.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
  }), true, 'nothing covers the focused skip link');
  const summary = nav(page).locator('summary');
  for (let i = 0; i < 3 && !(await summary.evaluate((s) => s === document.activeElement)); i++) await page.keyboard.press('Tab');
  assert.equal(await summary.evaluate((s) => s === document.activeElement), true, `${role} ${path}: Tab reaches Menu third after the skip link`);
  await page.keyboard.press('Enter');
  assert.notEqual(await page.locator('details.nav-menu').getAttribute('open'), null, `${role} ${path}: Enter opens the menu`);
  const items = nav(page).locator('.nav-links').locator('a, button');
  const count = await items.count();
  assert.ok(count > 0, 'the open menu shows its links');
  for (let i = 0; i < count; i++) {
    await page.keyboard.press('Tab');
    assert.equal(await items.nth(i).evaluate((el) => el === document.activeElement), true,
      `${role} ${path}: Tab reaches the menu's item ${i + 1} (${await items.nth(i).textContent()})`);
  }
  const o = await overflow(page);
  assert.ok(o.scrollWidth <= PHONE.width, `${role} ${path} with the menu open: ${o.scrollWidth} px wide (${o.wide.join('; ')})`);
}

for (const [role, spec] of Object.entries(ROLES)) {
  test(`${role}: a one-line header with a Menu at 360 px, every link in a row at 1280 px, without JavaScript`,
    { timeout: 90_000 }, async () => {
      const phone = await signedIn(spec.email, PHONE);
      const wide = await signedIn(spec.email, WIDE);
      try {
        for (const path of ['/', spec.own]) {
          const { page } = phone;
          const first = await checkPhone(page, role, path);
          if (path === '/' && SHOTS.has(role)) await screenshot(page, `nav-${role}-360.png`);
          await openByKeyboard(page, role, path);
          if (path === '/' && SHOTS.has(role)) await screenshot(page, `nav-${role}-360-open.png`);
          const phoneNames = await shownNames(page);
          for (const name of spec.links) assert.ok(phoneNames.includes(name), `${role} ${path}: the menu offers ${name} (${phoneNames.join(', ')})`);
          assert.equal(phoneNames[1], first[1], 'the first-line link stays in place when the menu opens');
          // The current page is marked, in the menu.
          if (path !== '/') {
            const current = nav(page).locator('[aria-current="page"]');
            assert.equal(await current.count(), 1, `${role} ${path}: one link marked as the current page`);
            assert.equal(await current.getAttribute('href'), path);
            assert.ok(await current.isVisible(), 'the current page\'s link shows in the open menu');
          }

          // Wide: the same links, all visible at once, no "Menu", nothing to open.
          const res = await wide.page.goto(path);
          assert.ok(res.status() < 400);
          assert.equal(await nav(wide.page).locator('summary').isVisible(), false, `${role} ${path}: no Menu at 1280 px`);
          const wideNames = await shownNames(wide.page);
          assert.deepEqual(wideNames, phoneNames, `${role} ${path}: at 1280 px the links the phone's menu has, in a row`);
          if (path === '/' && SHOTS.has(role)) await screenshot(wide.page, `nav-${role}-1280.png`);
          if (path !== '/') assert.equal(await nav(wide.page).locator('[aria-current="page"]').getAttribute('href'), path);
        }
      } finally {
        await phone.context.close();
        await wide.context.close();
      }
    });
}

// "Skip to content" leads past the header: following it goes to the page's main part.
test('Skip to content leads to the main part at 360 px', { timeout: 30_000 }, async () => {
  const { context, page } = await signedIn('student@rounds.test', PHONE);
  try {
    await page.goto('/letters');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal(new URL(page.url()).hash, '#main');
    // The next Tab goes into the page, not back into the header.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.closest('main') !== null), true,
      'after Skip to content, Tab reaches the main part');
  } finally {
    await context.close();
  }
});
