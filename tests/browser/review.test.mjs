// review.test.mjs — the host and staff side of issue 12, in a real browser
// with JavaScript off (1280 px, and 390 px for the application page):
//
//   the host (and the preceptor) read the student's profile and open the
//   documents the student shared in the viewer, each read audited; the
//   student sees what they shared; "Start the rotation" and "Record a no-show"
//   are not offered before the first day, staff override with a reason kept in
//   the history; the host's header links to its offerings; the offering page
//   and GET /api/v1/offerings/{id} list the host-wide document requirements;
//   staff verify a preceptor's NPI and licence with its expiry date; staff read
//   the audit trail in words (who by name and role, what, on what, linked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PASSWORD, api, apiExpect, apiLogin, checkAxe, confirmedStudent, newContext, overflow, screenshot,
} from './lib.mjs';
import { BASE_URL, openMenu } from './lib.mjs';

const HOST_NAME = 'Lakeside Community Hospital';
const DAY = 86_400_000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

async function person(email, width = 1280) {
  const context = await newContext({ javaScriptEnabled: false, viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/account'),
    page.getByRole('button', { name: 'Log in', exact: true }).click()]);
  return { context, page };
}

async function upload(token, kind, name) {
  const form = new FormData();
  form.append('file', new Blob([PDF], { type: 'application/pdf' }), name);
  form.append('kind', kind);
  form.append('issued_on', isoDate(Date.now() - 2 * DAY));
  form.append('expires_on', isoDate(Date.now() + 700 * DAY));
  const res = await fetch(`${BASE_URL}/api/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  assert.equal(res.status, 201, `upload ${kind}`);
  return (await res.json()).id;
}

// A student with a profile, a Lakeside application (a CV shared) on a block
// `days` ahead, moved to `state` (submitted, or cleared with every required document verified).
async function application(state, days) {
  const student = await confirmedStudent('Reviewed Student');
  await apiExpect(200, 'PATCH', '/api/v1/me', {
    token: student.token,
    body: { school: 'University of Ibadan College of Medicine', country: 'Nigeria', status: 'graduate',
            graduation_year: 2022, visa_kind: 'b1_b2', step1: 'passed', step2ck_score: 238,
            ecfmg_status: 'in_progress', english_proof: 'oet' },
  });
  const host = await apiLogin('host@rounds.test');
  const staff = await apiLogin('staff@rounds.test');
  const found = await apiExpect(200, 'GET', '/api/v1/offerings?q=Lakeside&eligible=me&limit=50', { token: student.token });
  const offering = found.items.find((o) => o.host && o.host.name === HOST_NAME && o.title.includes('Outcomes Research'))
    || found.items.find((o) => o.host && o.host.name === HOST_NAME);
  const start = Date.now() + days * DAY;
  const block = await apiExpect(201, 'POST', `/api/v1/offerings/${offering.id}/blocks`, {
    token: host, body: { start: isoDate(start), end: isoDate(start + (offering.weeks * 7 - 1) * DAY), seats: 2 },
  });
  const cv = await upload(student.token, 'cv', 'my-cv.pdf');
  const a = await apiExpect(201, 'POST', '/api/v1/applications', {
    token: student.token, body: { block_id: block.id, statement: 'Research matters to me.', document_ids: [cv] },
  });
  if (state === 'cleared') {
    await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/offer`, { token: host, body: {} });
    await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/accept`, { token: student.token, body: {} });
    await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/book`, { token: staff, body: {} });
    const full = await apiExpect(200, 'GET', `/api/v1/offerings/${offering.id}`);
    for (const rule of full.requirement_rules) {
      const id = rule.kind === 'cv' ? cv : await upload(student.token, rule.kind, `${rule.kind}.pdf`);
      await api('POST', `/api/v1/documents/${id}/verify`, { token: staff, body: {} });
    }
    await apiExpect(200, 'POST', `/api/v1/applications/${a.id}/clear`, { token: host, body: {} });
  }
  return { student, applicationId: a.id, offeringId: offering.id, cv };
}

