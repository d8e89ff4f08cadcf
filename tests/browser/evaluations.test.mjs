// evaluations.test.mjs — after the rotation, in a real browser with
// JavaScript disabled, on a rotation with the demo preceptor
// (preceptor@rounds.test) at the demo host that a fresh student applied for,
// was cleared for with verified documents and completed (set up through the
// API; the demo's own completed rotation is evaluated by the seed already,
// and its evaluation shows in demo.test.mjs):
//
//   the preceptor opens the evaluation from the application → a score out of
//   range is refused with the error summary linked to its select and the
//   strengths kept → submitted → the student reads it (phone, 390 px) →
//   the student's review with three mistakes and confidential evaluation with
//   two are each refused with every mistake in one summary linked to its
//   input and what was typed kept → corrected, the review (naming only first
//   name and country) is published and the evaluation recorded → the review shows on the
//   offering's page with "Verified rotation", on a phone, nothing wider than
//   the screen, and in search with its average and count → the host's
//   coordinator answers it on the review's page.
//
// Screenshots: evaluation-form.png, evaluation-error.png, evaluation-student-phone.png,
// review-form.png, offering-reviews-phone.png, search-reviews-phone.png, review-answer.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, apiExpect, apiLogin, confirmedStudent, newContext, openMenu, screenshot } from './lib.mjs';
import { demoApplications } from './demo_lib.mjs';

const PASSWORD = 'rounds-demo-2026';
const HOST_NAME = 'Lakeside Community Hospital';
const PRECEPTOR_NAME = 'Dr. Daniel Whitfield';
const STUDENT_NAME = 'Yaw Boateng';
const DAY = 86_400_000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
const STRENGTHS = 'Careful histories; kind with anxious patients.';
const TOO_LONG = 'x'.repeat(4001); // REVIEW_TEXT_MAX_CHARS and FEEDBACK_TEXT_MAX_CHARS are 4000
const REVIEW = 'Real responsibility from the first week, and teaching at every admission.';

async function signedIn(email, viewport = { width: 1280, height: 900 }) {
  const context = await newContext({ javaScriptEnabled: false, viewport });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'),
    page.getByRole('button', { name: 'Log in', exact: true }).click()]);
  return { context, page };
}

async function submit(page, button) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

// The error summary links exactly these inputs, in this order, and each exists on the page.
async function expectSummary(page, hrefs) {
  const links = page.locator('#error-summary').getByRole('link');
  assert.deepEqual(await links.evaluateAll((all) => all.map((a) => a.getAttribute('href'))), hrefs,
    'every mistake is in the summary');
  for (const href of hrefs) assert.equal(await page.locator(href).count(), 1, `${href} is a field on the page`);
}

const widest = (page) => page.evaluate(() => document.documentElement.scrollWidth);

