// two_factor.test.mjs — two-factor sign-in (issue 18, item 1) as a staff
// member meets it, with JavaScript off, on a 360 px phone and at 1280 px.
//
// The shared server of run.sh turns the requirement off (the other journeys
// sign staff in with a password alone), so this file starts a rounds server of
// its own (ROUNDS_BIN) with the default: staff must have a second factor. The
// journey: the password sends a new staff member to enrolment, and nothing
// else opens; the QR code and the key; a wrong first code refused with the
// error summary and what was typed kept; the right one → ten recovery codes;
// log out, log in: the code form, a wrong code, the right one; then once with
// a recovery code, which is then spent. Codes are computed as an app does
// (RFC 6238, HMAC-SHA1, 30 s). axe-core and the width on every state.
//
// Screenshots: two-factor-enrol-360.png, two-factor-setup-360.png,
// two-factor-setup-error-360.png, two-factor-codes-360.png,
// two-factor-login-360.png, two-factor-status-1280.png.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkAxe, expectFieldErrors, newContext, openMenu, overflow, recordPid, screenshot } from './lib.mjs';

const PASSWORD = 'Copper-Meadow-Lantern-84';
const EMAIL = 'night.staff@example.test';

// RFC 6238: the code of the step holding `seconds` (Unix time) for a base32 key.
function totp(base32, seconds) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/\s+/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

let dir = null;
let server = null;

