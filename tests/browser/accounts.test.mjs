// accounts.test.mjs — the accounts journey in a real browser, with JavaScript
// disabled: register → /account → log out → /login → wrong password error →
// log in → /account. Forms are driven through their labels and button roles,
// so unlabelled inputs or renamed buttons fail the test.
// Screenshots: account.png, login-error.png (in SCREENSHOT_DIR).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, screenshot } from './lib.mjs';

const NAME = 'Amara Okafor';
const PASSWORD = 'plum-orchard-harbor-71';
const EMAIL = `pw-${Date.now()}-${process.pid}@example.org`;

const pathOf = (page) => new URL(page.url()).pathname;

// The input with this name="" attribute, found through its <label>.
async function field(page, name, label) {
  const loc = page.getByLabel(label).and(page.locator(`[name="${name}"]`));
  assert.equal(await loc.count(), 1,
    `${pathOf(page)}: expected one input name="${name}" labelled ${label}`);
  return loc;
}

// The <form> posting to action, checked for method=POST.
async function form(page, action) {
  const loc = page.locator(`form[action="${action}"]`);
  assert.equal(await loc.count(), 1, `${pathOf(page)}: expected one form action="${action}"`);
  assert.equal((await loc.getAttribute('method') || '').toLowerCase(), 'post',
    `${pathOf(page)}: form ${action} must use method="post"`);
  return loc;
}

// Click a submit button and wait for the resulting page to be at `path`.
// Returns the status of the POST's own response (e.g. 303 when it redirects).
async function submit(page, buttonName, action, path) {
  const posted = page.waitForResponse((r) =>
    r.request().method() === 'POST' && new URL(r.url()).pathname === action);
  await page.getByRole('button', { name: buttonName, exact: true }).click();
  const status = (await posted).status();
  await page.waitForURL((u) => u.pathname === path);
  await page.waitForLoadState('load');
  return status;
}

async function logIn(page, password) {
  await form(page, '/login');
  await (await field(page, 'email', /e-?mail/i)).fill(EMAIL);
  await (await field(page, 'password', /password/i)).fill(password);
}

test('accounts journey works without JavaScript', { timeout: 90_000 }, async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    // Register.
    const res = await page.goto('/register');
    assert.equal(res.status(), 200, 'GET /register');
    await form(page, '/register');
    await (await field(page, 'name', /name/i)).fill(NAME);
    await (await field(page, 'email', /e-?mail/i)).fill(EMAIL);
    await (await field(page, 'password', /password/i)).fill(PASSWORD);
    assert.equal(await submit(page, 'Create account', '/register', '/account'), 303,
      'POST /register should answer 303 See Other');

    // The account page shows who we are.
    await page.getByText(new RegExp(NAME)).first().waitFor();
    await page.getByText(EMAIL).first().waitFor();

    // Log out.
    await form(page, '/logout');
    await submit(page, 'Log out', '/logout', '/login');

    // Wrong password: stays on a login page with an error.
    await logIn(page, 'not-the-password-42');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByText('Wrong email or password').first().waitFor();
    assert.notEqual(pathOf(page), '/account', 'wrong password must not log in');
    await screenshot(page, 'login-error.png');

    // Right password.
    await logIn(page, PASSWORD);
    await submit(page, 'Log in', '/login', '/account');
    await page.getByText(new RegExp(NAME)).first().waitFor();
    await page.getByText(EMAIL).first().waitFor();
    await screenshot(page, 'account.png');
  });
});

// A visitor on an offering follows "Create a student account": the form opens
// (it once answered 400 for its ?next=), a refused attempt opens at an error
// summary linked to the field and keeps what was typed, and the new account
// lands back on the offering's Apply section.
test('creating an account from an offering comes back to it', { timeout: 60_000 }, async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto('/search?q=Lakeside');
    const first = page.locator('main a[href^="/offerings/"]').first();
    const offering = new URL(await first.getAttribute('href'), page.url()).pathname;
    await page.goto(offering);
    await page.getByRole('link', { name: 'Create a student account' }).click();
    await page.waitForURL((u) => u.pathname === '/register');
    assert.equal(await page.locator('h1').textContent(), 'Create a student account',
      `${page.url()} shows the registration form`);

    const email = `next-${Date.now()}-${process.pid}@example.org`;
    await (await field(page, 'name', /name/i)).fill(NAME);
    await (await field(page, 'email', /e-?mail/i)).fill(email);
    await (await field(page, 'password', /password/i)).fill('short');
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    const summary = page.locator('#error-summary');
    await summary.waitFor();
    const link = summary.locator('a[href="#f-password"]');
    assert.equal(await link.count(), 1, 'the error summary links to the password field');
    assert.match(await link.textContent(), /^The password /, 'the error is a sentence naming the field');
    assert.equal(await page.locator('[name="name"]').inputValue(), NAME, 'the name is kept');
    assert.equal(await page.locator('[name="email"]').inputValue(), email, 'the email is kept');

    await (await field(page, 'password', /password/i)).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await page.waitForURL((u) => u.pathname === offering);
    assert.equal(new URL(page.url()).hash, '#apply', 'back at the offering\'s Apply section');
  });
});