async function upload(token, kind) {
  const form = new FormData();
  form.append('file', new Blob([PDF], { type: 'application/pdf' }), `${kind}.pdf`);
  form.append('kind', kind);
  form.append('issued_on', isoDate(Date.now() - 2 * DAY));
  form.append('expires_on', isoDate(Date.now() + 700 * DAY));
  const res = await fetch(`${BASE_URL}/api/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  assert.equal(res.status, 201, `upload ${kind}`);
  return (await res.json()).id;
}

// A fresh student's rotation with the demo preceptor at the demo host, taken
// through the real steps to "completed": applied, offered, accepted, booked
// (staff, paid by hand), cleared with every required document verified,
// started on its first day (moved to today) and completed early by staff with
// a reason. Nothing evaluated or reviewed yet: the test does both.
async function completedRotation() {
  const student = await confirmedStudent(STUDENT_NAME, 'evaluated');
  await apiExpect(200, 'PATCH', '/api/v1/me', {
    token: student.token,
    body: { school: 'Kwame Nkrumah University School of Medical Sciences', country: 'Ghana', status: 'graduate',
      graduation_year: 2023, visa_kind: 'b1_b2', step1: 'passed', step2ck_score: 241, ecfmg_status: 'in_progress',
      english_proof: 'oet' },
  });
  const host = await apiLogin('host@rounds.test');
  const staff = await apiLogin('staff@rounds.test');
  const found = await apiExpect(200, 'GET', '/api/v1/offerings?q=Lakeside&eligible=me&limit=50', { token: student.token });
  let offering = null;
  for (const o of found.items.filter((i) => i.host && i.host.name === HOST_NAME)) {
    const full = await apiExpect(200, 'GET', `/api/v1/offerings/${o.id}`);
    if (full.preceptor && full.preceptor.name === PRECEPTOR_NAME) { offering = full; break; }
  }
  assert.ok(offering, `a ${HOST_NAME} rotation of ${PRECEPTOR_NAME} open to the student`);
  const start = Date.now() + 20 * DAY; // applying for a block that has begun is refused
  const block = await apiExpect(201, 'POST', `/api/v1/offerings/${offering.id}/blocks`, {
    token: host, body: { start: isoDate(start), end: isoDate(start + (offering.weeks * 7 - 1) * DAY), seats: 2 },
  });
  const a = await apiExpect(201, 'POST', '/api/v1/applications', {
    token: student.token, body: { block_id: block.id, statement: 'Internal medicine is my path.' },
  });
  await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/offer`, { token: host, body: {} });
  await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/accept`, { token: student.token, body: {} });
  await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/book`, { token: staff, body: {} });
  for (const rule of offering.requirement_rules) {
    const id = await upload(student.token, rule.kind);
    await apiExpect(200, 'POST', `/api/v1/documents/${id}/verify`, { token: staff, body: {} });
  }
  await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/clear`, { token: host, body: {} });
  await apiExpect(200, 'PATCH', `/api/v1/blocks/${block.id}`, { token: staff, body: { start: isoDate(Date.now()) } });
  await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/start`, { token: host, body: {} });
  await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/complete`, {
    token: staff, body: { override_reason: 'Completed early for the test' },
  });
  return { email: student.email, password: PASSWORD, applicationId: a.id };
}

test('evaluation, review and the host\'s answer on a completed rotation', { timeout: 180_000 }, async () => {
  const { email, applicationId: APP } = await completedRotation();
  // The preceptor evaluates.
  const preceptor = await signedIn('preceptor@rounds.test');
  try {
    const page = preceptor.page;
    await page.goto(`/applications/${APP}`);
    // "What you can do now" says the evaluation waits, not "nothing to do" (the notification says it waits).
    const actions = page.getByRole('region', { name: 'What you can do now' });
    await actions.getByText('The student is waiting for your evaluation.').waitFor();
    assert.equal(await actions.getByText('There is nothing for you to do').count(), 0);
    assert.equal(await actions.getByRole('link', { name: 'Evaluate the student' }).getAttribute('href'),
      `/applications/${APP}/evaluation`);
    await page.getByRole('link', { name: "The preceptor's evaluation" }).click();
    await page.waitForURL((u) => u.pathname === `/applications/${APP}/evaluation`);
    const form = page.getByRole('region', { name: /^Evaluate / });
    await form.getByLabel('Medical interviewing').selectOption('7');
    await form.getByLabel('Overall clinical competence').selectOption({ label: '—' });
    await form.getByLabel('Strengths').fill(STRENGTHS);
    await screenshot(page, 'evaluation-form');
    // Two mistakes (a score that is not one, nothing to improve): both in one summary.
    await page.locator('form[action$="/evaluation"]').evaluate((f) => { f.noValidate = true; });
    assert.equal(await submit(page, form.getByRole('button', { name: 'Submit the evaluation' })), 422);
    const summary = page.locator('#error-summary');
    await summary.getByRole('link', { name: 'Choose a score from 1 to 9, or Not observed.' }).waitFor();
    assert.deepEqual(await summary.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      ['#f-overall', '#f-improvements'], 'both mistakes are in the summary');
    assert.equal(await page.getByLabel('Strengths').inputValue(), STRENGTHS, 'the strengths typed are kept');
    await screenshot(page, 'evaluation-error');
    await page.getByLabel('Areas to improve').fill('Summarise before presenting.');
    await page.getByLabel('Overall clinical competence').selectOption('8');
    await page.getByLabel('I would write this student a letter of recommendation').check();
    assert.equal(await submit(page, page.getByRole('button', { name: 'Submit the evaluation' })), 303);
    await page.getByText('The evaluation is submitted').waitFor();
    await page.goto(`/applications/${APP}`);
    await page.getByRole('region', { name: 'What you can do now' })
      .getByText('There is nothing for you to do on this application now.').waitFor();
  } finally {
    await preceptor.context.close();
  }

  // The student reads it on a phone, then reviews.
  const student = await signedIn(email, { width: 390, height: 844 });
  try {
    const page = student.page;
    await page.goto(`/applications/${APP}/evaluation`);
    await page.getByText(STRENGTHS).waitFor();
    await page.getByRole('row', { name: /Overall clinical competence 8/ }).waitFor();
    assert.ok(await widest(page) <= 390, 'the evaluation fits a phone');
    await screenshot(page, 'evaluation-student-phone');

    await page.goto(`/applications/${APP}`);
    await page.getByRole('link', { name: /Review the rotation/ }).click();
    await page.waitForURL((u) => u.pathname === `/applications/${APP}/rotation-review`);
    const review = page.getByRole('region', { name: 'Review this rotation' });
    // Three mistakes at once (no teaching score, a text over the limit, no name choice): all in one summary.
    for (const [label, value] of [['Hands-on involvement', '4'], ['Organisation', '4'],
      ['Value for money', '4'], ['Overall', '5']]) {
      await review.getByLabel(label, { exact: true }).selectOption(value);
    }
    await review.getByLabel('Publish with').selectOption({ label: '—' });
    await page.locator('form[action$="/rotation-review"]').evaluate((f) => {
      f.noValidate = true;
      f.querySelector('textarea').removeAttribute('maxlength');
    });
    await review.getByLabel('Your review').fill(TOO_LONG);
    assert.equal(await submit(page, review.getByRole('button', { name: 'Publish the review' })), 400);
    await expectSummary(page, ['#f-teaching', '#f-body', '#f-publish_as']);
    await page.locator('#error-summary').getByRole('link', { name: 'Choose a rating from 1 to 5 for Teaching.' })
      .waitFor();
    assert.equal(await review.getByLabel('Overall', { exact: true }).inputValue(), '5', 'the scores chosen are kept');
    assert.equal((await review.getByLabel('Your review').inputValue()).length, TOO_LONG.length, 'the text is kept');
    await review.getByLabel('Teaching', { exact: true }).selectOption('5');
    await review.getByLabel('Your review').fill(REVIEW);
    await review.getByLabel('Publish with').selectOption('first_name_and_country');
    await screenshot(page, 'review-form');
    assert.equal(await submit(page, review.getByRole('button', { name: 'Publish the review' })), 303);
    await page.getByText('Your review is published').waitFor();
    const feedback = page.getByRole('region', { name: /confidential/ });
    // Two mistakes (no supervision score, comments over the limit): both in the summary, the rest kept.
    for (const label of ["The preceptor's teaching", 'Feedback on your work', 'Learning environment', 'Overall']) {
      await feedback.getByLabel(label, { exact: true }).selectOption('4');
    }
    await page.locator('form[action$="/feedback"]').evaluate((f) => {
      f.noValidate = true;
      f.querySelector('textarea').removeAttribute('maxlength');
    });
    await feedback.getByLabel(/Comments/).fill(TOO_LONG);
    assert.equal(await submit(page, feedback.getByRole('button', { name: 'Send the evaluation' })), 422);
    await expectSummary(page, ['#f-fb_supervision', '#f-comments']);
    assert.equal(await feedback.getByLabel('Overall', { exact: true }).inputValue(), '4', 'the scores chosen are kept');
    assert.equal((await feedback.getByLabel(/Comments/).inputValue()).length, TOO_LONG.length, 'the text is kept');
    await feedback.getByLabel('Supervision', { exact: true }).selectOption('4');
    await feedback.getByLabel(/Comments/).fill('');
    assert.equal(await submit(page, feedback.getByRole('button', { name: 'Send the evaluation' })), 303);
    await page.getByText('your evaluation of the rotation is recorded').first().waitFor();
  } finally {
    await student.context.close();
  }

  // The review on the offering's page, for a visitor on a phone.
  const host = await signedIn('host@rounds.test');
  let offeringPath;
  try {
    const page = host.page;
    await page.goto(`/applications/${APP}`);
    offeringPath = await page.locator('a[href^="/offerings/"]').first().getAttribute('href');
  } finally {
    await host.context.close();
  }
  const visitor = await newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  try {
    const page = await visitor.newPage();
    await page.goto(`${offeringPath}#reviews`);
    const reviews = page.getByRole('region', { name: 'Reviews' });
    await reviews.getByText(REVIEW).waitFor();
    await reviews.getByText('Verified rotation').first().waitFor();
    await reviews.getByText('Yaw').first().waitFor();
    assert.equal(await reviews.getByText('Boateng').count(), 0, 'only the first name is published');
    assert.ok(await widest(page) <= 390, 'the offering page fits a phone');
    await reviews.scrollIntoViewIfNeeded();
    await screenshot(page, 'offering-reviews-phone');
    // In search too: the rotation's card carries its average, count and the "Verified rotation" mark.
    const title = (await page.getByRole('heading', { level: 1 }).textContent()).trim();
    await page.goto(`/search?q=${encodeURIComponent(title)}&include_full=true`);
    const card = page.locator(`article.result:has(a[href^="${offeringPath}"])`);
    await card.waitFor();
    const summary = card.locator('.review-summary');
    assert.match(await summary.textContent(), /^\d\.\d of 5 from \d+ reviews? · Verified rotation$/);
    await summary.getByText('Verified rotation').waitFor();
    assert.ok(await widest(page) <= 390, 'the search page fits a phone');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'search-reviews-phone');
  } finally {
    await visitor.close();
  }

  // The host's coordinator answers on the review's page.
  const coordinator = await signedIn('host@rounds.test');
  try {
    const page = coordinator.page;
    await page.goto(`${offeringPath}#reviews`);
    await page.getByRole('link', { name: 'Answer or moderate this review' }).first().click();
    await page.waitForURL((u) => u.pathname.startsWith('/reviews/'));
    assert.equal(await submit(page, page.getByRole('button', { name: 'Publish the answer' })), 400);
    await page.getByRole('alert').getByRole('link', { name: /Write your answer/ }).waitFor();
    await page.getByLabel('Your answer').fill('Thank you, Yaw: come back for a sub-internship.');
    assert.equal(await submit(page, page.getByRole('button', { name: 'Publish the answer' })), 303);
    await page.getByText('The host answered').waitFor();
    await screenshot(page, 'review-answer');
  } finally {
    await coordinator.context.close();
  }
});

