// privacy.test.mjs — "Download your data" (issue 18, item 5) as a student
// meets it with JavaScript off on a 360 px phone: the account page offers the
// export, the link downloads a zip whose rounds-export.json names the student.
// axe-core and the width on the account page.
//
// Screenshot: privacy-account-360.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { PASSWORD, checkAxe, confirmedStudent, newContext, overflow, screenshot } from './lib.mjs';

test('a student downloads everything Rounds holds about them', { timeout: 120_000 }, async () => {
  const student = await confirmedStudent('Imani Export', 'export');
  const context = await newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 }, acceptDownloads: true });
  try {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(student.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname === '/account'),
      page.getByRole('button', { name: 'Log in', exact: true }).click()]);
    await page.getByRole('heading', { name: 'Your data' }).waitFor();
    const wide = await overflow(page);
    assert.ok(wide.scrollWidth <= wide.width, `nothing wider than ${wide.width}px: ${wide.wide.join(', ')}`);
    await checkAxe(page, 'account with the export');
    await screenshot(page, 'privacy-account-360');
    const [download] = await Promise.all([page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download your data' }).click()]);
    assert.match(download.suggestedFilename(), /^rounds-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'a zip archive');
    const text = bytes.toString('latin1');
    assert.ok(text.includes('rounds-export.json'), 'the archive holds rounds-export.json');
    assert.ok(text.includes(student.email), 'the JSON (stored, not compressed) names the student');
  } finally {
    await context.close();
  }
});
