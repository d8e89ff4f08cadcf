// waitlist.test.mjs — the waitlist of a full start date and the star of a
// rotation, in a real browser with JavaScript disabled, against the server
// run.sh starts; the student on a phone (390 px), the host on a laptop
// (1280 px), and no page wider than its window:
//
//   the host (host@rounds.test, through the API) publishes a rotation with one
//   start date of one seat, which another student holds → the student opens
//   the rotation: the date is full, joins its waitlist (number 1), saves the
//   rotation (★ Saved), and finds both on /saved → the host sees the waitlist
//   on the offering's page and raises the seats to 2 → the freed seat is
//   offered to the student by itself: the list says so, a notification links
//   to the offer, and the student accepts it ("Seat held").
//
// Screenshots (in SCREENSHOT_DIR): waitlist-390.png, saved-390.png,
// host-waitlist-1280.png, waitlist-offer-390.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, confirmEmail, fitsWindow, newContext, screenshot } from './lib.mjs';
import http from 'node:http';

const DEMO_PASSWORD = 'rounds-demo-2026';
const PASSWORD = 'harbour-lantern-quill-51';
const STAMP = `${Date.now()}-${process.pid}`;
const TITLE = `Marlowmere${process.pid} Nephrology Observership`;
const STUDENT_EMAIL = `waitlist-student-${STAMP}@example.org`;
const STUDENT_NAME = 'Amara Okonkwo';
const HOLDER_EMAIL = `waitlist-holder-${STAMP}@example.org`;
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };

// The API as someone with a bearer token (null: anonymous), one connection per request.
function api(token, method, path_, body) {
  const headers = { 'content-type': 'application/json', connection: 'close' };
  if (token) headers.authorization = `Bearer ${token}`;
  const data = body ? JSON.stringify(body) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(`${BASE_URL}${path_}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function expectApi(token, method, path_, body, status) {
  const res = await api(token, method, path_, body);
  assert.equal(res.status, status, `${method} ${path_} → ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json;
}

const dateIn = (days) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);

// Clicks a button and waits for the POST it sends and the page it lands on.
async function press(page, button, landing) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const status = (await posted).status();
  if (landing) await page.waitForURL(landing);
  await page.waitForLoadState('load');
  return status;
}

async function login(page, email, password, landing) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await press(page, page.getByRole('button', { name: 'Log in', exact: true }), landing);
}

// A published rotation of the demo host with one start date of one seat, held by another student
// (the holder, a graduate who passed Step 1, meets any of the rules `eligibility` adds).
async function fullRotation(title = TITLE, eligibility = {}, holderEmail = HOLDER_EMAIL) {
  const host = (await expectApi(null, 'POST', '/api/v1/auth/login',
    { email: 'host@rounds.test', password: DEMO_PASSWORD }, 200)).token;
  const site = (await expectApi(host, 'GET', '/api/v1/sites', null, 200)).items[0];
  assert.ok(site, 'the demo host has a site');
  const preceptor = (await expectApi(host, 'GET',
    `/api/v1/preceptors?organization_id=${encodeURIComponent(site.organization_id)}`, null, 200)).items[0];
  assert.ok(preceptor, 'the demo host has a preceptor');
  const offering = await expectApi(host, 'POST', '/api/v1/offerings', {
    organization_id: site.organization_id, site_id: site.id, preceptor_id: preceptor.id,
    specialty: 'nephrology', kind: 'observership', setting: 'outpatient', weeks: 4, tuition_cents: 120000,
    application_fee_cents: 0, deposit_cents: 0, description: 'Dialysis unit and clinic days.',
    eligibility: { students_allowed: true, graduates_allowed: true, step1_required: false, visa_kinds: [], ...eligibility },
    title,
    status: 'published',
  }, 201);
  const start = dateIn(80);
  const block = await expectApi(host, 'POST', `/api/v1/offerings/${offering.id}/blocks`,
    { start, end: dateIn(107), seats: 1 }, 201);
  const holder = (await expectApi(null, 'POST', '/api/v1/auth/register',
    { email: holderEmail, password: PASSWORD, name: 'Tomas Lindqvist' }, 201)).token;
  await confirmEmail(holderEmail);
  await expectApi(holder, 'PATCH', '/api/v1/me', { status: 'graduate', graduation_year: 2022, step1: 'passed' }, 200);
  const application = await expectApi(holder, 'POST', '/api/v1/applications',
    { block_id: block.id, statement: 'Holding this seat.' }, 201);
  await expectApi(host, 'POST', `/api/v1/applications/${application.id}/offer`, {}, 200);
  await expectApi(holder, 'POST', `/api/v1/applications/${application.id}/accept`, {}, 200);
  return { offering, block, start };
}

