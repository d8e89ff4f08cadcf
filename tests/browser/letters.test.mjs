// letters.test.mjs — letters of recommendation and Match readiness in a real
// browser with JavaScript disabled:
//
//   a fresh student registers → /readiness shows letters missing (0 of 3) →
//   on /letters they ask an author by name and email, waiving the right to
//   see the letter (the waiver has no default) → the invitation email (a file
//   in the server's maildir, MAIL_DIR from run.sh) holds the link → the author,
//   in a browser context that is not signed in, opens it, accepts, and uploads
//   a small generated PDF with a marker string → the student sees "Uploaded"
//   on /letters and on the letter's page with no link to the file and not the
//   marker, and GET /letters/{id}/file answers 403 "This letter is
//   confidential" → /readiness shows 1 of 3 letters → the invitation link,
//   opened again, says it has already been used (410).
//
// Screenshots (in SCREENSHOT_DIR): letters.png, invitation.png,
// letter-uploaded.png, readiness.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { newContext, screenshot } from './lib.mjs';

const MAIL_DIR = process.env.MAIL_DIR;
const STUDENT_NAME = 'Leila Haddad';
const PASSWORD = 'quiet-harbor-lantern-58';
const STAMP = `${Date.now()}-${process.pid}`;
const STUDENT_EMAIL = `letters-student-${STAMP}@example.org`;
const AUTHOR_NAME = 'Dr. Maria Alvarez';
const AUTHOR_EMAIL = `letters-author-${STAMP}@example.org`;
const MARKER = `CONFIDENTIAL-MARKER-${STAMP}`;

const pathOf = (page) => new URL(page.url()).pathname;

// Clicks a button and waits for the POST it sends and the page it lands on.
// Returns the POST's status (303 for a redirect, else the page's own status).
async function press(page, button, landing) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  if (landing) await page.waitForURL(landing);
  await page.waitForLoadState('load');
  return status;
}

