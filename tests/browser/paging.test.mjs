// paging.test.mjs — a list longer than a page, paged on a phone (360 px) with
// JavaScript disabled, against the server run.sh starts:
//
//   staff (through the API) makes a school of its own and its coordinator; a
//   new student joins it and is approved; the coordinator starts 205 match
//   rounds with the student in each (the API, a POST each) → the student opens
//   /rounds: 200 rounds, no "left out" note, a "Pages of the match rounds"
//   navigation with "Older rounds" → following it shows the 5 others (the two
//   pages hold every round once) and "Newest rounds", which goes back to the
//   first page → an address with
//   a broken cursor is a 400 page that says what is wrong. No page is wider
//   than its window, and axe finds nothing serious on either page.
//
// Screenshots (in SCREENSHOT_DIR): rounds-older-360.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, apiExpect, apiLogin, checkAxe, confirmedStudent, fitsWindow, newContext, screenshot } from './lib.mjs';

const STAMP = `${Date.now().toString(36)}-${process.pid}`;
const ROUNDS = 205;
const PHONE = { width: 360, height: 780 };

const dateIn = (days) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);

test('205 match rounds: "Older rounds" shows the older ones on a phone without JavaScript', { timeout: 240_000 }, async () => {
  const staff = await apiLogin('staff@rounds.test');
  const school = await apiExpect(201, 'POST', '/api/v1/organizations',
    { token: staff, body: { name: `Paging School ${STAMP}`, kind: 'school' } });
  const coordEmail = `paging-coord-${STAMP}@example.test`;
  await apiExpect(201, 'POST', '/api/v1/users', {
    token: staff,
    body: { email: coordEmail, name: 'Ines Paging', role: 'school_coordinator', password: PASSWORD, organization_id: school.id },
  });
  const coord = await apiLogin(coordEmail);
  const student = await confirmedStudent('Tomas Paging', 'paging');
  const me = await apiExpect(200, 'GET', '/api/v1/me', { token: student.token });
  await apiExpect(201, 'POST', `/api/v1/schools/${school.id}/join`, { token: student.token, body: {} });
  await apiExpect(200, 'POST', `/api/v1/schools/${school.id}/students/${me.id}/approve`, { token: coord, body: {} });
  for (let i = 0; i < ROUNDS; i++) {
    await apiExpect(201, 'POST', '/api/v1/match-rounds', {
      token: coord,
      body: { school_id: school.id, name: `Paging round ${String(i).padStart(3, '0')}`, mode: 'one',
        deadline: dateIn(30), student_ids: [me.id] },
    });
  }

  const context = await newContext({ javaScriptEnabled: false, viewport: PHONE });
  try {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(student.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname !== '/login');

    // Rounds made in the same second come by id: which page holds which is
    // not the order of the POSTs, but the two pages hold every round once.
    await page.goto('/rounds');
    const rounds = page.locator('main ul.plain-list > li');
    const names = () => page.locator('main ul.plain-list > li > a').allTextContents();
    assert.equal(await rounds.count(), 200, 'the first page holds the newest 200');
    const first = await names();
    assert.equal(await page.getByText('left out').count(), 0, 'no "left out" note any more');
    const pager = page.getByRole('navigation', { name: 'Pages of the match rounds' });
    assert.equal(await pager.getByRole('link', { name: 'Newest rounds' }).count(), 0, 'the first page has no Newest link');
    await fitsWindow(page);
    await checkAxe(page, '/rounds at 360 px');

    await pager.getByRole('link', { name: 'Older rounds' }).click();
    await page.waitForURL(/\/rounds\?cursor=/);
    assert.equal(await rounds.count(), ROUNDS - 200, 'the older page holds the rest');
    const second = await names();
    const all = Array.from({ length: ROUNDS }, (_, i) => `Paging round ${String(i).padStart(3, '0')}`);
    assert.deepEqual([...first, ...second].sort(), all, 'the two pages hold every round once');
    const older = page.getByRole('navigation', { name: 'Pages of the match rounds' });
    assert.equal(await older.getByRole('link', { name: 'Older rounds' }).count(), 0, 'the last page has no Older link');
    await fitsWindow(page);
    await checkAxe(page, '/rounds?cursor= at 360 px');
    await screenshot(page, 'rounds-older-360.png');

    await older.getByRole('link', { name: 'Newest rounds' }).click();
    await page.waitForURL((u) => u.pathname === '/rounds' && u.search === '');
    assert.deepEqual(await names(), first, 'Newest rounds is the first page again');

    const bad = await page.goto('/rounds?cursor=not-a-cursor');
    assert.equal(bad.status(), 400);
    await page.getByText('cursor').first().waitFor();
    await fitsWindow(page);
  } finally {
    await context.close();
  }
});
