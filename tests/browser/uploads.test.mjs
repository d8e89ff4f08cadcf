// uploads.test.mjs — a file over the upload limit (issue 12, item 6), as a
// person meets it with JavaScript off, at 1280 px and at a phone's 390 px:
//
//   the wallet's form says "at most 10 MB" and accepts PDF, PNG and JPEG; a
//   file a little over the limit comes back to the same form with everything
//   typed and the limit named in the error summary at the top (the page opens
//   there); a file far over it (refused before its bytes are read) leads
//   to Rounds' page naming the limit with a link back to the form, never to
//   a bare text page; nothing is stored. axe-core runs on each state.
//
// A form with several mistakes (no kind, an issue date in the future, an
// expiry before it; then a file that is not a PDF with a bad date; a new
// version with no file and an expiry before its issue) comes back with every
// mistake in the summary, each linked to its field and shown next to it,
// everything typed kept and the file asked for again.
//
// Screenshots: upload-too-large-<width>.png, upload-far-too-large-<width>.png,
// wallet-mistakes-360.png.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  PASSWORD, apiExpect, checkAxe, confirmedStudent, expectFieldErrors, newContext, overflow, screenshot,
} from './lib.mjs';

const MiB = 1024 * 1024;
let dir = null;

// A file of `bytes` that starts like a PDF, on disk (Playwright takes at most 50 MB from memory).
async function pdfOf(bytes, name) {
  if (dir === null) dir = await mkdtemp(path.join(os.tmpdir(), 'rounds-uploads-'));
  const data = Buffer.alloc(bytes, 0x20);
  data.write('%PDF-1.7\n');
  const file = path.join(dir, name);
  await writeFile(file, data);
  return file;
}
after(async () => { if (dir !== null) await rm(dir, { recursive: true, force: true }); });

async function press(page, button) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

// The error summary is on screen, has the focus and says text.
async function summarySays(page, text) {
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  const box = await summary.boundingBox();
  assert.ok(box && box.y >= 0 && box.y < page.viewportSize().height, `the error summary is on screen (y=${box && box.y})`);
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary');
  await summary.getByText(text).waitFor();
}

// The upload form as it must always be: the hint and the accepted types.
async function formIsWhole(form) {
  const file = form.getByLabel('File', { exact: true });
  assert.equal(await file.getAttribute('accept'), 'application/pdf,image/png,image/jpeg');
  await form.getByText('PDF, PNG or JPEG, at most 10 MB.').waitFor({ state: 'visible' });
  assert.equal(await form.getByRole('button', { name: 'Upload' }).count(), 1);
}