// A one-page PDF whose text is `text`, with a correct cross-reference table.
function makePdf(text) {
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R '
      + '/Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

// The invitation link mailed to `to`: waits for the jobs thread to write the
// mail into MAIL_DIR/new (it sends the outbox every second).
async function invitationLink(to) {
  const dir = path.join(MAIL_DIR, 'new');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const names = await readdir(dir).catch(() => []);
    for (const name of names) {
      const mail = await readFile(path.join(dir, name), 'utf8').catch(() => '');
      if (!new RegExp(`^To: .*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(mail)) continue;
      const m = mail.match(/https?:\/\/[^\s]+\/invitations\/letters\/[A-Za-z0-9_-]+/);
      assert.ok(m, `the mail to ${to} holds an invitation link`);
      return { link: new URL(m[0]).pathname, mail };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`no mail to ${to} in ${dir} within 20 s`);
}

// The readiness picture's description ("Letters of recommendation: 0 of 3 · Missing; …").
async function pictureText(page) {
  const svg = page.getByRole('img', { name: /Match readiness/ });
  await svg.waitFor();
  return (await svg.locator('desc').textContent()).trim();
}

test('request → the author uploads through the link → confidential to the student → readiness rises',
  { timeout: 180_000 }, async () => {
    assert.ok(MAIL_DIR, 'MAIL_DIR is set (tests/browser/run.sh exports the server\'s maildir)');
    const studentContext = await newContext({ javaScriptEnabled: false });
    const authorContext = await newContext({ javaScriptEnabled: false });
    try {
      const s = await studentContext.newPage();

      // A fresh student.
      await s.goto('/register');
      await s.getByLabel('Full name').fill(STUDENT_NAME);
      await s.getByLabel('Email').fill(STUDENT_EMAIL);
      await s.getByLabel('Password').fill(PASSWORD);
      assert.equal(await press(s, s.getByRole('button', { name: 'Create account' }),
        (u) => u.pathname === '/account'), 303, 'POST /register answers 303');

      // Readiness before: no letter yet.
      const before = await s.goto('/readiness');
      assert.equal(before.status(), 200, 'GET /readiness');
      assert.match(await pictureText(s), /Letters of recommendation: 0 of 3 · Missing/);
      const lettersRow = () => s.getByRole('row', { name: /Letters of recommendation/ });
      await lettersRow().getByText('Missing', { exact: true }).waitFor();
      await lettersRow().getByRole('link', { name: 'Request a letter' }).waitFor();

      // Ask for a letter by name and email, waiving the right to see it.
      await s.goto('/letters');
      const form = s.getByRole('region', { name: 'Ask for a letter' });
      const waive = form.getByRole('radio', { name: 'I waive my right to see this letter' });
      const keep = form.getByRole('radio', { name: 'I do not waive my right to see this letter' });
      assert.equal(await waive.isChecked(), false, 'the waiver has no default');
      assert.equal(await keep.isChecked(), false, 'the waiver has no default');
      // Without the waiver's answer (the browser's own check is off here, as in an old
      // browser): the page opens at an error summary linked to the waiver, and keeps
      // what was typed.
      // Three mistakes at once — an email that is not one, an ERAS Letter ID with spaces,
      // no waiver: the summary names every one, each linked to its field.
      await form.getByLabel("Author's name").fill(AUTHOR_NAME);
      await form.getByLabel("Author's email").fill('not-an-email');
      await form.getByLabel('ERAS Letter ID (optional)').fill('bad id!');
      await s.locator('form[action="/letters"]').evaluate((f) => { f.noValidate = true; });
      assert.equal(await press(s, form.getByRole('button', { name: 'Send the request' }), (u) => u.pathname === '/letters'),
        400, 'POST /letters with three mistakes answers 400');
      const summary = s.locator('#error-summary');
      await summary.waitFor();
      assert.deepEqual(await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
        ['#f-author_email', '#f-waived', '#f-eras_letter_id'], 'every mistake is in the summary, in the form\'s order');
      for (const id of ['f-author_email', 'f-waived', 'f-eras_letter_id'])
        assert.equal(await s.locator(`#${id}`).count(), 1, `the summary's link #${id} leads to a field`);
      assert.equal(await form.getByLabel("Author's name").inputValue(), AUTHOR_NAME, 'the name is kept');
      assert.equal(await form.getByLabel("Author's email").inputValue(), 'not-an-email', 'the email is kept');
      assert.equal(await form.getByLabel('ERAS Letter ID (optional)').inputValue(), 'bad id!', 'the ERAS ID is kept');
      await screenshot(s, 'letters-request-errors.png');
      // Fixed but the waiver: the summary names only the waiver.
      await form.getByLabel("Author's email").fill(AUTHOR_EMAIL);
      await form.getByLabel('ERAS Letter ID (optional)').fill('');
      await s.locator('form[action="/letters"]').evaluate((f) => { f.noValidate = true; });
      assert.equal(await press(s, form.getByRole('button', { name: 'Send the request' }), (u) => u.pathname === '/letters'),
        400, 'POST /letters without the waiver answers 400');
      assert.deepEqual(await s.locator('#error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
        ['#f-waived'], 'the error summary links to the waiver');
      assert.equal(await form.getByLabel("Author's email").inputValue(), AUTHOR_EMAIL, 'the email is kept');
      await waive.check();
      assert.equal(await press(s, form.getByRole('button', { name: 'Send the request' }),
        (u) => /^\/letters\/[^/]+$/.test(u.pathname)), 303, 'POST /letters answers 303 to the letter');
      const letterPath = pathOf(s);
      await s.getByRole('status').filter({ hasText: 'Your request is sent' }).waitFor();
      assert.equal((await s.locator('.current-status .status').textContent()).trim(), 'Requested');

      await s.goto('/letters');
      const mine = s.getByRole('region', { name: 'Your letter requests' });
      const myRow = mine.getByRole('row').filter({ hasText: AUTHOR_NAME });
      assert.equal(await myRow.count(), 1, 'the request is listed once');
      await myRow.getByText('Requested', { exact: true }).waitFor();
      await myRow.getByText('Confidential — you waived the right to see it').waitFor();
      await screenshot(s, 'letters.png');

      // The invitation email, and the author's page without an account.
      const { link, mail } = await invitationLink(AUTHOR_EMAIL);
      assert.match(mail, new RegExp(STUDENT_NAME), 'the mail names the student');
      const a = await authorContext.newPage();
      const opened = await a.goto(link);
      assert.equal(opened.status(), 200, 'GET the invitation link');
      await a.getByRole('heading', { level: 1, name: `${STUDENT_NAME} asks you for a letter` }).waitFor();
      await a.getByText('waived the right to see this letter').first().waitFor();
      await screenshot(a, 'invitation.png');
      assert.equal(await press(a, a.getByRole('button', { name: 'Accept the request' }),
        (u) => u.pathname === link), 303, 'POST accept answers 303');
      await a.getByRole('status').filter({ hasText: 'You accepted' }).waitFor();
      await a.getByLabel('Letter file (PDF)')
        .setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: makePdf(MARKER) });
      assert.equal(await press(a, a.getByRole('button', { name: 'Upload the letter' }),
        (u) => u.pathname === link), 303, 'POST upload answers 303');
      await a.getByRole('heading', { level: 1, name: /Thank you/ }).waitFor();

      // The student sees "Uploaded", never the letter.
      await s.goto('/letters');
      const uploadedRow = s.getByRole('region', { name: 'Your letter requests' })
        .getByRole('row').filter({ hasText: AUTHOR_NAME });
      await uploadedRow.getByText('Uploaded', { exact: true }).waitFor();
      await s.goto(letterPath);
      assert.equal((await s.locator('.current-status .status').textContent()).trim(), 'Uploaded');
      assert.equal(await s.locator('a[href$="/file"]').count(), 0, 'no link to the waived letter\'s file');
      assert.equal(await s.getByRole('link', { name: /download/i }).count(), 0, 'no download link');
      assert.ok(!(await s.content()).includes(MARKER), 'the letter page never holds the letter\'s content');
      await s.getByText('It is confidential').waitFor();
      await screenshot(s, 'letter-uploaded.png');

      const file = await s.request.get(`${letterPath}/file`, { maxRedirects: 0 });
      assert.equal(file.status(), 403, 'GET /letters/{id}/file as the student answers 403');
      const body = await file.text();
      assert.match(body, /This letter is confidential/);
      assert.ok(!body.includes(MARKER) && !body.includes('%PDF'), 'the 403 carries nothing of the letter');

      // Readiness rose: 1 of 3 letters.
      await s.goto('/readiness');
      assert.match(await pictureText(s), /Letters of recommendation: 1 of 3 · In progress/);
      await lettersRow().getByText('In progress', { exact: true }).waitFor();
      await lettersRow().getByText(/^1 of 3 uploaded/).waitFor();
      await screenshot(s, 'readiness.png');

      // The link is used up.
      const again = await a.goto(link);
      assert.equal(again.status(), 410, 'the used invitation link answers 410');
      await a.getByRole('heading', { level: 1, name: 'This invitation link has already been used' }).waitFor();

      // Staff pages stay staff's.
      const staffOnly = await s.goto('/staff/letters');
      assert.equal(staffOnly.status(), 404, 'a student gets 404 for /staff/letters');
    } finally {
      await studentContext.close();
      await authorContext.close();
    }
  });