// A rounds server of our own on a fresh SQLite database with one staff account: its base URL.
async function startServer() {
  const bin = process.env.ROUNDS_BIN;
  assert.ok(bin, 'ROUNDS_BIN names the rounds binary (tests/browser/run.sh sets it)');
  dir = await mkdtemp(path.join(tmpdir(), 'rounds-2fa-'));
  const env = { ...process.env, ROUNDS_DB: path.join(dir, 'r.db'), ROUNDS_DATA_DIR: path.join(dir, 'data'),
    ROUNDS_TWO_FACTOR_ROLES: 'staff,coach,host_coordinator' };
  delete env.ROUNDS_LISTEN;
  delete env.ROUNDS_PUBLIC_URL;
  for (const args of [['migrate'], ['user', 'add', '--email', EMAIL, '--name', 'Nadia Staff', '--role', 'staff',
    '--password-stdin']]) {
    const r = spawnSync(bin, args, { env, input: `${PASSWORD}\n`, encoding: 'utf8' });
    assert.equal(r.status, 0, `rounds ${args[0]}: ${r.stderr}`);
  }
  const ready = path.join(dir, 'ready');
  server = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--ready-file', ready, '--threads', '1'],
    { env, stdio: 'ignore' });
  recordPid(server.pid, 'rounds');
  for (let i = 0; i < 300; i++) {
    const text = await readFile(ready, 'utf8').catch(() => '');
    if (text.trim()) return `http://${text.trim()}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the two-factor server wrote no ready file');
}

after(async () => {
  if (server) server.kill('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function press(page, button) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

async function check(page, label, shot) {
  const wide = await overflow(page);
  assert.ok(wide.scrollWidth <= wide.width, `${label}: nothing wider than ${wide.width}px: ${wide.wide.join(', ')}`);
  await checkAxe(page, label);
  if (shot) await screenshot(page, shot);
}

async function logIn(page) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  return press(page, page.getByRole('button', { name: 'Log in', exact: true }));
}

async function logOut(page) {
  await page.goto('/account');
  await openMenu(page);
  await press(page, page.getByRole('button', { name: 'Log out' }));
}

// The error summary at the top links to the code field, which keeps what was typed.
async function refusedWith(page, typed) {
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  assert.equal(await page.locator('a[href="#f-code"]').count(), 1, 'the summary links to the code field');
  assert.equal(await page.getByLabel(/Code/).inputValue(), typed);
}

test('staff set up two-factor sign-in and then log in with a code or a recovery code', { timeout: 240_000 },
  async () => {
    const base = await startServer();
    const context = await newContext({ baseURL: base, javaScriptEnabled: false, viewport: { width: 360, height: 780 } });
    try {
      const page = await context.newPage();
      // The password alone leads to enrolment, and nothing else opens.
      assert.equal(await logIn(page), 303);
      assert.equal(new URL(page.url()).pathname, '/account/two-factor');
      await page.getByText('Your role on Rounds requires two-factor sign-in').waitFor();
      await check(page, 'enrolment required', 'two-factor-enrol-360');
      await page.goto('/staff/audit');
      assert.equal(new URL(page.url()).pathname, '/account/two-factor');

      assert.equal(await press(page, page.getByRole('button', { name: 'Set up two-factor sign-in' })), 200);
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      const key = (await page.locator('#secret').textContent()).replace(/\s+/g, '');
      assert.match(key, /^[A-Z2-7]{32}$/);
      await check(page, 'setup', 'two-factor-setup-360');

      // Not a code at all: said so (not "wrong code"), next to the field and in the summary.
      await page.getByLabel('Code from the app').fill('12ab');
      assert.equal(await press(page, page.getByRole('button', { name: 'Turn on two-factor sign-in' })), 400);
      await refusedWith(page, '12ab');
      assert.deepEqual(await expectFieldErrors(page, ['f-code']),
        ['The code is the 6 digits your app shows, such as 123456.']);

      // A wrong first code: refused, the summary at the top, what was typed kept.
      const now = () => Date.now() / 1000;
      const wrong = String((Number(totp(key, now())) + 500000) % 1000000).padStart(6, '0');
      await page.getByLabel('Code from the app').fill(wrong);
      assert.equal(await press(page, page.getByRole('button', { name: 'Turn on two-factor sign-in' })), 400);
      await refusedWith(page, wrong);
      assert.equal(await page.locator('#secret').count(), 1, 'the QR code and key are still there');
      await check(page, 'setup refused', 'two-factor-setup-error-360');

      await page.getByLabel('Code from the app').fill(totp(key, now()));
      assert.equal(await press(page, page.getByRole('button', { name: 'Turn on two-factor sign-in' })), 200);
      const codes = await page.locator('.recovery-codes li').allTextContents();
      assert.equal(codes.length, 10);
      for (const c of codes) assert.match(c.trim(), /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
      await check(page, 'recovery codes', 'two-factor-codes-360');
      await page.goto('/staff/audit');
      assert.equal(new URL(page.url()).pathname, '/staff/audit', 'enrolled: staff pages open');

      // Next login: the code form; a wrong code, then the next step's code (this step's was used).
      await logOut(page);
      assert.equal(await logIn(page), 200);
      await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
      await check(page, 'code form', 'two-factor-login-360');
      await page.getByLabel(/Code/).fill('000000');
      assert.equal(await press(page, page.getByRole('button', { name: 'Log in' })), 401);
      await refusedWith(page, '000000');
      assert.deepEqual(await expectFieldErrors(page, ['f-code']),
        ['Wrong code. Type the newest code your app shows, or an unused recovery code.']);
      await page.getByLabel(/Code/).fill(totp(key, now() + 30));
      assert.equal(await press(page, page.getByRole('button', { name: 'Log in' })), 303);
      assert.equal(new URL(page.url()).pathname, '/account');

      // A recovery code signs in once.
      await logOut(page);
      await logIn(page);
      await page.getByLabel(/Code/).fill(codes[0].trim().toUpperCase());
      assert.equal(await press(page, page.getByRole('button', { name: 'Log in' })), 303);
      await logOut(page);
      await logIn(page);
      await page.getByLabel(/Code/).fill(codes[0].trim());
      assert.equal(await press(page, page.getByRole('button', { name: 'Log in' })), 401);

      // The status page at 1280 px: on, eight codes left, required (no "Turn off").
      await page.getByLabel(/Code/).fill(codes[1].trim());
      assert.equal(await press(page, page.getByRole('button', { name: 'Log in' })), 303);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto('/account/two-factor');
      await page.getByText('Two-factor sign-in is on.').waitFor();
      await page.getByText('8 unused recovery codes').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).count(), 0);
      await check(page, 'status', 'two-factor-status-1280');
    } finally {
      await context.close();
    }
  });