test('the host reads the profile and opens the shared documents; the student sees what they shared',
  { timeout: 120_000 }, async () => {
    const setup = await application('submitted', 45);
    for (const width of [1280, 390]) {
      const host = await person('host@rounds.test', width);
      try {
        const h = host.page;
        await h.goto(`/applications/${setup.applicationId}`);
        const profile = h.getByRole('region', { name: "The student's profile" });
        for (const text of ['University of Ibadan College of Medicine', 'Nigeria', 'Graduate', '2022', 'Passed', '238',
          'In progress', 'B-1/B-2 visitor', 'OET Medicine']) {
          await profile.getByText(text, { exact: true }).waitFor();
        }
        const shared = h.getByRole('region', { name: 'Documents the student shared' });
        const link = shared.getByRole('link', { name: /Curriculum vitae/ });
        assert.equal(await link.getAttribute('href'), `/documents/${setup.cv}/file`);
        const o = await overflow(h);
        assert.ok(o.scrollWidth <= width, `the host's application page fits ${width} px (${o.scrollWidth})`);
        await checkAxe(h, `host application page at ${width}px`);
        await screenshot(h, `host-review-${width}.png`);
        const file = await h.request.get(`/documents/${setup.cv}/file`);
        assert.equal(file.status(), 200);
        assert.equal(file.headers()['content-type'], 'application/pdf');
      } finally {
        await host.context.close();
      }
    }
    // Each read is in the audit trail, in words.
    const staff = await apiLogin('staff@rounds.test');
    const audit = await apiExpect(200, 'GET', '/api/v1/audit?action=document.read&actor=' +
      encodeURIComponent((await apiExpect(200, 'GET', '/api/v1/me', { token: await apiLogin('host@rounds.test') })).id),
    { token: staff });
    const read = audit.items.find((e) => e.object_id === setup.cv);
    assert.ok(read, 'the reads are audited');
    assert.equal(read.action_label, 'Opened a document');
    assert.match(read.object_label, /^Curriculum vitae of Reviewed Student$/);
    // The student's own page lists what they shared.
    const student = await person(setup.student.email);
    try {
      await student.page.goto(`/applications/${setup.applicationId}`);
      const mine = student.page.getByRole('region', { name: 'Documents you shared' });
      assert.equal(await mine.getByRole('link', { name: /Curriculum vitae/ }).getAttribute('href'), `/wallet/${setup.cv}`);
      assert.equal(await student.page.getByRole('region', { name: "The student's profile" }).count(), 0);
    } finally {
      await student.context.close();
    }
  });

