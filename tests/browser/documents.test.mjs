// documents.test.mjs — the document wallet and the onboarding checklist in a
// real browser with JavaScript disabled, against the demo data that run.sh
// seeds (`rounds seed --demo`; Lakeside Community Hospital asks every student
// for a passport, BLS, a TB test issued within 90 days and HIPAA training):
//
//   set up quickly through the HTTP API: a fresh student with an eligible
//   profile, a new block of a Lakeside rotation 30 days ahead (host), the
//   application, the offer (host), the acceptance, the booking (staff) →
//   the student opens the onboarding checklist from the application page:
//   every requirement "Missing" → uploads each one through the wallet's form
//   (PNG and PDF fixtures made here), arriving from the checklist's "Upload"
//   links with the kind chosen → an HTML file named x.pdf is refused with 415
//   and the reason next to the file field → the checklist shows "Waiting for
//   verification" → staff open "Documents to verify", view a PNG and a PDF in
//   the inline viewer (the file is served inline, nosniff, framed by our own
//   pages only), reject one with a reason and verify the rest → the student
//   sees "Rejected" and the reason, uploads a new version, staff verify it →
//   "All requirements met"; the student attaches a document to the application
//   → the host clears the booking from the checklist. Deleting asks twice.
//   Someone else (the demo student) gets 404 for the checklist and the files.
//
// Screenshots (in SCREENSHOT_DIR): compliance-missing.png, wallet.png,
// upload-refused.png, staff-queue.png, viewer.png, document-rejected.png, compliance-ok.png,
// compliance-host.png, host-requirements.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { BASE_URL, confirmEmail, expectFieldErrors, newContext, screenshot } from './lib.mjs';

const PASSWORD = 'rounds-demo-2026';
const HOST_NAME = 'Lakeside Community Hospital';
const REJECT_REASON = 'The card is cut off at the bottom: upload a scan of the whole card, both sides.';

const DAY = 86_400_000;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const TODAY = isoDate(Date.now());
const IN_TWO_YEARS = isoDate(Date.now() + 730 * DAY);

// ---- fixtures ---------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
// A 320×200 RGB picture of a card: a coloured band, a photo box, text lines.
function cardPng(rgb) {
  const w = 320, h = 200;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      let px = [246, 248, 250];
      if (y < 40) px = rgb;
      else if (x > 20 && x < 100 && y > 60 && y < 170) px = [160, 170, 185];
      else if (x > 120 && x < 290 && [70, 95, 120, 145].some((t) => y >= t && y < t + 8)) px = [60, 70, 85];
      raw.set(px, y * (w * 3 + 1) + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
// A one-page PDF with a line of text, with a correct cross-reference table.
function textPdf(text) {
  const content = `BT /F1 24 Tf 72 700 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
// Pictures for identity papers, PDFs for the rest.
function fixtureFor(slug, version = 1) {
  if (slug === 'passport' || slug === 'visa' || slug === 'photo') {
    return { name: `${slug}-scan.png`, mimeType: 'image/png', buffer: cardPng([11, 92, 173]) };
  }
  return { name: `${slug}-v${version}.pdf`, mimeType: 'application/pdf', buffer: textPdf(`${slug} certificate, version ${version}`) };
}

// ---- HTTP API set-up --------------------------------------------------------

async function api(method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(BASE_URL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}
async function apiExpect(expected, method, path, opts) {
  const r = await api(method, path, opts);
  assert.equal(r.status, expected, `${method} ${path} → ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}
const login = async (email) => (await apiExpect(200, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } })).token;