test('a full date: join its waitlist and save the rotation; the host adds a seat; the offer comes by itself',
  { timeout: 180_000 }, async () => {
    const rotation = await fullRotation();
    const offeringPath = `/offerings/${rotation.offering.id}`;
    await expectApi(null, 'POST', '/api/v1/auth/register',
      { email: STUDENT_EMAIL, password: PASSWORD, name: STUDENT_NAME }, 201);
    await confirmEmail(STUDENT_EMAIL);
    const student = await newContext({ javaScriptEnabled: false, viewport: PHONE });
    const host = await newContext({ javaScriptEnabled: false, viewport: LAPTOP });
    try {
      const s = await student.newPage();
      await login(s, STUDENT_EMAIL, PASSWORD, (u) => u.pathname === '/account');

      // The only date is full: the waitlist section offers to join.
      await s.goto(offeringPath);
      const waitlist = s.getByRole('region', { name: 'Waitlist' });
      await waitlist.getByText(/: full\./).waitFor();
      assert.equal(await press(s, waitlist.getByRole('button', { name: 'Join the waitlist' }),
        (u) => u.pathname === offeringPath), 303, 'POST /blocks/{id}/waitlist answers 303');
      await s.getByText('You joined the waitlist').waitFor();
      await s.getByRole('region', { name: 'Waitlist' }).getByText('You are number 1 on its waitlist').waitFor();
      await fitsWindow(s);
      await screenshot(s, 'waitlist-390.png');

      // Save the rotation: the star shows, /saved lists it and the waitlist place.
      assert.equal(await press(s, s.getByRole('button', { name: 'Save rotation' }),
        (u) => u.pathname === offeringPath), 303, 'POST /offerings/{id}/favourite answers 303');
      await s.getByText('★ Saved').waitFor();
      await s.getByRole('button', { name: 'Remove from saved' }).waitFor();
      await s.goto('/saved');
      const stars = s.getByRole('region', { name: 'Saved rotations' });
      await stars.getByRole('link', { name: TITLE }).waitFor();
      const places = s.getByRole('region', { name: 'Waitlists' });
      await places.getByText('waiting, 0 ahead of you').waitFor();
      await fitsWindow(s);
      await screenshot(s, 'saved-390.png');

      // The host sees the list, and raises the seats of the date to 2.
      const h = await host.newPage();
      await login(h, 'host@rounds.test', DEMO_PASSWORD, (u) => u.pathname !== '/login');
      const editPath = `/host/offerings/${rotation.offering.id}/edit`;
      await h.goto(editPath);
      const list = h.locator('ol.waitlist');
      await list.getByText(`${STUDENT_NAME}: waiting`).waitFor();
      const blockForm = h.getByRole('group', { name: new RegExp(`^Block from ${rotation.start}`) });
      await blockForm.getByLabel('Seats').fill('2');
      assert.equal(await press(h, h.locator(`#block-${rotation.block.id}`).getByRole('button', { name: 'Save block' }),
        (u) => u.pathname === editPath), 303, 'POST /host/blocks/{id} answers 303');
      await h.locator('ol.waitlist').getByText(`${STUDENT_NAME}: offered a seat`).waitFor();
      await fitsWindow(h);
      await screenshot(h, 'host-waitlist-1280.png');

      // The student: the offer, from the list, by itself; a notification leads to it.
      await s.goto(offeringPath);
      await s.getByRole('region', { name: 'Waitlist' }).getByText('A seat was offered to you').waitFor();
      await s.goto('/notifications');
      const notice = s.getByRole('link', { name: new RegExp(`A seat opened on ${TITLE}`) });
      await Promise.all([s.waitForURL((u) => /^\/applications\/[^/]+$/.test(u.pathname)), notice.first().click()]);
      assert.equal((await s.locator('.current-status .status').textContent()).trim(), 'Offer made');
      await fitsWindow(s);
      await screenshot(s, 'waitlist-offer-390.png');
      const applicationPath = new URL(s.url()).pathname;
      const actions = s.getByRole('region', { name: 'What you can do now' });
      assert.equal(await press(s, actions.getByRole('button', { name: 'Accept the offer' }),
        (u) => u.pathname === applicationPath), 303, 'POST accept answers 303');
      assert.equal((await s.locator('.current-status .status').textContent()).trim(), 'Seat held');

      // Saved: the place on the list now leads to the offer.
      await s.goto('/saved');
      await s.getByRole('region', { name: 'Waitlists' }).getByText('a seat was offered to you').waitFor();
      assert.equal(await s.getByRole('region', { name: 'Waitlists' }).getByText('waiting,').count(), 0);
    } finally {
      await student.close();
      await host.close();
    }
  });