// The account page's "Time zone": without one every instant says UTC; with
// Asia/Kolkata the same instant (a support ticket's opening, known from the
// API) reads in India Standard Time, and the account page says which zone it
// uses. Screenshot: account-time-zone-360.png (a phone's width).
test('a chosen time zone writes instants in local time', { timeout: 90_000 }, async () => {
  const { confirmedStudent, apiExpect, PASSWORD: DEMO_PASSWORD, fitsWindow } = await import('./lib.mjs');
  const student = await confirmedStudent('Priya Raman', 'zone');
  const ticket = await apiExpect(201, 'POST', '/api/v1/tickets', {
    token: student.token, body: { category: 'other', subject: 'Which time is it?', body: 'Checking the clock.' } });
  const opened = new Date(ticket.created_at);
  // "Dec 2, 2026, 20:50 IST", as the pages write an instant.
  const written = (zone, abbreviation) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
      timeZone: zone, month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit',
      hourCycle: 'h23' }).formatToParts(opened).map((p) => [p.type, p.value]));
    return `${parts.month} ${parts.day}, ${parts.year}, ${parts.hour}:${parts.minute} ${abbreviation}`;
  };
  await withPage({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } }, async (page) => {
    await page.goto('/login');
    await (await field(page, 'email', /e-?mail/i)).fill(student.email);
    await (await field(page, 'password', /password/i)).fill(DEMO_PASSWORD);
    await submit(page, 'Log in', '/login', '/account');
    const now = page.locator('#time-zone-now');
    assert.match(await now.textContent(), /not chosen a time zone.* now .* UTC\./, 'without a zone the page says UTC');
    await page.goto(`/tickets/${ticket.id}`);
    assert.ok((await page.locator('main').textContent()).includes(written('UTC', 'UTC')),
      `the ticket's opening in UTC: ${written('UTC', 'UTC')}`);

    await page.goto('/account');
    await form(page, '/account/time-zone');
    const select = await field(page, 'time_zone', 'Time zone');
    assert.equal(await select.inputValue(), '', 'no zone chosen yet');
    assert.ok(await select.locator('optgroup[label="Asia"] option[value="Asia/Kolkata"]').count() === 1,
      'Kolkata is listed under Asia');
    await select.selectOption('Asia/Kolkata');
    assert.equal(await submit(page, 'Save time zone', '/account/time-zone', '/account'), 303);
    await page.getByText('Time zone saved.').first().waitFor();
    assert.equal(await (await field(page, 'time_zone', 'Time zone')).inputValue(), 'Asia/Kolkata',
      'the chosen zone is selected');
    assert.match(await now.textContent(), /your time zone, Kolkata \(India\): it is now .* IST\./,
      'the page says which zone it uses');
    await fitsWindow(page); // nothing wider than 360 px
    await screenshot(page, 'account-time-zone-360.png');

    await page.goto(`/tickets/${ticket.id}`);
    const main = await page.locator('main').textContent();
    assert.ok(main.includes(written('Asia/Kolkata', 'IST')),
      `the ticket's opening in India: ${written('Asia/Kolkata', 'IST')}`);
    assert.ok(!main.includes(written('UTC', 'UTC')), 'no instant left in UTC');

    // Back to none: UTC again.
    await page.goto('/account');
    await (await field(page, 'time_zone', 'Time zone')).selectOption('');
    await submit(page, 'Save time zone', '/account/time-zone', '/account');
    assert.match(await now.textContent(), /not chosen a time zone/);
  });
});
