// deletion.test.mjs — deleting an account (issue 18, item 5) as people meet it
// with JavaScript off: a student on a 360 px phone opens "Delete your account"
// from /account, reads what is erased and what is kept, asks, sees the pending
// request with its due date, and cancels it; staff at 1280 px see another
// student's request on /staff/deletions and erase it, after which that
// student's password no longer opens anything. axe-core and the width on each
// page.
//
// Screenshots: deletion-confirm-360.png, deletion-pending-360.png,
// deletion-staff-1280.png, deletion-staff-erased-1280.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, api, apiExpect, checkAxe, confirmedStudent, newContext, overflow, screenshot } from './lib.mjs';

async function signIn(page, email) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.getByRole('button', { name: 'Log in', exact: true }).click()]);
}

async function fits(page, label) {
  const wide = await overflow(page);
  assert.ok(wide.scrollWidth <= wide.width, `${label}: nothing wider than ${wide.width}px: ${wide.wide.join(', ')}`);
  await checkAxe(page, label);
}

test('a student asks to delete their account, sees it pending and cancels', { timeout: 120_000 }, async () => {
  const student = await confirmedStudent('Imani Leaving', 'leaving');
  const context = await newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 } });
  try {
    const page = await context.newPage();
    await signIn(page, student.email);
    await page.goto('/account');
    await page.getByRole('heading', { name: 'Delete your account' }).waitFor();
    await Promise.all([page.waitForURL((u) => u.pathname === '/account/delete'),
      page.getByRole('link', { name: 'Delete your account…' }).click()]);
    await page.getByRole('heading', { name: 'What is erased' }).waitFor();
    await page.getByRole('heading', { name: 'What is kept, and why' }).waitFor();
    await fits(page, 'deletion confirmation');
    await screenshot(page, 'deletion-confirm-360');
    await Promise.all([page.waitForURL((u) => u.pathname === '/account'),
      page.getByRole('button', { name: 'Delete my account' }).click()]);
    const status = page.locator('#deletion-status');
    await status.waitFor();
    assert.match(await status.innerText(), /You asked to delete your account on .+ It will be erased by /);
    const mine = await apiExpect(200, 'GET', '/api/v1/me/deletion-request', { token: student.token });
    assert.equal(mine.state, 'pending');
    await fits(page, 'account with a pending deletion');
    await page.locator('#deletion').scrollIntoViewIfNeeded();
    await screenshot(page, 'deletion-pending-360');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('deletion') === 'cancelled'),
      page.getByRole('button', { name: 'Cancel the deletion' }).click()]);
    await page.getByText('Your request is cancelled').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Cancel the deletion' }).count(), 0);
    const after = await apiExpect(200, 'GET', '/api/v1/me/deletion-request', { token: student.token });
    assert.equal(after.state, 'cancelled');
  } finally {
    await context.close();
  }
});

test('staff erase another student\'s account from the list', { timeout: 120_000 }, async () => {
  const leaving = await confirmedStudent('Tomas Gone', 'gone');
  await apiExpect(201, 'POST', '/api/v1/me/deletion-request', { token: leaving.token, body: {} });
  const context = await newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await signIn(page, 'staff@rounds.test');
    await page.goto('/staff/deletions');
    await page.getByRole('heading', { name: 'Account deletions' }).waitFor();
    const row = page.locator('#deletions tr', { hasText: leaving.email });
    await row.waitFor();
    assert.match(await row.innerText(), /0 days ago/);
    await fits(page, 'staff deletions');
    await screenshot(page, 'deletion-staff-1280');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('done') === 'erased'),
      row.getByRole('button', { name: /Erase now/ }).click()]);
    await page.getByText('The account is erased.').waitFor();
    assert.equal(await page.locator('#deletions tr', { hasText: leaving.email }).count(), 0);
    await page.locator('#erased').waitFor();
    await fits(page, 'staff deletions after erasing');
    await screenshot(page, 'deletion-staff-erased-1280');
    const login = await api('POST', '/api/v1/auth/login', { body: { email: leaving.email, password: PASSWORD } });
    assert.equal(login.status, 401, 'the erased account does not sign in');
    assert.equal((await api('GET', '/api/v1/me', { token: leaving.token })).status, 401, 'its session has ended');
  } finally {
    await context.close();
  }
});