// The audit trail as staff read it: sentences, people by name and role (linked to their
// account page), objects named and linked to pages that open, details in words; ids only in
// small print. At 360 and 1280 px.
test('staff read the audit trail in words, and its links open', { timeout: 180_000 }, async () => {
  const setup = await application('submitted', 40);
  const hostToken = await apiLogin('host@rounds.test');
  const host = await apiExpect(200, 'GET', '/api/v1/me', { token: hostToken });
  const file = await api('GET', `/api/v1/documents/${setup.cv}/file`, { token: hostToken });
  assert.equal(file.status, 200, 'the host opens the CV');
  for (const width of [360, 1280]) {
    const staff = await person('staff@rounds.test', width);
    try {
      const p = staff.page;
      const table = p.getByRole('table', { name: /Audit events/ });
      // Signing in: the sentence and the staff member's name and role, not the raw name or the id.
      await p.goto('/staff/audit?action=login&actor=staff%40rounds.test');
      let row = table.getByRole('row').nth(1);
      assert.match(await row.innerText(), /Signed in/);
      assert.match(await row.innerText(), /Staff/);
      assert.doesNotMatch(await row.getByRole('cell').nth(2).innerText(), /\blogin\b/);
      // The host's read of the CV, filtered by the action's sentence.
      await p.goto(`/staff/audit?action=${encodeURIComponent('Opened a document')}&actor=host%40rounds.test`);
      assert.equal(await p.getByLabel('Action').inputValue(), 'Opened a document', 'the filter is kept');
      row = table.getByRole('row').filter({ hasText: 'Curriculum vitae of Reviewed Student' }).first();
      const text = await row.innerText();
      assert.match(text, /Opened a document/);
      assert.ok(text.includes(host.name), `the actor by name (${host.name}): ${text}`);
      assert.match(text, /Host coordinator|Preceptor/);
      assert.doesNotMatch(text, /document\.read/);
      const who = row.getByRole('cell').nth(1);
      assert.equal(await who.locator('strong').innerText(), host.name, 'the name is the main label, not the id');
      assert.equal(await who.locator('small').innerText(), host.id, 'the id in small print');
      const link = row.getByRole('link', { name: 'Curriculum vitae of Reviewed Student' });
      assert.equal(await link.getAttribute('href'), `/staff/documents/${setup.cv}`);
      assert.ok(!(await p.content()).includes('>document.read<'), 'no raw action name on the page');
      const o = await overflow(p);
      assert.ok(o.scrollWidth <= width, `the audit trail fits ${width} px (${o.scrollWidth})`);
      await checkAxe(p, `audit trail at ${width}px`);
      await screenshot(p, `staff-audit-${width}.png`);
      // The student's application, named and linked.
      await p.goto(`/staff/audit?action=transition&actor=${encodeURIComponent(setup.student.email)}`);
      const app = table.getByRole('link', { name: /^Application of Reviewed Student to / }).first();
      assert.equal(await app.getAttribute('href'), `/applications/${setup.applicationId}`);
      assert.match(await table.innerText(), /Moved an application/);
      // Every link in the table opens for staff.
      for (const path of ['/staff/audit?actor=host%40rounds.test', `/staff/audit?actor=${encodeURIComponent(setup.student.email)}`]) {
        await p.goto(path);
        const hrefs = await table.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.ok(hrefs.length > 0, `${path} links to something`);
        for (const href of new Set(hrefs)) {
          const r = await p.request.get(href);
          assert.equal(r.status(), 200, `${href} opens for staff`);
        }
      }
      // Following a link lands on the object's page.
      await p.goto(`/staff/audit?action=document.read&actor=host%40rounds.test`);
      await Promise.all([p.waitForURL((u) => u.pathname === `/staff/documents/${setup.cv}`),
        table.getByRole('link', { name: 'Curriculum vitae of Reviewed Student' }).first().click()]);
      assert.equal((await p.goto(p.url())).status(), 200);
      // The detail in words, and the actor's name opens their account page with their events.
      await p.goto(`/staff/audit?action=document.read&actor=host%40rounds.test`);
      row = table.getByRole('row').filter({ hasText: 'Curriculum vitae of Reviewed Student' }).first();
      assert.equal(await row.getByRole('cell').nth(4).innerText(), 'Curriculum vitae', 'the detail in words');
      assert.ok(!(await p.content()).includes('kind=cv'), 'no stored detail on the page');
      await Promise.all([p.waitForURL((u) => u.pathname === `/staff/users/${host.id}`),
        row.getByRole('link', { name: host.name }).click()]);
      assert.equal(await p.getByRole('heading', { level: 1 }).innerText(), host.name);
      assert.match(await p.locator('body').innerText(), /host@rounds\.test/);
      assert.match(await p.getByRole('table', { name: /Events by or to this person/ }).innerText(), /Opened a document/);
      const ou = await overflow(p);
      assert.ok(ou.scrollWidth <= width, `the account page fits ${width} px (${ou.scrollWidth})`);
      await checkAxe(p, `staff user page at ${width}px`);
      await screenshot(p, `staff-user-${width}.png`);
      // A filter that cannot be read: 400, the form kept.
      const bad = await p.goto('/staff/audit?action=not+an+action&actor=host%40rounds.test');
      assert.equal(bad.status(), 400);
      assert.equal(await p.getByLabel('Action').inputValue(), 'not an action');
      assert.equal(await p.getByLabel('Actor').inputValue(), 'host@rounds.test');
      assert.match(await p.getByRole('alert').innerText(), /no action by this name/);
    } finally {
      await staff.context.close();
    }
  }
});