// A fresh student with a booked seat in a new block of a Lakeside rotation
// that starts in 30 days: { email, applicationId, offeringTitle }.
async function bookedApplication() {
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const email = `docs-${suffix}@example.test`;
  const reg = await apiExpect(201, 'POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name: 'Noor Haddad' } });
  const student = reg.token;
  await confirmEmail(email);
  await apiExpect(200, 'PATCH', '/api/v1/me', {
    token: student,
    body: { status: 'graduate', graduation_year: 2023, visa_kind: 'b1_b2', step1: 'passed', english_proof: 'oet' },
  });
  const host = await login('host@rounds.test');
  const staff = await login('staff@rounds.test');

  const found = await apiExpect(200, 'GET', '/api/v1/offerings?q=Lakeside&eligible=me&limit=50', { token: student });
  const lakeside = found.items.filter((o) => o.host && o.host.name === HOST_NAME);
  assert.ok(lakeside.length > 0, `no ${HOST_NAME} rotation open to the new student — is the demo seeded?`);
  const offering = lakeside.find((o) => o.kind === 'observership' || o.kind === 'research') || lakeside[0];

  const start = Date.now() + 30 * DAY;
  const block = await apiExpect(201, 'POST', `/api/v1/offerings/${offering.id}/blocks`, {
    token: host,
    body: { start: isoDate(start), end: isoDate(start + (offering.weeks * 7 - 1) * DAY), seats: 2 },
  });
  const application = await apiExpect(201, 'POST', '/api/v1/applications', {
    token: student, body: { block_id: block.id, statement: 'Preparing for the Match.' },
  });
  await apiExpect(200, 'POST', `/api/v1/applications/${application.id}/offer`, { token: host, body: { note: '' } });
  await apiExpect(200, 'POST', `/api/v1/applications/${application.id}/accept`, { token: student, body: { note: '' } });
  const booked = await apiExpect(200, 'POST', `/api/v1/applications/${application.id}/book`, { token: staff, body: { note: '' } });
  assert.equal(booked.status, 'booked');
  return { email, applicationId: application.id, offeringTitle: offering.title };
}

// ---- browser helpers --------------------------------------------------------

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

async function person(email) {
  const context = await newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  const status = await press(page, page.getByRole('button', { name: 'Log in', exact: true }),
    (u) => u.pathname === '/account');
  assert.equal(status, 303, `log in as ${email}`);
  return { context, page };
}

// The checklist's rows: [{ kind (name), state, uploadHref, replaceHref }].
async function checklist(page) {
  const table = page.getByRole('region', { name: 'Requirements' }).getByRole('table');
  await table.waitFor();
  const rows = [];
  for (const tr of await table.locator('tbody tr').all()) {
    const upload = tr.getByRole('link', { name: /^Upload/ });
    rows.push({
      kind: (await tr.locator('td').first().locator('strong').textContent()).trim(),
      state: (await tr.locator('.status').textContent()).trim(),
      uploadHref: await upload.count() > 0 ? await upload.first().getAttribute('href') : null,
    });
  }
  return rows;
}
const summary = async (page) => (await page.locator('.summary-line').textContent()).trim();

// Uploads a file through the wallet's form on the current page (/wallet).
async function uploadOnWallet(page, file, { issued = TODAY, expires = IN_TWO_YEARS } = {}) {
  const form = page.getByRole('region', { name: 'Upload a document' });
  await form.getByLabel('File', { exact: true }).setInputFiles(file);
  await form.getByLabel('Issued on (optional)').fill(issued);
  await form.getByLabel('Expires on (optional)').fill(expires);
  return press(page, form.getByRole('button', { name: 'Upload', exact: true }));
}

test('upload → staff verifies (one rejected, re-uploaded) → the checklist turns green → the host clears',
  { timeout: 240_000 }, async () => {
    const setup = await bookedApplication();
    const checklistPath = `/applications/${setup.applicationId}/compliance`;
    const student = await person(setup.email);
    const staff = await person('staff@rounds.test');
    const host = await person('host@rounds.test');
    const outsider = await person('student@rounds.test');
    try {
      const s = student.page;

      // The application page links to the checklist; everything is missing.
      await s.goto(`/applications/${setup.applicationId}`);
      await Promise.all([
        s.waitForURL((u) => u.pathname === checklistPath),
        s.getByRole('link', { name: 'Onboarding checklist' }).click(),
      ]);
      await s.getByRole('heading', { level: 1, name: setup.offeringTitle }).waitFor();
      let rows = await checklist(s);
      const kinds = rows.map((r) => r.kind);
      for (const name of ['Passport', 'BLS certification (AHA)', 'TB test (IGRA or TST)', 'HIPAA training certificate']) {
        assert.ok(kinds.includes(name), `the checklist asks for ${name} (Lakeside's host-wide rule)`);
      }
      assert.ok(rows.every((r) => r.state === 'Missing'), `all missing at first: ${JSON.stringify(rows)}`);
      assert.equal(await summary(s), `0 of ${rows.length} requirements met`);
      await s.getByRole('row', { name: /TB test/ }).getByText('Issued within 90 days before the start').waitFor();
      // Who asks for each one, in words: the host for all its rotations, or this rotation.
      assert.match(await s.getByRole('row', { name: /BLS certification/ }).locator('td').first().innerText(),
        /Valid through the rotation · asked by the host for all its rotations/);
      for (const cell of await s.locator('.checklist tbody tr td:first-child').allInnerTexts())
        assert.match(cell, /· asked by (the host for all its rotations|this rotation)$/, cell);
      assert.equal(await s.getByRole('button', { name: 'Clear for the rotation' }).count(), 0,
        'the student has no clearance button');
      await screenshot(s, 'compliance-missing.png');
      // A screen reader hears the upload link as a sentence, like the "Why" column.
      assert.equal(await s.getByRole('row', { name: /Passport/ }).getByRole('link', { name: /^Upload/ })
        .textContent(), 'Upload your passport');

      // Each one through the wallet's form, from the checklist's "Upload" link.
      const slugs = {};
      let firstDocumentPath = null;
      for (const row of rows) {
        assert.ok(row.uploadHref, `an Upload link for ${row.kind}`);
        const slug = new URL(row.uploadHref, BASE_URL).searchParams.get('kind');
        slugs[row.kind] = slug;
        await s.goto(checklistPath);
        await Promise.all([
          s.waitForURL((u) => u.pathname === '/wallet' && u.searchParams.get('kind') === slug),
          s.getByRole('row', { name: new RegExp(row.kind.replace(/[()]/g, '.')) })
            .getByRole('link', { name: /^Upload/ }).click(),
        ]);
        const form = s.getByRole('region', { name: 'Upload a document' });
        assert.equal(await form.getByLabel('Kind of document').inputValue(), slug, `${row.kind} is chosen`);
        const status = await uploadOnWallet(s, fixtureFor(slug));
        assert.equal(status, 303, `uploading ${row.kind} answers 303`);
        assert.match(pathOf(s), /^\/wallet\/[^/]+$/);
        firstDocumentPath ??= pathOf(s);
        await s.getByRole('status').filter({ hasText: 'The document is uploaded' }).waitFor();
        await s.getByRole('heading', { level: 1, name: row.kind }).waitFor();
      }

      // Type spoofing: an HTML page named x.pdf is refused, the reason next to the field.
      await s.goto('/wallet');
      await s.getByRole('region', { name: 'Upload a document' }).getByLabel('Kind of document')
        .selectOption({ label: 'Curriculum vitae' });
      const spoofed = await uploadOnWallet(s, {
        name: 'x.pdf', mimeType: 'application/pdf',
        buffer: Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'),
      });
      assert.equal(spoofed, 415, 'an HTML file named x.pdf is refused with 415');
      await s.getByRole('alert').filter({ hasText: 'not a PDF, PNG or JPEG' }).waitFor();
      await screenshot(s, 'upload-refused.png');
      const fileInput = s.getByLabel('File', { exact: true });
      assert.equal(await fileInput.getAttribute('aria-invalid'), 'true');
      assert.match(await fileInput.getAttribute('aria-describedby'), /e-file/);
      assert.equal(await s.getByRole('region', { name: 'Upload a document' }).getByLabel('Kind of document').inputValue(),
        'cv', 'the kind stays chosen');

      // A document of another kind, deleted again: the first submit asks, the second deletes.
      const spare = ['photo', 'n95-fit-test', 'influenza', 'drug-screen'].find((k) => !Object.values(slugs).includes(k));
      await s.goto(`/wallet?kind=${spare}`);
      assert.equal(await uploadOnWallet(s, fixtureFor(spare)), 303);
      const sparePath = pathOf(s);
      assert.equal(await press(s, s.getByRole('button', { name: 'Delete…' })), 200, 'the first submit asks again');
      await s.getByText('this cannot be undone').waitFor();
      assert.equal(await press(s, s.getByRole('button', { name: 'Yes, delete it' }), (u) => u.pathname === '/wallet'), 303);
      await s.getByRole('status').filter({ hasText: 'The document and its older versions are deleted' }).waitFor();
      assert.equal((await s.goto(sparePath)).status(), 404, 'a deleted document is gone');

      // The wallet lists them all, waiting for verification.
      await s.goto('/wallet');
      const wallet = s.getByRole('region', { name: 'Your documents' });
      for (const row of rows) {
        const tr = wallet.getByRole('row').filter({ has: s.getByRole('link', { name: row.kind, exact: true }) });
        assert.equal(await tr.count(), 1, `${row.kind} is in the wallet once`);
        assert.equal((await tr.locator('.status').textContent()).trim(), 'Waiting for verification');
      }
      assert.equal(await wallet.locator('tbody tr').count(), rows.length, 'the spoofed file was not kept');
      await s.getByText(/Storage used:/).waitFor();
      await screenshot(s, 'wallet.png');

      await s.goto(checklistPath);
      rows = await checklist(s);
      assert.ok(rows.every((r) => r.state === 'Waiting for verification'), JSON.stringify(rows));

      // Staff: the queue lists each of the student's documents.
      const f = staff.page;
      await f.goto('/staff/documents');
      await f.getByRole('heading', { level: 1, name: 'Documents to verify' }).waitFor();
      const queueRows = () => f.getByRole('row').filter({ hasText: setup.email });
      assert.equal(await queueRows().count(), rows.length, 'every upload is in the queue');
      await screenshot(f, 'staff-queue.png');

      // The viewer: the passport is a picture, the others are PDFs in a frame.
      const openInQueue = async (kind) => {
        await f.goto('/staff/documents');
        await Promise.all([
          f.waitForURL((u) => /^\/staff\/documents\/[^/]+$/.test(u.pathname)),
          queueRows().filter({ has: f.getByRole('link', { name: kind, exact: true }) })
            .getByRole('link', { name: kind, exact: true }).click(),
        ]);
        await f.getByRole('heading', { level: 1, name: kind }).waitFor();
      };
      await openInQueue('Passport');
      const img = f.getByRole('img', { name: /^Passport uploaded by Noor Haddad/ });
      await img.waitFor();
      const src = await img.getAttribute('src');
      const served = await f.request.get(src);
      assert.equal(served.status(), 200);
      const h = served.headers();
      assert.equal(h['content-type'], 'image/png');
      assert.match(h['content-disposition'], /^inline; filename="passport-scan\.png"/);
      assert.equal(h['x-content-type-options'], 'nosniff');
      assert.equal(h['x-frame-options'], 'SAMEORIGIN');
      assert.match(h['content-security-policy'], /default-src 'none'/);
      assert.match(h['cache-control'], /no-store/);
      assert.deepEqual(Buffer.from(await served.body()), fixtureFor('passport').buffer, 'the file comes back as uploaded');
      await screenshot(f, 'viewer.png');
      // Someone else gets a 404 for the file.
      assert.equal((await outsider.page.request.get(src)).status(), 404, 'another student cannot read the file');

      const rejectedKind = 'BLS certification (AHA)';
      for (const row of rows) {
        await openInQueue(row.kind);
        if (row.kind !== 'Passport') {
          const frame = f.locator(`iframe[title^="${row.kind} uploaded by Noor Haddad"]`);
          assert.equal(await frame.count(), 1, `${row.kind} is shown in a titled frame`);
        }
        const decide = f.getByRole('region', { name: 'Your decision' });
        if (row.kind === rejectedKind) {
          // A rejection needs a reason.
          assert.equal(await press(f, decide.getByRole('button', { name: 'Reject' })), 400);
          await f.getByText('Write the reason').first().waitFor();
          // The form takes what the domain takes: one cap for the reason in every layer.
          const reasonBox = f.getByRole('region', { name: 'Your decision' }).getByLabel('Reason for rejecting');
          assert.equal(await reasonBox.getAttribute('maxlength'), '500', 'the reason is capped at 500 characters');
          await reasonBox.fill(REJECT_REASON);
          assert.equal(await press(f, f.getByRole('region', { name: 'Your decision' }).getByRole('button', { name: 'Reject' }),
            (u) => u.pathname === '/staff/documents'), 303);
          await f.getByRole('status').filter({ hasText: 'The document is rejected' }).waitFor();
        } else {
          assert.equal(await press(f, decide.getByRole('button', { name: 'Verify' }),
            (u) => u.pathname === '/staff/documents'), 303);
          await f.getByRole('status').filter({ hasText: 'The document is verified' }).waitFor();
        }
      }
      assert.equal(await queueRows().count(), 0, 'nothing of theirs is left in the queue');

      // The student: one rejected, with the reason; a new version.
      await s.goto(checklistPath);
      rows = await checklist(s);
      for (const r of rows) assert.equal(r.state, r.kind === rejectedKind ? 'Rejected' : 'Met', `${r.kind}: ${r.state}`);
      assert.equal(await summary(s), `${rows.length - 1} of ${rows.length} requirements met`);
      assert.equal(await s.getByRole('row', { name: /BLS certification/ }).getByRole('link', { name: /^Upload a new version/ })
        .textContent(), 'Upload a new version of your BLS certification (AHA)');
      await Promise.all([
        s.waitForURL((u) => /^\/wallet\/[^/]+$/.test(u.pathname)),
        s.getByRole('row', { name: /BLS certification/ }).getByRole('link', { name: /^Upload a new version/ }).click(),
      ]);
      await s.getByText(REJECT_REASON).waitFor();

      assert.equal((await s.locator('.current-status .status').textContent()).trim(), 'Rejected');
      await screenshot(s, 'document-rejected.png');
      const replace = s.getByRole('region', { name: 'Upload a new version' });
      await replace.getByLabel('File', { exact: true }).setInputFiles(fixtureFor(slugs[rejectedKind], 2));
      await replace.getByLabel('Issued on (optional)').fill(TODAY);
      await replace.getByLabel('Expires on (optional)').fill(IN_TWO_YEARS);
      assert.equal(await press(s, replace.getByRole('button', { name: 'Upload new version' }),
        (u) => /^\/wallet\/[^/]+$/.test(u.pathname)), 303);
      await s.getByRole('status').filter({ hasText: 'The new version is uploaded' }).waitFor();
      const history = s.getByRole('region', { name: 'Older versions' });
      await history.getByRole('cell', { name: REJECT_REASON }).waitFor();

      // Staff verify the new version.
      await openInQueue(rejectedKind);
      assert.equal(await press(f, f.getByRole('region', { name: 'Your decision' }).getByRole('button', { name: 'Verify' }),
        (u) => u.pathname === '/staff/documents'), 303);

      // Green.
      await s.goto(checklistPath);
      rows = await checklist(s);
      assert.ok(rows.every((r) => r.state === 'Met'), JSON.stringify(rows));
      assert.equal(await summary(s), 'All requirements met');
      await screenshot(s, 'compliance-ok.png');

      // The student attaches a document to the application.
      const attach = s.getByRole('region', { name: 'Documents attached to this application' });
      const box = attach.getByRole('checkbox').first();
      const attachedLabel = (await attach.locator('fieldset label').first().textContent()).trim();
      await box.check();
      const attached = await press(s, attach.getByRole('button', { name: 'Attach selected documents' }));
      assert.equal(attached, 303, `attaching answers 303, not ${attached}: ${(await s.locator('main').textContent()).slice(0, 400)}`);
      assert.equal(pathOf(s), checklistPath);
      await s.getByRole('status').filter({ hasText: 'The documents are attached' }).waitFor();
      await s.getByRole('region', { name: 'Documents attached to this application' })
        .getByRole('listitem').filter({ hasText: attachedLabel }).getByText('(attached)').waitFor();

      // Someone with no part in it gets a 404 for the checklist and the wallet's pages.
      const hidden = await outsider.page.goto(checklistPath);
      assert.equal(hidden.status(), 404, 'another student gets 404 for the checklist');
      assert.equal((await outsider.page.goto(firstDocumentPath)).status(), 404, "another student's wallet page is 404");
      assert.equal((await host.page.goto('/staff/documents')).status(), 404, 'the staff queue is 404 for a host');

      // The host clears the booking from the checklist.
      const hp = host.page;
      await hp.goto(checklistPath);
      await hp.getByText('All requirements met').waitFor();
      await screenshot(hp, 'compliance-host.png');
      assert.equal(await press(hp, hp.getByRole('button', { name: 'Clear for the rotation' }),
        (u) => u.pathname === `/applications/${setup.applicationId}`), 303);
      assert.equal((await hp.locator('.current-status .status').textContent()).trim(), 'Cleared to start');
    } finally {
      for (const p of [student, staff, host, outsider]) await p.context.close();
    }
  });

test('the host manages its host-wide document requirements', { timeout: 60_000 }, async () => {
  const host = await person('host@rounds.test');
  try {
    const p = host.page;
    await p.goto('/host');
    await Promise.all([
      p.waitForURL((u) => u.pathname === '/host/requirements'),
      p.getByRole('link', { name: `Document requirements of ${HOST_NAME}` }).click(),
    ]);
    const rules = p.getByRole('region', { name: 'Asked of every student' });
    await rules.getByRole('cell', { name: 'TB test (IGRA or TST)', exact: true }).waitFor();
    await rules.getByRole('row', { name: /TB test/ }).getByText('Issued within 90 days before the start').waitFor();

    // No document and a number of days over the limit: both named at once, what was typed kept.
    const add = p.getByRole('region', { name: 'Add a requirement' });
    await add.getByLabel(/^Issued within/).fill('99999');
    await p.locator('form[action="/host/requirements"]').evaluate((f) => { f.noValidate = true; });
    assert.equal(await press(p, add.getByRole('button', { name: 'Add requirement' })), 400);
    const said = await expectFieldErrors(p, ['f-kind', 'f-issued_within_days']);
    assert.deepEqual(said, ['Choose the document to require.',
      'Issued within must be a whole number of days from 1 to 3650, or empty.']);
    assert.equal(await add.getByLabel(/^Issued within/).inputValue(), '99999', 'the days typed are kept');
    // The document chosen and 0 days: only the days are wrong, the document is kept.
    await add.getByLabel('Document').selectOption({ label: 'N95 fit test' });
    await add.getByLabel(/^Issued within/).fill('0');
    assert.equal(await press(p, add.getByRole('button', { name: 'Add requirement' })), 400);
    await expectFieldErrors(p, ['f-issued_within_days']);
    assert.equal(await add.getByLabel('Document').inputValue(), 'n95-fit-test', 'the document chosen is kept');

    // Add one, refuse it twice, remove it.
    await add.getByLabel('Document').selectOption({ label: 'N95 fit test' });
    await add.getByLabel(/^Issued within/).fill('365');
    assert.equal(await press(p, add.getByRole('button', { name: 'Add requirement' }),
      (u) => u.pathname === '/host/requirements'), 303);
    await p.getByRole('status').filter({ hasText: 'The requirement is added' }).waitFor();
    await rules.getByRole('row', { name: /N95 fit test/ }).getByText(/^Issued within 365 days/).waitFor();
    await screenshot(p, 'host-requirements.png');
    const again = p.getByRole('region', { name: 'Add a requirement' });
    await again.getByLabel('Document').selectOption({ label: 'N95 fit test' });
    assert.equal(await press(p, again.getByRole('button', { name: 'Add requirement' })), 409);
    await p.getByText('already required').first().waitFor();
    // The form is at the foot of a long page: it opens at a summary linked to the field.
    const summary = p.locator('#error-summary');
    assert.equal(await summary.locator('a[href="#f-kind"]').count(), 1, 'the error summary links to the document field');
    assert.equal(await p.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary',
      'the page opens at the error summary');
    assert.equal(await press(p, rules.getByRole('button', { name: 'Remove N95 fit test' }),
      (u) => u.pathname === '/host/requirements'), 303);
    await p.getByRole('status').filter({ hasText: 'The requirement is removed' }).waitFor();
    assert.equal(await rules.getByRole('row', { name: /N95 fit test/ }).count(), 0);
  } finally {
    await host.context.close();
  }
});

test('a student shares a wallet document when applying; the host sees it only through the application',
  { timeout: 90_000 }, async () => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const email = `share-${suffix}@example.test`;
    const student = (await apiExpect(201, 'POST', '/api/v1/auth/register',
      { body: { email, password: PASSWORD, name: 'Kofi Mensah' } })).token;
    await confirmEmail(email);
    await apiExpect(200, 'PATCH', '/api/v1/me', {
      token: student,
      body: { status: 'graduate', graduation_year: 2023, visa_kind: 'b1_b2', step1: 'passed', english_proof: 'oet' },
    });
    const form = new FormData();
    form.append('kind', 'cv');
    form.append('file', new Blob([textPdf('Kofi Mensah, curriculum vitae')], { type: 'application/pdf' }), 'cv.pdf');
    const uploaded = await fetch(`${BASE_URL}/api/v1/documents`,
      { method: 'POST', headers: { authorization: `Bearer ${student}` }, body: form });
    assert.equal(uploaded.status, 201, 'upload through the API');
    const doc = await uploaded.json();

    const host = await login('host@rounds.test');
    assert.equal((await api('GET', `/api/v1/documents/${doc.id}`, { token: host })).status, 404,
      'before any application the host cannot see the document');
    const found = await apiExpect(200, 'GET', '/api/v1/offerings?q=Lakeside&eligible=me&limit=50', { token: student });
    const offering = found.items.find((o) => o.host && o.host.name === HOST_NAME);
    assert.ok(offering, `a ${HOST_NAME} rotation open to the student`);
    const start = Date.now() + 45 * DAY;
    const block = await apiExpect(201, 'POST', `/api/v1/offerings/${offering.id}/blocks`, {
      token: host,
      body: { start: isoDate(start), end: isoDate(start + (offering.weeks * 7 - 1) * DAY), seats: 2 },
    });

    const { context, page } = await person(email);
    try {
      await page.goto(`/offerings/${offering.id}`);
      const apply = page.getByRole('region', { name: 'Apply for this rotation' });
      await apply.locator(`input[type="radio"][value="${block.id}"]`).check();
      const share = apply.getByRole('group', { name: 'Share documents from your wallet (optional)' });
      await share.getByRole('checkbox', { name: /Curriculum vitae: cv\.pdf/ }).check();
      const status = await press(page, apply.getByRole('button', { name: 'Apply', exact: true }),
        (u) => u.pathname.startsWith('/applications/'));
      assert.equal(status, 303, 'applying with a shared document');
      const applicationId = pathOf(page).split('/')[2];
      const seen = await apiExpect(200, 'GET', `/api/v1/documents/${doc.id}`, { token: host });
      assert.equal(seen.kind, 'cv', 'the host sees the shared document through the application');
      await apiExpect(200, 'POST', `/api/v1/applications/${applicationId}/withdraw`, { token: student, body: { note: '' } });
      assert.equal((await api('GET', `/api/v1/documents/${doc.id}`, { token: host })).status, 404,
        'once the application is withdrawn the host no longer sees it');
    } finally {
      await context.close();
    }
  });
