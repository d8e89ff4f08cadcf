// layout.test.mjs — every page a person reaches, as each role, at a phone's
// 360 px: nothing is wider than the viewport (document scrollWidth), and at
// 1280 px axe-core finds no serious or critical violation. The data comes
// from the demo (run.sh seeds it) plus, through the HTTP API, a fresh student
// with a booked Lakeside rotation, a document, and a letter asked of the
// rotation's preceptor (so that /letters lists a preceptor).
//
// Screenshots (in SCREENSHOT_DIR): width-<role>-<page>.png at 360 px for the
// pages that once overflowed (letters, host application, checklist, readiness).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, PASSWORD, api, apiExpect, apiLogin, checkAxe, confirmedStudent, newContext, openMenu, overflow, screenshot,
} from './lib.mjs';
import { demoApplications } from './demo_lib.mjs';

const HOST_NAME = 'Lakeside Community Hospital';
const DAY = 86_400_000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

// A fresh student with a booked seat on a new Lakeside block 30 days ahead,
// one wallet document attached and a letter asked of the preceptor.
async function setUp() {
  const { email, token: student } = await confirmedStudent('Layout Tester');
  await apiExpect(200, 'PATCH', '/api/v1/me', {
    token: student,
    body: { status: 'graduate', graduation_year: 2023, visa_kind: 'b1_b2', step1: 'passed', english_proof: 'oet',
            school: 'Universidad Nacional Autónoma de México, Facultad de Medicina', country: 'Mexico' },
  });
  const host = await apiLogin('host@rounds.test');
  const staff = await apiLogin('staff@rounds.test');
  const found = await apiExpect(200, 'GET', '/api/v1/offerings?q=Lakeside&eligible=me&limit=50', { token: student });
  const lakeside = found.items.filter((o) => o.host && o.host.name === HOST_NAME);
  assert.ok(lakeside.length > 0, 'a Lakeside rotation open to the student');
  const offering = lakeside[0];
  const start = Date.now() + 30 * DAY;
  const block = await apiExpect(201, 'POST', `/api/v1/offerings/${offering.id}/blocks`, {
    token: host, body: { start: isoDate(start), end: isoDate(start + (offering.weeks * 7 - 1) * DAY), seats: 2 },
  });
  const application = await apiExpect(201, 'POST', '/api/v1/applications', {
    token: student, body: { block_id: block.id, statement: 'Preparing for the Match.' },
  });
  await apiExpect(200, 'POST', `/api/v1/applications/${application.id}/offer`, { token: host, body: {} });
  await apiExpect(200, 'POST', `/api/v1/applications/${application.id}/accept`, { token: student, body: {} });
  await apiExpect(200, 'POST', `/api/v1/applications/${application.id}/book`, { token: staff, body: {} });
  const letter = await apiExpect(201, 'POST', '/api/v1/letters', {
    token: student,
    body: { author_name: 'Dr. Maria Alvarez-Fernández de Córdoba', author_email: `alvarez-${Date.now()}@example.test`, waived: true },
  });
  return { email, offeringId: offering.id, applicationId: application.id, letterId: letter.id };
}

async function person(email, width) {
  const context = await newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  if (email) {
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.getByRole('button', { name: 'Log in', exact: true }).click()]);
  }
  return { context, page };
}

const shots = new Set(['/letters', 'application', 'compliance', '/readiness']);