test('an upload over 10 MiB comes back to the form, naming the limit, at 1280 and 390 px', { timeout: 240_000 }, async () => {
  for (const width of [1280, 390]) {
    const student = await confirmedStudent('Upload Limit Tester');
    const context = await newContext({ javaScriptEnabled: false, viewport: { width, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('Email').fill(student.email);
      await page.getByLabel('Password').fill(PASSWORD);
      assert.equal(await press(page, page.getByRole('button', { name: 'Log in', exact: true })), 303);

      await page.goto('/wallet');
      let form = page.getByRole('region', { name: 'Upload a document' });
      await formIsWhole(form);

      // A little over the limit: everything typed is still there.
      await form.getByLabel('File', { exact: true }).setInputFiles(await pdfOf(10 * MiB + 300 * 1024, `over-${width}.pdf`));
      await form.getByLabel('Kind of document').selectOption('passport');
      await form.getByLabel('Issued on (optional)').fill('2024-03-01');
      await form.getByLabel('Expires on (optional)').fill('2034-02-28');
      assert.equal(await press(page, form.getByRole('button', { name: 'Upload' })), 413);
      assert.equal(new URL(page.url()).pathname, '/wallet');
      await summarySays(page, 'This file is larger than the limit of 10 MB');
      form = page.getByRole('region', { name: 'Upload a document' });
      await formIsWhole(form);
      assert.equal(await form.getByLabel('Kind of document').inputValue(), 'passport');
      assert.equal(await form.getByLabel('Issued on (optional)').inputValue(), '2024-03-01');
      assert.equal(await form.getByLabel('Expires on (optional)').inputValue(), '2034-02-28');
      // The summary's link leads to the file field.
      assert.equal(await page.locator('#error-summary a').first().getAttribute('href'), '#f-file');
      const wide = await overflow(page);
      assert.ok(wide.scrollWidth <= wide.width, `nothing wider than ${wide.width}px: ${wide.wide.join(', ')}`);
      await checkAxe(page, `an upload over the limit at ${width}px`);
      await screenshot(page, `upload-too-large-${width}.png`);

      // Far over every limit: refused before the bytes are read (the
      // connection closes), yet Rounds' page naming the limit with the way
      // back to the form, not a bare text page.
      await form.getByLabel('File', { exact: true }).setInputFiles(await pdfOf(30 * MiB, `far-${width}.pdf`));
      await form.getByLabel('Kind of document').selectOption('cv');
      assert.equal(await press(page, form.getByRole('button', { name: 'Upload' })), 413);
      await page.getByRole('heading', { level: 1, name: 'The file is too large' }).waitFor();
      await page.getByText('the file is larger than the limit of 10 MiB (10485760 bytes)').waitFor();
      await page.getByRole('navigation').first().waitFor();
      const far = await overflow(page);
      assert.ok(far.scrollWidth <= far.width, `nothing wider than ${far.width}px: ${far.wide.join(', ')}`);
      await checkAxe(page, `an upload far over the limit at ${width}px`);
      await screenshot(page, `upload-far-too-large-${width}.png`);
      await Promise.all([page.waitForURL((u) => u.pathname === '/wallet'),
        page.getByRole('link', { name: 'Back to the form' }).click()]);
      form = page.getByRole('region', { name: 'Upload a document' });
      await formIsWhole(form);

      // Nothing was stored, and a file within the limit still goes in from this form.
      assert.equal((await apiExpect(200, 'GET', '/api/v1/documents', { token: student.token })).items.length, 0);
      await form.getByLabel('File', { exact: true }).setInputFiles(await pdfOf(200 * 1024, `fine-${width}.pdf`));
      await form.getByLabel('Kind of document').selectOption('passport');
      assert.equal(await press(page, form.getByRole('button', { name: 'Upload' })), 303);
      assert.match(new URL(page.url()).pathname, /^\/wallet\/[^/]+$/);
      assert.equal((await apiExpect(200, 'GET', '/api/v1/documents', { token: student.token })).items.length, 1);
    } finally {
      await context.close();
    }
  }
});

test('the wallet\'s forms name every mistake at once and ask for the file again', { timeout: 120_000 }, async () => {
  const student = await confirmedStudent('Upload Mistakes Tester');
  const context = await newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(student.email);
    await page.getByLabel('Password').fill(PASSWORD);
    assert.equal(await press(page, page.getByRole('button', { name: 'Log in', exact: true })), 303);
    await page.goto('/wallet');
    let form = page.getByRole('region', { name: 'Upload a document' });
    const noValidate = () => page.locator('#upload form').evaluate((f) => { f.noValidate = true; });

    // No kind, issued in the future, expiring before that: three mistakes and the file to choose again.
    await form.getByLabel('File', { exact: true }).setInputFiles(await pdfOf(2048, 'mistakes.pdf'));
    await form.getByLabel('Issued on (optional)').fill('2099-05-01');
    await form.getByLabel('Expires on (optional)').fill('2098-05-01');
    await noValidate();
    assert.equal(await press(page, form.getByRole('button', { name: 'Upload' })), 400);
    const said = await expectFieldErrors(page, ['f-kind', 'f-issued_on', 'f-expires_on', 'f-file']);
    assert.equal(said[0], 'Choose what kind of document this is.');
    assert.match(said[1], /Issued on cannot be in the future/);
    assert.match(said[2], /Expires on cannot be before the issue date/);
    assert.match(said[3], /^Choose the file again/);
    // The kind's select is marked like the date inputs, not only in words.
    const border = (id) => page.$eval(`#${id}`, (el) => getComputedStyle(el).borderTopColor);
    assert.equal(await border('f-kind'), await border('f-issued_on'), 'the invalid select has the error border');
    form = page.getByRole('region', { name: 'Upload a document' });
    assert.equal(await form.getByLabel('Issued on (optional)').inputValue(), '2099-05-01', 'the issue date is kept');
    assert.equal(await form.getByLabel('Expires on (optional)').inputValue(), '2098-05-01', 'the expiry is kept');
    const wide = await overflow(page);
    assert.ok(wide.scrollWidth <= wide.width, `nothing wider than ${wide.width}px: ${wide.wide.join(', ')}`);
    await checkAxe(page, 'the wallet form with three mistakes');
    await screenshot(page, 'wallet-mistakes-360.png');

    // A file that is not a PDF and an issue date in the future: the file's own error, 415.
    await form.getByLabel('File', { exact: true }).setInputFiles({
      name: 'x.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!doctype html><p>not a pdf</p>'),
    });
    await form.getByLabel('Kind of document').selectOption('passport');
    await form.getByLabel('Expires on (optional)').fill('');
    await noValidate();
    assert.equal(await press(page, form.getByRole('button', { name: 'Upload' })), 415);
    const again = await expectFieldErrors(page, ['f-file', 'f-issued_on']);
    assert.match(again[0], /not a PDF, PNG or JPEG/);
    assert.equal(await form.getByLabel('Kind of document').inputValue(), 'passport', 'the kind is kept');

    // Corrected, it goes in.
    await form.getByLabel('File', { exact: true }).setInputFiles(await pdfOf(2048, 'mistakes.pdf'));
    await form.getByLabel('Issued on (optional)').fill('2024-05-01');
    assert.equal(await press(page, form.getByRole('button', { name: 'Upload' })), 303);
    assert.match(new URL(page.url()).pathname, /^\/wallet\/[^/]+$/);

    // A new version with no file and an expiry before its issue: both named, the dates kept.
    const replace = page.getByRole('region', { name: 'Upload a new version' });
    await replace.getByLabel('Issued on (optional)').fill('2025-03-01');
    await replace.getByLabel('Expires on (optional)').fill('2025-02-01');
    await page.locator('#replace form').evaluate((f) => { f.noValidate = true; });
    assert.equal(await press(page, replace.getByRole('button', { name: 'Upload new version' })), 400);
    const replaced = await expectFieldErrors(page, ['f-file', 'f-expires_on']);
    assert.equal(replaced[0], 'Choose the file to upload.');
    assert.equal(await replace.getByLabel('Issued on (optional)').inputValue(), '2025-03-01');
    assert.equal(await replace.getByLabel('Expires on (optional)').inputValue(), '2025-02-01');
    assert.equal((await apiExpect(200, 'GET', '/api/v1/documents', { token: student.token })).items.length, 1);
  } finally {
    await context.close();
  }
});
