// forms.test.mjs — what issue 12 found in the forms and journeys, each as a
// person meets it (JavaScript off, at 1280 px and at a phone's 390 px where
// the layout matters):
//
//   login returns to the page that sent you (never to another site); the
//   profile form keeps everything typed when one field is wrong and names the
//   allowed range; errors (applying twice, a wrong file type) are summarised at
//   the top and the page opens there; the offering page tells one truth about
//   the application fee; "Clear to start" before the documents are in leads to
//   the checklist in plain words with a way back; a held seat is "released",
//   not a "booking" cancelled; the Apply form with no start date and a
//   statement too long names both at once, keeping the statement and the
//   documents ticked. axe-core runs on each page state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, PASSWORD, api, apiExpect, apiLogin, checkAxe, confirmedStudent, expectFieldErrors, newContext,
  overflow, screenshot,
} from './lib.mjs';

const HOST_NAME = 'Lakeside Community Hospital';
const DAY = 86_400_000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const PROFILE = { status: 'graduate', graduation_year: 2023, visa_kind: 'b1_b2', step1: 'passed', english_proof: 'oet' };

async function press(page, button) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

async function browse(width = 1280) {
  const context = await newContext({ javaScriptEnabled: false, viewport: { width, height: 800 } });
  return { context, page: await context.newPage() };
}

async function logIn(page, email) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  return press(page, page.getByRole('button', { name: 'Log in', exact: true }));
}

// The error summary is on screen (inside the viewport) and has the focus.
async function summaryInView(page) {
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  const box = await summary.boundingBox();
  const height = page.viewportSize().height;
  assert.ok(box && box.y >= 0 && box.y < height, `the error summary is on screen (y=${box && box.y}, viewport ${height})`);
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary',
    'the page opens with the focus on the error summary');
  return summary;
}

// The page opens with the notice (role="status") on screen, above everything else in the main content.
async function noticeInView(page, text) {
  const notice = page.getByRole('status').filter({ hasText: text });
  await notice.waitFor();
  const box = await notice.boundingBox();
  const height = page.viewportSize().height;
  assert.ok(box && box.y >= 0 && box.y + box.height <= height,
    `the notice is on screen without scrolling (y=${box && box.y}, viewport ${height})`);
  const heading = await page.getByRole('heading', { level: 1 }).first().boundingBox();
  assert.ok(heading && box.y < heading.y, 'the notice comes before the page heading');
}

// A Lakeside rotation open to the given student with an application fee: { id, title, fee }.
async function lakesideWithFee(token) {
  const found = await apiExpect(200, 'GET', '/api/v1/offerings?q=Lakeside&eligible=me&limit=50', { token });
  for (const o of found.items.filter((x) => x.host && x.host.name === HOST_NAME)) {
    const full = await apiExpect(200, 'GET', `/api/v1/offerings/${o.id}`);
    if (full.application_fee_cents > 0) return { id: o.id, title: o.title, weeks: o.weeks, fee: full.application_fee_cents };
  }
  assert.fail('no Lakeside rotation with an application fee');
}

async function newBlock(offering, daysAhead = 30) {
  const host = await apiLogin('host@rounds.test');
  const start = Date.now() + daysAhead * DAY;
  return apiExpect(201, 'POST', `/api/v1/offerings/${offering.id}/blocks`, {
    token: host, body: { start: isoDate(start), end: isoDate(start + (offering.weeks * 7 - 1) * DAY), seats: 3 },
  });
}