test('start and no-show only from the first day; staff override with a reason', { timeout: 180_000 }, async () => {
  const setup = await application('cleared', 60);
  const host = await person('host@rounds.test');
  const staff = await person('staff@rounds.test');
  try {
    await host.page.goto(`/applications/${setup.applicationId}`);
    const actions = host.page.getByRole('region', { name: 'What you can do now' });
    await actions.getByText('are offered from that day').waitFor();
    assert.equal(await actions.getByRole('button', { name: 'Start the rotation' }).count(), 0);
    assert.equal(await actions.getByRole('button', { name: 'Record a no-show' }).count(), 0);
    assert.equal(await actions.getByLabel(/Reason for overriding/).count(), 0, 'the host has no override');

    const f = staff.page;
    await f.goto(`/applications/${setup.applicationId}`);
    const staffActions = f.getByRole('region', { name: 'What you can do now' });
    assert.equal(await staffActions.getByRole('button', { name: 'Start the rotation' }).count(), 0);
    const override = staffActions.getByRole('button', { name: 'Start before the first day' });
    const posted = f.waitForResponse((r) => r.request().method() === 'POST');
    await override.click();
    assert.equal((await posted).status(), 400, 'an override needs a reason');
    await f.getByRole('alert').filter({ hasText: 'Give the reason' }).waitFor();
    await staffActions.getByLabel(/Reason for overriding/).fill('The host asked to start a week early.');
    await Promise.all([f.waitForURL((u) => u.searchParams.get('done') === 'start'),
      staffActions.getByRole('button', { name: 'Start before the first day' }).click()]);
    assert.equal((await f.locator('.current-status .status').textContent()).trim(), 'In progress');
    await f.getByRole('region', { name: 'History' })
      .getByText('Staff override of the dates: The host asked to start a week early.').waitFor();
    assert.equal(await f.getByRole('button', { name: 'Confirm completion', exact: true }).count(), 0,
      'completion is not offered before the last day has passed');
    await checkAxe(f, 'application after an override');
  } finally {
    await host.context.close();
    await staff.context.close();
  }
});

test('host-wide requirements on the offering and in the API; the host header; staff verify a licence',
  { timeout: 120_000 }, async () => {
    const host = await apiLogin('host@rounds.test');
    const found = await apiExpect(200, 'GET', '/api/v1/offerings?q=Lakeside&limit=5');
    const offering = await apiExpect(200, 'GET', `/api/v1/offerings/${found.items[0].id}`);
    const hostWide = offering.requirement_rules.filter((r) => r.source === 'host');
    assert.ok(hostWide.length > 0, 'Lakeside requires documents for all its offerings');
    for (const r of hostWide) assert.ok(offering.requirements.includes(r.kind), `requirements lists ${r.kind}`);
    const tb = offering.requirement_rules.find((r) => r.kind === 'tb-test');
    assert.equal(tb.issued_within_days, 90);
    const visitor = await newContext({ javaScriptEnabled: false });
    try {
      const page = await visitor.newPage();
      await page.goto(`/offerings/${offering.id}`);
      const needed = page.locator('ul.requirements');
      for (const r of hostWide) await needed.getByText(r.name).first().waitFor();
      await needed.getByText('issued within 90 days before the start').waitFor();
    } finally {
      await visitor.close();
    }
    void host;

    const coordinator = await person('host@rounds.test');
    try {
      const nav = coordinator.page.getByRole('navigation', { name: 'Main' });
      await Promise.all([coordinator.page.waitForURL((u) => u.pathname === '/host'), nav.getByRole('link', { name: 'Offerings' }).click()]);
    } finally {
      await coordinator.context.close();
    }

    // Staff: an unverified preceptor, verified with its licence expiry; an expired date is refused.
    const staffToken = await apiLogin('staff@rounds.test');
    const orgs = await apiExpect(200, 'GET', '/api/v1/organizations?kind=host&limit=5', { token: staffToken });
    const list = await apiExpect(200, 'GET', `/api/v1/preceptors?organization_id=${orgs.items[0].id}&limit=100`, { token: staffToken });
    const target = list.items[0];
    await apiExpect(200, 'POST', `/api/v1/preceptors/${target.id}/verify`, { token: staffToken, body: { verified: false } });
    for (const width of [1280, 390]) {
      const staff = await person('staff@rounds.test', width);
      try {
        const s = staff.page;
        await (await openMenu(s)).getByRole('link', { name: 'Verify preceptors' }).click();
        await s.waitForURL((u) => u.pathname === '/staff/preceptors');
        const row = s.getByRole('row').filter({ hasText: target.npi });
        await row.getByText('Not verified').waitFor();
        // Those waiting for the badge come first: no "Not verified" row below a verified one.
        const badges = await s.locator('tbody td[data-label="Badge"]').allInnerTexts();
        const firstVerified = badges.findIndex((t) => t.trim() === 'Verified');
        assert.ok(firstVerified < 0 || !badges.slice(firstVerified).some((t) => t.trim() === 'Not verified'),
          `unverified preceptors first: ${badges.join(', ')}`);
        await row.getByLabel('Licence expires on').fill('2020-01-31');
        const posted = s.waitForResponse((r) => r.request().method() === 'POST');
        await row.getByRole('button', { name: /Verify NPI and licence/ }).click();
        assert.equal((await posted).status(), 400);
        await s.locator('#error-summary').getByText(/licence has expired/).waitFor();
        const o = await overflow(s);
        assert.ok(o.scrollWidth <= width, `/staff/preceptors fits ${width} px (${o.scrollWidth})`);
        await checkAxe(s, `staff preceptors with an error at ${width}px`);
        await screenshot(s, `staff-preceptors-${width}.png`);
        const later = isoDate(Date.now() + 500 * DAY);
        await s.getByRole('row').filter({ hasText: target.npi }).getByLabel('Licence expires on').fill(later);
        await Promise.all([s.waitForURL((u) => u.searchParams.get('done') === 'verified'),
          s.getByRole('row').filter({ hasText: target.npi }).getByRole('button', { name: /Verify NPI and licence/ }).click()]);
        await s.getByRole('row').filter({ hasText: target.npi }).getByText('Verified', { exact: true }).waitFor();
        const p = await apiExpect(200, 'GET', `/api/v1/preceptors/${target.id}`, { token: staffToken });
        assert.equal(p.verified, true);
        assert.equal(p.license_expires, later);
        if (width === 1280) await apiExpect(200, 'POST', `/api/v1/preceptors/${target.id}/verify`, { token: staffToken, body: { verified: false } });
      } finally {
        await staff.context.close();
      }
    }
  });

