// preceptors.test.mjs — a preceptor links their own account to their record,
// in a real browser with JavaScript disabled:
//
//   the demo host coordinator (through the API) registers a preceptor record
//   and invites it → the invitation email (a file in the server's maildir)
//   holds the link → signed out, the page names the host and the record and
//   asks to log in first → the doctor registers, opens the link again, sees
//   whom they are signed in as, and links their account → "Your account is
//   linked" → the link, opened again, says it has been used (410).
//
// Screenshots (in SCREENSHOT_DIR): preceptor-invitation.png,
// preceptor-invitation-signed-out.png, preceptor-linked.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BASE_URL, newContext, screenshot } from './lib.mjs';

const MAIL_DIR = process.env.MAIL_DIR;
const STAMP = `${Date.now()}-${process.pid}`;
const RECORD_EMAIL = `preceptor-record-${STAMP}@example.org`;
const DOCTOR_EMAIL = `preceptor-doctor-${STAMP}@example.org`;
const PASSWORD = 'amber-meadow-compass-47';

// A valid NPI: Luhn over 80840 and the first nine digits.
function npi() {
  const stem = `1${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  let sum = 24;
  for (let i = 8; i >= 0; i--) {
    let d = Number(stem[i]);
    if ((8 - i) % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return stem + String((10 - (sum % 10)) % 10);
}

async function api(method, route, token, body) {
  const response = await fetch(`${BASE_URL}${route}`, {
    method,
    headers: { connection: 'close', 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

// The invitation link mailed to `to` (the jobs thread sends the outbox every second).
async function invitationLink(to) {
  const dir = path.join(MAIL_DIR, 'new');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const names = await readdir(dir).catch(() => []);
    for (const name of names) {
      const mail = await readFile(path.join(dir, name), 'utf8').catch(() => '');
      if (!mail.includes(`To: ${to}`)) continue;
      const m = mail.match(/https?:\/\/[^\s]+\/invitations\/preceptors\/[A-Za-z0-9_-]+/);
      assert.ok(m, `the mail to ${to} holds an invitation link`);
      return new URL(m[0]).pathname;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`no mail to ${to} in ${dir} within 20 s`);
}

test('a preceptor accepts the invitation signed in to their own account', { timeout: 120_000 }, async () => {
  assert.ok(MAIL_DIR, 'MAIL_DIR is set (tests/browser/run.sh exports the server\'s maildir)');
  const login = await api('POST', '/api/v1/auth/login', null, { email: 'host@rounds.test', password: 'rounds-demo-2026' });
  assert.equal(login.status, 200, 'the demo host coordinator logs in');
  const token = login.json.token;
  const record = await api('POST', '/api/v1/preceptors', token, {
    organization_id: 'org_demo_host', name: 'Dr. Helena Sørensen', email: RECORD_EMAIL, npi: npi(),
    specialty: 'internal-medicine', license_state: 'NY', license_number: 'LIC-4410',
  });
  assert.equal(record.status, 201, 'the record is registered');
  const invited = await api('POST', `/api/v1/preceptors/${record.json.id}/invitations`, token, {});
  assert.equal(invited.status, 201, 'the invitation is sent');
  const link = await invitationLink(RECORD_EMAIL);

  const context = await newContext({ javaScriptEnabled: false });
  try {
    const p = await context.newPage();
    const signedOut = await p.goto(link);
    assert.equal(signedOut.status(), 200, 'GET the invitation link signed out');
    await p.getByRole('heading', { level: 1, name: 'Link your account to your preceptor profile' }).waitFor();
    await p.getByText('Lakeside Community Hospital').waitFor();
    await p.getByText('Dr. Helena Sørensen').waitFor();
    const loginLink = p.getByRole('link', { name: 'Log in' }).last();
    assert.match(await loginLink.getAttribute('href'), /^\/login\?next=%2Finvitations%2Fpreceptors%2F/);
    assert.equal(await p.getByRole('button', { name: 'Link my account' }).count(), 0, 'no button signed out');
    await screenshot(p, 'preceptor-invitation-signed-out.png');

    // The doctor makes an account, then comes back to the link.
    await p.goto('/register');
    await p.getByLabel('Full name').fill('Helena Sørensen');
    await p.getByLabel('Email').fill(DOCTOR_EMAIL);
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Create account' }).click();
    await p.waitForURL((u) => u.pathname === '/account');
    const opened = await p.goto(link);
    assert.equal(opened.status(), 200, 'GET the invitation link signed in');
    await p.getByText(DOCTOR_EMAIL).waitFor();
    await screenshot(p, 'preceptor-invitation.png');
    const posted = p.waitForResponse((r) => r.request().method() === 'POST');
    await p.getByRole('button', { name: 'Link my account' }).click();
    assert.equal((await posted).status(), 200, 'POST accept');
    await p.getByRole('heading', { level: 1, name: 'Your account is linked' }).waitFor();
    await screenshot(p, 'preceptor-linked.png');

    const again = await p.goto(link);
    assert.equal(again.status(), 410, 'the used link answers 410');
    await p.getByRole('heading', { level: 1, name: 'This invitation link has already been used' }).waitFor();
  } finally {
    await context.close();
  }
});