test('login returns to the page that sent you, and only to this site', { timeout: 90_000 }, async () => {
  const student = await confirmedStudent('Return Tester');
  await apiExpect(200, 'PATCH', '/api/v1/me', { token: student.token, body: PROFILE });
  const offering = await lakesideWithFee(student.token);
  const { context, page } = await browse();
  try {
    // "Log in to apply" on an offering comes back to its Apply form.
    await page.goto(`/offerings/${offering.id}`);
    await page.getByRole('link', { name: 'Log in to apply' }).click();
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === `/offerings/${offering.id}#apply`);
    assert.equal(await logIn(page, student.email), 303);
    await page.waitForURL((u) => u.pathname === `/offerings/${offering.id}`);
    assert.equal(new URL(page.url()).hash, '#apply');
    await page.getByRole('region', { name: 'Apply for this rotation' }).getByRole('button', { name: 'Apply' }).waitFor();
    await checkAxe(page, 'offering after login');
  } finally {
    await context.close();
  }
  // A link from an email to a page that needs a session: the page after login.
  const second = await browse();
  try {
    const res = await second.page.goto('/notifications');
    assert.equal(new URL(second.page.url()).pathname, '/login');
    assert.equal(new URL(second.page.url()).searchParams.get('next'), '/notifications');
    assert.equal(res.status(), 200);
    await logIn(second.page, student.email);
    await second.page.waitForURL((u) => u.pathname === '/notifications');
  } finally {
    await second.context.close();
  }
  // Never to another site: //evil.example, https://… and \\evil go to the account page.
  for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
    const third = await browse();
    try {
      await third.page.goto(`/login?next=${encodeURIComponent(next)}`);
      await logIn(third.page, student.email);
      await third.page.waitForURL((u) => u.pathname === '/account');
      assert.equal(new URL(third.page.url()).origin, new URL(await third.page.evaluate(() => location.href)).origin);
    } finally {
      await third.context.close();
    }
  }
});

test('a wrong graduation year keeps everything typed and names the range', { timeout: 90_000 }, async () => {
  for (const width of [1280, 360]) {
    const student = await confirmedStudent('Profile Tester');
    const { context, page } = await browse(width);
    try {
      await page.goto('/login');
      await logIn(page, student.email);
      await page.goto('/account');
      await page.getByLabel('Medical school').fill('University of Lagos College of Medicine');
      await page.getByLabel('Country').fill('Nigeria');
      await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Graduate' });
      await page.getByLabel('Graduation year').fill('1900');
      await page.getByLabel('Visa', { exact: true }).selectOption({ label: 'J-1 exchange visitor' });
      await page.getByLabel('USMLE Step 1').selectOption({ label: 'Passed' });
      await page.getByLabel('USMLE Step 2 CK score').fill('245');
      await page.getByLabel('ECFMG certification').selectOption({ label: 'In progress' });
      await page.getByLabel('English proficiency').selectOption({ label: 'OET Medicine' });
      assert.equal(await press(page, page.getByRole('button', { name: 'Save profile' })), 400);
      const summary = await summaryInView(page);
      await summary.getByRole('link', { name: /Graduation year must be a whole number between 1950 and 2035/ }).waitFor();
      assert.equal(await page.getByLabel('Medical school').inputValue(), 'University of Lagos College of Medicine');
      assert.equal(await page.getByLabel('Country').inputValue(), 'Nigeria');
      assert.equal(await page.getByLabel('Status', { exact: true }).inputValue(), 'graduate');
      assert.equal(await page.getByLabel('Graduation year').inputValue(), '1900');
      assert.equal(await page.getByLabel('Visa', { exact: true }).inputValue(), 'j1');
      assert.equal(await page.getByLabel('USMLE Step 1').inputValue(), 'passed');
      assert.equal(await page.getByLabel('USMLE Step 2 CK score').inputValue(), '245');
      assert.equal(await page.getByLabel('ECFMG certification').inputValue(), 'in_progress');
      assert.equal(await page.getByLabel('English proficiency').inputValue(), 'oet');
      await page.getByText('Between 1950 and 2035.', { exact: true }).waitFor();
      // Nothing was saved.
      const me = await apiExpect(200, 'GET', '/api/v1/me', { token: student.token });
      assert.equal(me.profile.school ?? null, null, 'the refused form saved nothing');
      await checkAxe(page, `profile with an error at ${width}px`);
      await screenshot(page, `profile-error-${width}.png`);
      // Correcting the one field saves everything typed: 303 to the account page, whose
      // notice is the first thing on screen (even on a phone, where the form ends far below).
      await page.getByLabel('Graduation year').fill('2021');
      assert.equal(await press(page, page.getByRole('button', { name: 'Save profile' })), 303);
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/account?saved=profile');
      await noticeInView(page, 'Profile saved.');
      await screenshot(page, `profile-saved-${width}.png`);
      const saved = await apiExpect(200, 'GET', '/api/v1/me', { token: student.token });
      assert.equal(saved.profile.school, 'University of Lagos College of Medicine');
      assert.equal(saved.profile.graduation_year, 2021);
      assert.equal(saved.profile.step2ck_score, 245);
      // Readiness says where the ECFMG certification stands in words that add to its state.
      await page.goto('/readiness');
      const ecfmg = page.getByRole('row', { name: /^ECFMG certification/ });
      assert.equal((await ecfmg.locator('td[data-label="State"]').textContent()).trim(), 'In progress');
      assert.equal((await ecfmg.locator('td[data-label="Progress"]').textContent()).trim(), 'Started, not certified yet');
      // A page to go back to that is not on this site is ignored: no link back, and saving stays here.
      await page.goto('/account?next=%2F%2Fevil.example%2Fx');
      assert.equal(await page.getByRole('link', { name: 'Back without saving' }).count(), 0);
      await page.evaluate(() => {
        const input = Object.assign(document.createElement('input'), { type: 'hidden', name: 'next', value: 'https://evil.example/' });
        document.querySelector('#profile form').append(input);
      });
      assert.equal(await press(page, page.getByRole('button', { name: 'Save profile' })), 303);
      await noticeInView(page, 'Profile saved.');
      assert.equal(new URL(page.url()).pathname, '/account');
    } finally {
      await context.close();
    }
  }
});