// The staff page of a person at 360 px, JavaScript off: what others did to their account ("To this
// person", by whom) in one list with what they did, the coach named in the detail and linked.
test('staff see what was done to a person on their page, at 360 px', { timeout: 120_000 }, async () => {
  const student = await confirmedStudent('Audited Student');
  const me = await apiExpect(200, 'GET', '/api/v1/me', { token: student.token });
  const staffToken = await apiLogin('staff@rounds.test');
  const staffMe = await apiExpect(200, 'GET', '/api/v1/me', { token: staffToken });
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const coach = await apiExpect(201, 'POST', '/api/v1/users', {
    token: staffToken,
    body: { email: `coach-${suffix}@example.test`, name: 'Carmen Ortiz', role: 'coach', password: PASSWORD },
  });
  const coachId = coach.id || (coach.user && coach.user.id);
  await apiExpect(200, 'PUT', `/api/v1/students/${me.id}/coach`, { token: staffToken, body: { coach_id: coachId } });
  const staff = await person('staff@rounds.test', 360);
  try {
    const p = staff.page;
    const res = await p.goto(`/staff/users/${me.id}`);
    assert.equal(res.status(), 200);
    const table = p.getByRole('table', { name: /Events by or to this person/ });
    const row = table.getByRole('row').filter({ hasText: 'Changed a student\'s coach' }).first();
    const text = await row.innerText();
    assert.match(text, /To this person/);
    assert.ok(text.includes(staffMe.name), `by the staff member (${staffMe.name}): ${text}`);
    assert.match(text, /To Carmen Ortiz/);
    assert.equal(await row.getByRole('link', { name: 'Carmen Ortiz' }).getAttribute('href'), `/staff/users/${coachId}`);
    assert.ok(text.includes(coachId), 'the coach id in small print');
    assert.match(await table.innerText(), /By this person/, 'their own events in the same list');
    // An event without a detail (confirming their address) shows no "Detail" label over nothing.
    const confirmed = table.getByRole('row').filter({ hasText: 'Confirmed their email address' }).first();
    assert.equal(await confirmed.locator('td[data-label="Detail"]').isVisible(), false, 'no empty Detail label in the card');
    assert.equal(await row.locator('td[data-label="Detail"]').isVisible(), true, 'a detail is shown under its label');
    const o = await overflow(p);
    assert.ok(o.scrollWidth <= 360, `the account page fits 360 px (${o.scrollWidth})`);
    await checkAxe(p, 'staff user page with events done to the person at 360px');
    await screenshot(p, 'staff-user-history-360.png');
  } finally {
    await staff.context.close();
  }
});