test('every page fits a 360 px screen and passes axe-core at 1280 px', { timeout: 300_000 }, async () => {
  const d = await setUp();
  const app = `/applications/${d.applicationId}`;
  const pages = {
    visitor: [null, ['/', '/search', '/search?q=cardiology&state=TX', `/offerings/${d.offeringId}`, '/login', '/register']],
    student: [d.email, ['/account', '/applications', app, `${app}/compliance`, '/wallet', '/letters',
      `/letters/${d.letterId}`, '/readiness', '/notifications', '/search', `/offerings/${d.offeringId}`]],
    host: ['host@rounds.test', ['/host', '/applications', app, `${app}/compliance`, '/host/requirements', '/account']],
    staff: ['staff@rounds.test', ['/staff/documents', '/staff/letters', '/staff/audit', '/applications', app,
      '/readiness', '/host']],
    preceptor: ['preceptor@rounds.test', ['/letters', '/applications', '/account']],
  };
  const problems = [];
  for (const [role, [email, paths]] of Object.entries(pages)) {
    const narrow = await person(email, 360);
    const wide = await person(email, 1280);
    try {
      for (const p of paths) {
        const res = await narrow.page.goto(p);
        assert.ok(res.status() < 400, `${role} GET ${p} → ${res.status()}`);
        const o = await overflow(narrow.page);
        if (o.scrollWidth > 360) problems.push(`${role} ${p}: ${o.scrollWidth} px wide (${o.wide.join('; ')})`);
        const key = p === app ? 'application' : p.endsWith('/compliance') ? 'compliance' : p;
        if (shots.has(key)) await screenshot(narrow.page, `width-${role}-${key.replace(/\//g, '')}.png`);
        await wide.page.goto(p);
        await checkAxe(wide.page, `${role} ${p}`);
      }
    } finally {
      await narrow.context.close();
      await wide.context.close();
    }
  }
  assert.deepEqual(problems, [], 'pages wider than a 360 px screen');
});

// Every link a page offers leads somewhere its reader may go: on the demo's
// applications (booked, under way, completed) and their rotation's page, as
// each role that sees them, no link in the page's main part answers 4xx
// (the visa letter's link once led the preceptor and the coach to a 404, the
// document wallet's led hosts and staff to a 403).
test('the links a page offers open for the one reading it', { timeout: 180_000 }, async () => {
  const demo = await demoApplications();
  const apps = [`/applications/${demo.booked}`, `/applications/${demo.rotation}`, `/applications/${demo.completed}`];
  const readers = {
    preceptor: ['preceptor@rounds.test', apps],
    coach: ['coach@rounds.test', [`/applications/${demo.rotation}`, '/coach']],
    host: ['host@rounds.test', apps],
    staff: ['staff@rounds.test', apps],
    student: ['rotation@rounds.test', [`/applications/${demo.rotation}`]],
  };
  const dead = [];
  for (const [role, [email, paths]] of Object.entries(readers)) {
    const { context, page } = await person(email, 1280);
    try {
      const queue = [...paths];
      const seen = new Set();
      while (queue.length > 0) {
        const p = queue.shift();
        if (seen.has(p)) continue;
        seen.add(p);
        const res = await page.goto(p);
        assert.ok(res.status() < 400, `${role} GET ${p} → ${res.status()}`);
        const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => a.getAttribute('href')));
        for (const href of new Set(hrefs)) {
          const u = new URL(href, page.url());
          if (u.origin !== new URL(BASE_URL).origin || u.pathname === p) continue;
          // The rotation's own page is checked in turn, as its reader sees it.
          if (paths === apps && /^\/offerings\/[^/]+$/.test(u.pathname)) queue.push(u.pathname);
          const r = await page.request.get(u.pathname + u.search, { maxRedirects: 0 });
          if (r.status() >= 400) dead.push(`${role} on ${p}: ${u.pathname}${u.search} → ${r.status()}`);
        }
      }
    } finally {
      await context.close();
    }
  }
  assert.deepEqual(dead, [], 'links that lead their reader to an error');
});

// An error page keeps the reader's own navigation: a student who follows a
// stale link still has Documents, Letters and Payments (the error page once
// showed only the links every account has).
test('an error page keeps the navigation of the role reading it', { timeout: 60_000 }, async () => {
  const { context, page } = await person('student@rounds.test', 360);
  try {
    const res = await page.goto('/applications/app_no_such_application');
    assert.equal(res.status(), 404);
    const nav = await openMenu(page);
    for (const name of ['Documents', 'Letters', 'Payments']) {
      assert.equal(await nav.getByRole('link', { name, exact: true }).count(), 1, `the error page links to ${name}`);
    }
  } finally {
    await context.close();
  }
});