test('applying twice and a wrong file type: the error summary is on screen', { timeout: 120_000 }, async () => {
  for (const width of [1280, 390]) {
    const student = await confirmedStudent('Summary Tester');
    await apiExpect(200, 'PATCH', '/api/v1/me', { token: student.token, body: PROFILE });
    const offering = await lakesideWithFee(student.token);
    const block = await newBlock(offering, 40 + (width === 390 ? 3 : 0));
    await apiExpect(201, 'POST', '/api/v1/applications', { token: student.token, body: { block_id: block.id } });
    const { context, page } = await browse(width);
    try {
      await page.goto('/login');
      await logIn(page, student.email);
      await page.goto(`/offerings/${offering.id}`);
      const apply = page.getByRole('region', { name: 'Apply for this rotation' });
      await apply.locator(`input[type=radio][value="${block.id}"]`).check();
      assert.equal(await press(page, apply.getByRole('button', { name: 'Apply', exact: true })), 422);
      const summary = await summaryInView(page);
      await summary.getByText('already applied for this start date').waitFor();
      await checkAxe(page, `applying twice at ${width}px`);
      await screenshot(page, `apply-twice-${width}.png`);

      await page.goto('/wallet');
      const form = page.getByRole('region', { name: 'Upload a document' });
      await form.getByLabel('File', { exact: true }).setInputFiles({
        name: 'x.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!doctype html><p>not a pdf</p>'),
      });
      await form.getByLabel('Kind of document').selectOption('passport');
      await form.getByLabel('Issued on (optional)').fill('2024-03-01');
      assert.equal(await press(page, form.getByRole('button', { name: 'Upload', exact: true })), 415);
      const refused = await summaryInView(page);
      await refused.getByRole('link', { name: /not a PDF, PNG or JPEG/ }).waitFor();
      assert.equal(await form.getByLabel('Kind of document').inputValue(), 'passport', 'the kind is kept');
      assert.equal(await form.getByLabel('Issued on (optional)').inputValue(), '2024-03-01', 'the date is kept');
      await checkAxe(page, `wallet refusal at ${width}px`);
      await screenshot(page, `wallet-refused-${width}.png`);
    } finally {
      await context.close();
    }
  }
});