test('the preceptor\'s teaching record, on a phone', { timeout: 60_000 }, async () => {
  const { context, page } = await signedIn('preceptor@rounds.test', { width: 390, height: 844 });
  try {
    await (await openMenu(page)).getByRole('link', { name: 'Teaching' }).click();
    await page.waitForURL((u) => u.pathname === '/teaching');
    await page.getByRole('heading', { name: 'Teaching record', level: 1 }).waitFor();
    // The demo's completed rotation ended ten days ago: this year's record counts it (in early
    // January it may have ended last year).
    const record = page.getByRole('region', { name: /^\d{4}$/ });
    await record.getByRole('row', { name: /Students supervised/ }).waitFor();
    const cert = page.getByRole('region', { name: 'Teaching certificate' });
    await cert.waitFor();
    assert.ok(await widest(page) <= 390, 'the teaching record fits a phone');
    await screenshot(page, 'teaching-phone');
    // A year that is not a year: the page says so (422).
    const bad = await page.goto('/teaching?year=19x');
    assert.equal(bad.status(), 422);
  } finally {
    await context.close();
  }
});

test('a booked rotation gets its B-1 visa invitation letter', { timeout: 90_000 }, async () => {
  const { booked } = await demoApplications();
  // Before the student asks, the host reads that the student has not asked (not "once booked": it is),
  // and that the student, not "you", pays the rotation's costs.
  const early = await signedIn('host@rounds.test');
  try {
    await early.page.goto(`/applications/${booked}/visa-letter`);
    await early.page.getByText('No letter was asked for yet: the student has not asked for one.').waitFor();
    await early.page.getByText(/that the student pays its costs/).waitFor();
  } finally {
    await early.context.close();
  }
  const student = await signedIn('student@rounds.test', { width: 390, height: 844 });
  try {
    const page = student.page;
    await page.goto(`/applications/${booked}`);
    await page.getByRole('link', { name: 'B-1 visa invitation letter' }).click();
    await page.waitForURL((u) => u.pathname === `/applications/${booked}/visa-letter`);
    // Three mistakes at once (the browser's own checks off, as in an old browser): the
    // summary names all three, in the form's order, each a link to its field, and
    // everything typed is still there.
    await page.locator('form[action$="/visa-letter"]').evaluate((f) => { f.noValidate = true; });
    await page.getByLabel('Passport number').fill('A12-34');
    await page.getByLabel('Nationality').fill('N');
    await page.getByLabel('City of the U.S. consulate').fill('Lagos');
    assert.equal(await submit(page, page.getByRole('button', { name: 'Ask for the letter' })), 400);
    const summary = page.locator('#error-summary');
    assert.deepEqual(await summary.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      ['#f-passport_name', '#f-passport_number', '#f-nationality'], 'every mistake is in the summary');
    await summary.getByRole('link', { name: 'Write your name as in the passport.' }).waitFor();
    await summary.getByRole('link', { name: 'The passport number must be 5 to 20 letters and digits.' }).waitFor();
    assert.equal(await page.getByLabel('Passport number').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Nationality').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Passport number').inputValue(), 'A12-34', 'the number is kept');
    assert.equal(await page.getByLabel('Nationality').inputValue(), 'N', 'the nationality is kept');
    assert.equal(await page.getByLabel('City of the U.S. consulate').inputValue(), 'Lagos', 'the city is kept');
    assert.ok(await widest(page) <= 390, 'the form fits a phone');
    await screenshot(page, 'visa-letter-error-phone');
    for (const id of ['f-passport_name', 'f-passport_number', 'f-nationality'])
      assert.equal(await page.locator(`input#${id}`).count(), 1, `the summary's link #${id} leads to a field`);
    await page.getByLabel('Name as in the passport').fill('OKAFOR Amara Ngozi');
    await page.getByLabel('Nationality').fill('Nigerian');
    // Fixed but one: the summary names only that one.
    assert.equal(await submit(page, page.getByRole('button', { name: 'Ask for the letter' })), 400);
    assert.deepEqual(await page.locator('#error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      ['#f-passport_number']);
    assert.equal(await page.getByLabel('Name as in the passport').inputValue(), 'OKAFOR Amara Ngozi');
    await page.getByLabel('Passport number').fill('A1234567');
    assert.equal(await submit(page, page.getByRole('button', { name: 'Ask for the letter' })), 303);
    await page.getByText('Your request is sent').waitFor();
  } finally {
    await student.context.close();
  }
  const host = await signedIn('host@rounds.test');
  try {
    const page = host.page;
    await page.goto(`/applications/${booked}/visa-letter`);
    assert.equal(await submit(page, page.getByRole('button', { name: 'Approve and issue the letter' })), 303);
    await page.getByText('The letter is issued').waitFor();
    await screenshot(page, 'visa-letter-issued');
  } finally {
    await host.context.close();
  }
  const again = await signedIn('student@rounds.test');
  try {
    const page = again.page;
    await page.goto(`/applications/${booked}/visa-letter`);
    const href = await page.getByRole('link', { name: 'Download the letter (PDF)' }).getAttribute('href');
    const res = await again.context.request.get(href);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /application\/pdf/);
  } finally {
    await again.context.close();
  }
});