// A visitor's "Log in" on a full date comes back to the rotation; a student whose
// profile the rotation's rules refuse is offered neither the waitlist nor the
// Apply form (both could only fail), and is told why.
test('the waitlist and the Apply form for a visitor and for a student the rules refuse', { timeout: 120_000 }, async () => {
  const rotation = await fullRotation(`Marlowmere${process.pid} Step 1 Nephrology Observership`,
    { step1_required: true }, `waitlist-holder2-${STAMP}@example.org`);
  const offeringPath = `/offerings/${rotation.offering.id}`;
  const host = (await expectApi(null, 'POST', '/api/v1/auth/login',
    { email: 'host@rounds.test', password: DEMO_PASSWORD }, 200)).token;
  await expectApi(host, 'POST', `/api/v1/offerings/${rotation.offering.id}/blocks`,
    { start: dateIn(120), end: dateIn(147), seats: 3 }, 201);
  const email = `waitlist-nostep1-${STAMP}@example.org`;
  await expectApi(null, 'POST', '/api/v1/auth/register', { email, password: PASSWORD, name: STUDENT_NAME }, 201);
  await confirmEmail(email);
  const context = await newContext({ javaScriptEnabled: false, viewport: PHONE });
  try {
    const page = await context.newPage();
    await page.goto(offeringPath);
    const logIn = page.getByRole('region', { name: 'Waitlist' }).getByRole('link', { name: 'Log in' });
    assert.equal(await logIn.getAttribute('href'), `/login?next=%2Fofferings%2F${rotation.offering.id}%23waitlist`);
    await logIn.click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await press(page, page.getByRole('button', { name: 'Log in', exact: true }), (u) => u.pathname === offeringPath);

    const waitlist = page.getByRole('region', { name: 'Waitlist' });
    await waitlist.getByText('so you cannot join its waitlist').waitFor();
    assert.equal(await waitlist.getByRole('button', { name: 'Join the waitlist' }).count(), 0,
      'no "Join the waitlist" button the rules would refuse');
    const apply = page.getByRole('region', { name: 'Apply for this rotation' });
    await apply.getByText('does not meet this rotation').waitFor();
    assert.equal(await apply.getByRole('button', { name: 'Apply' }).count(), 0,
      'no Apply button the rules would refuse');
    // "Update your profile" leads to the account page, and saving there comes back to apply.
    const update = apply.getByRole('link', { name: 'Update your profile' });
    assert.equal(await update.getAttribute('href'), `/account?next=${encodeURIComponent(`${offeringPath}#apply`)}#profile`);
    await update.click();
    await page.waitForURL((u) => u.pathname === '/account');
    assert.equal(await page.getByRole('link', { name: 'Back without saving' }).getAttribute('href'), `${offeringPath}#apply`);
    assert.equal(await press(page, page.getByRole('button', { name: 'Save profile' }), (u) => u.pathname === offeringPath), 303);
    assert.equal(new URL(page.url()).hash, '#apply', 'back at the apply section');
    await apply.getByText('does not meet this rotation').waitFor();
    await fitsWindow(page);
  } finally {
    await context.close();
  }
});