test('the Apply form names every mistake at once and keeps what was typed', { timeout: 120_000 }, async () => {
  const student = await confirmedStudent('Apply Mistakes Tester');
  await apiExpect(200, 'PATCH', '/api/v1/me', { token: student.token, body: PROFILE });
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1');
  const form = new FormData();
  form.append('kind', 'cv');
  form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'cv.pdf');
  const uploaded = await fetch(`${BASE_URL}/api/v1/documents`,
    { method: 'POST', headers: { authorization: `Bearer ${student.token}` }, body: form });
  assert.equal(uploaded.status, 201, 'the CV is in the wallet');
  const offering = await lakesideWithFee(student.token);
  const block = await newBlock(offering, 47);
  const { context, page } = await browse(360);
  try {
    await page.goto('/login');
    await logIn(page, student.email);
    await page.goto(`/offerings/${offering.id}`);
    const apply = page.getByRole('region', { name: 'Apply for this rotation' });
    const statement = 'x'.repeat(5001); // STATEMENT_MAX_CHARS is 5000
    await page.locator('#apply form').evaluate((f) => {
      f.noValidate = true;
      f.querySelector('textarea').removeAttribute('maxlength');
      for (const r of f.querySelectorAll('input[type=radio]')) r.checked = false;
    });
    await apply.getByLabel('Your statement (optional)').fill(statement);
    await apply.getByRole('checkbox').first().check();
    assert.equal(await press(page, apply.getByRole('button', { name: 'Apply', exact: true })), 422);
    const said = await expectFieldErrors(page, ['f-block_id', 'f-statement']);
    assert.equal(said[0], 'Choose a start date.');
    assert.equal(said[1], 'Shorten your statement to at most 5000 characters of plain text.');
    assert.equal((await apply.getByLabel('Your statement (optional)').inputValue()).length, statement.length,
      'the statement is kept');
    assert.ok(await apply.getByRole('checkbox').first().isChecked(), 'the document ticked is still ticked');
    const wide = await overflow(page);
    assert.ok(wide.scrollWidth <= wide.width, `nothing wider than ${wide.width}px: ${wide.wide.join(', ')}`);
    await checkAxe(page, 'the Apply form with two mistakes');
    await screenshot(page, 'apply-mistakes-360.png');

    await apply.locator(`input[type=radio][value="${block.id}"]`).check();
    await apply.getByLabel('Your statement (optional)').fill('Ready to learn.');
    assert.equal(await press(page, apply.getByRole('button', { name: 'Apply', exact: true })), 303);
    assert.match(new URL(page.url()).pathname, /^\/applications\/[^/]+$/);
  } finally {
    await context.close();
  }
});

test('one truth about the fee; clearing too early shows the checklist; a held seat is released', { timeout: 120_000 }, async () => {
  const student = await confirmedStudent('Truth Tester');
  await apiExpect(200, 'PATCH', '/api/v1/me', { token: student.token, body: PROFILE });
  const offering = await lakesideWithFee(student.token);
  const visitor = await browse();
  const host = await browse();
  try {
    // The offering page: the fee listed and the words under Apply agree.
    await visitor.page.goto('/login');
    await logIn(visitor.page, student.email);
    await visitor.page.goto(`/offerings/${offering.id}`);
    const applyArea = visitor.page.getByRole('region', { name: 'Apply for this rotation' });
    assert.equal(await visitor.page.getByText('Applying is free').count(), 0, 'no "Applying is free" with a fee');
    const dollars = offering.fee % 100 === 0 ? `$${offering.fee / 100}` : `$${(offering.fee / 100).toFixed(2)}`;
    await applyArea.getByText(`Applying costs the application fee of ${dollars}`).waitFor();
    await visitor.page.getByRole('region', { name: 'Full price' }).getByText(dollars).first().waitFor();

    // A held seat: the host releases it; there is no booking to cancel yet.
    const block = await newBlock(offering, 50);
    const hostToken = await apiLogin('host@rounds.test');
    const a = await apiExpect(201, 'POST', '/api/v1/applications', { token: student.token, body: { block_id: block.id } });
    await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/offer`, { token: hostToken, body: {} });
    await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/accept`, { token: student.token, body: {} });
    const h = host.page;
    await h.goto('/login');
    await logIn(h, 'host@rounds.test');
    await h.goto(`/applications/${a.id}`);
    const actions = h.getByRole('region', { name: 'What you can do now' });
    assert.equal(await actions.getByRole('button', { name: 'Cancel the booking' }).count(), 0,
      'no "Cancel the booking" before there is a booking');
    await actions.getByRole('button', { name: 'Release the held seat' }).waitFor();

    // Booked, nothing uploaded: no "Clear to start" that could only be refused; the page
    // says what is left and links to the checklist.
    await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/book`, { token: await apiLogin('staff@rounds.test'), body: {} });
    await h.goto(`/applications/${a.id}`);
    await actions.getByRole('button', { name: 'Cancel the booking' }).waitFor();
    assert.equal(await actions.getByRole('button', { name: 'Clear to start' }).count(), 0,
      'no "Clear to start" before the checklist is complete');
    await actions.getByText(/cleared to start once the onboarding checklist is complete: 0 of \d+ requirements met/).waitFor();
    await actions.getByRole('link', { name: 'See the checklist' }).waitFor();
    // A page from before (or another tab) that still posts it: the checklist, in words, with the way back.
    await h.locator('form.application-actions').evaluate((f, id) => {
      const b = document.createElement('button');
      b.type = 'submit'; b.textContent = 'Clear to start'; b.setAttribute('formaction', `/applications/${id}/clear`);
      f.querySelector('.actions').appendChild(b);
    }, a.id);
    assert.equal(await press(h, actions.getByRole('button', { name: 'Clear to start' })), 409);
    await h.getByRole('alert').filter({ hasText: 'cannot be cleared yet' }).waitFor();
    await h.getByRole('region', { name: 'Requirements' }).getByText('Missing').first().waitFor();
    const text = await h.locator('main').innerText();
    assert.doesNotMatch(text, /\bpending\b/, 'no internal state names on the page');
    await h.getByRole('link', { name: 'Back to the application' }).click();
    await h.waitForURL((u) => u.pathname === `/applications/${a.id}`);
    // The API says it in words too.
    const refused = await api('POST', `/api/v1/applications/${a.id}/clear`, { token: hostToken, body: {} });
    assert.equal(refused.status, 409);
    assert.equal(refused.json.code, 'not_compliant');
    assert.match(refused.json.detail, /: missing/);
    await checkAxe(h, 'application after a refused clearance');
  } finally {
    await visitor.context.close();
    await host.context.close();
  }
});

// The coordinator's forms come back like the student's: the new-offering form
// and a block's form open at an error summary linked to the field (they once
// showed a list the page did not open at), and a proposed agreement without a
// school says so in plain words (it once said "there is no school with this id").
test('the host\'s forms open at an error summary linked to the field', { timeout: 90_000 }, async () => {
  const { context, page } = await browse(390);
  try {
    await page.goto('/login');
    assert.equal(await logIn(page, 'host@rounds.test'), 303);
    await page.goto('/host');
    await page.locator('main a[href^="/host/offerings/new?organization_id="]').first().click();
    await page.waitForURL((u) => u.pathname === '/host/offerings/new');
    // With a single site to choose from, it is chosen already (the demo host has one).
    const sites = page.getByLabel('Site', { exact: true });
    if (await sites.locator('option:not([value=""])').count() === 1)
      assert.notEqual(await sites.inputValue(), '', 'the only site is chosen');
    await page.evaluate(() => { for (const f of document.forms) f.noValidate = true; });
    await page.getByLabel('Title').fill('');
    await page.getByLabel('Description').fill('Ward rounds and clinic days.');
    assert.equal(await press(page, page.getByRole('button', { name: 'Create offering' })), 400);
    let summary = await summaryInView(page);
    assert.equal(await summary.locator('a[href="#f-title"]').count(), 1, 'the summary links to the title');
    assert.equal(await page.getByLabel('Description').inputValue(), 'Ward rounds and clinic days.',
      'what was typed is kept');

    // A block of one of its offerings, saved with no seats.
    // (The first of the host's offerings with a block: other tests may have added some without.)
    await page.goto('/host');
    const edits = await page.locator('main a[href$="/edit"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    let withBlock = false;
    for (const href of edits) {
      await page.goto(href);
      if (await page.locator('td[data-label="Dates"]').count() > 0) { withBlock = true; break; }
    }
    assert.ok(withBlock, 'one of the host\'s offerings has a block');
    const dates = await page.locator('td[data-label="Dates"]').first().innerText();
    assert.match(dates, /^[A-Z][a-z]{2} \d{1,2}, \d{4} to [A-Z][a-z]{2} \d{1,2}, \d{4}$/, 'block dates read as elsewhere');
    const add = page.getByRole('group', { name: 'New block' });
    await page.evaluate(() => { for (const f of document.forms) f.noValidate = true; });
    await add.getByLabel('Seats').fill('');
    assert.equal(await press(page, page.getByRole('button', { name: 'Add block' })), 400);
    summary = await summaryInView(page);
    assert.equal(await summary.locator('a[href="#new-seats"]').count(), 1, 'the summary links to the new block\'s seats');

    await page.goto('/agreements');
    const propose = page.getByRole('region', { name: 'Propose an agreement' });
    await page.evaluate(() => { for (const f of document.forms) f.noValidate = true; });
    await propose.getByLabel('School').selectOption('');
    await propose.getByLabel('First day covered').fill('2027-01-01');
    await propose.getByLabel('Last day covered').fill('2027-12-31');
    assert.equal(await press(page, propose.getByRole('button', { name: 'Propose the agreement' })), 422);
    summary = await summaryInView(page);
    assert.equal((await summary.locator('a[href="#f-school_id"]').textContent()).trim(), 'Choose the school from the list.');
  } finally {
    await context.close();
  }
});
