// catalog.test.mjs — the student's catalog journey in a real browser with
// JavaScript disabled, against the demo catalog that run.sh seeds
// (`rounds seed --demo`):
//
//   /search → pick a specialty, then a state, from the facet counts shown in
//   the form → Search → every card is of that specialty and state → click
//   another state on the U.S. map → the state filter changes and the
//   specialty stays → open an offering → its blocks table, full price and
//   refund policy.
//
// Nothing about the catalog is hard-coded: choices come from the counts on
// the page. Also: every form control and map link has an accessible name, a
// bad date answers 400 with a message on the page, and "Next page" keeps the
// filters (search_nav.test.mjs has the pager, the way back and the map's
// counts). Screenshots: search.png, offering.png (in SCREENSHOT_DIR).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, screenshot, checkAxe, overflow, PASSWORD } from './lib.mjs';

const pathOf = (page) => new URL(page.url()).pathname;
const filters = (page) => page.getByRole('search', { name: 'Search rotations' });
const paramsOf = (page) => new URL(page.url()).searchParams;

// "Cardiology (12)" → { value, name: "Cardiology", count: 12 } for each
// option of a select that shows a count.
async function countedOptions(select) {
  const out = [];
  for (const opt of await select.locator('option').all()) {
    const value = await opt.getAttribute('value');
    const m = /^(.*) \((\d+)\)$/.exec((await opt.textContent()).trim());
    if (value && m) out.push({ value, name: m[1], count: Number(m[2]) });
  }
  return out;
}

// The option with the most results (ties: the first), or fails.
function busiest(options, what) {
  const withResults = options.filter((o) => o.count > 0);
  assert.ok(withResults.length > 0,
    `no ${what} with results on /search — is the demo catalog seeded (rounds seed --demo)?`);
  return withResults.reduce((a, b) => (b.count > a.count ? b : a));
}

// Clicks the submit button and waits for the GET /search it sends.
async function search(page) {
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/search' && u.search !== ''),
    page.getByRole('button', { name: 'Search', exact: true }).click(),
  ]);
  await page.waitForLoadState('load');
}

async function resultCount(page) {
  const heading = page.locator('#results-heading');
  const text = (await heading.textContent()).trim();
  if (/^No rotations/.test(text)) return 0;
  const m = /^(\d+) rotations?$/.exec(text.replace(/\s+/g, ' '));
  assert.ok(m, `results heading should read "N rotations", got "${text}"`);
  return Number(m[1]);
}

// Every visible control of the filter form has exactly one <label for>, and
// the labels a student would look for are there.
async function checkFormLabels(page) {
  const form = page.locator('form.filters');
  assert.equal(await form.count(), 1, 'one filter form');
  assert.equal((await form.getAttribute('method') || '').toLowerCase(), 'get', 'the filter form uses GET');
  const controls = await form.locator('input:not([type=hidden]), select').all();
  assert.ok(controls.length >= 10, `expected the full set of filters, found ${controls.length} controls`);
  for (const c of controls) {
    const id = await c.getAttribute('id');
    const name = await c.getAttribute('name');
    assert.ok(id, `control name="${name}" has no id for a label`);
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `control #${id} has no label`);
  }
  for (const [name, label] of [['q', 'Keywords'], ['specialty', 'Specialty'], ['state', 'State'],
    ['start_from', 'Earliest start'], ['start_to', 'Latest start'], ['max_tuition', 'Maximum tuition'],
    ['include_full', 'Include full rotations'], ['sort', 'Sort by']]) {
    const loc = page.getByLabel(label, { exact: true }).and(page.locator(`[name="${name}"]`));
    assert.equal(await loc.count(), 1, `expected the control name="${name}" to be labelled "${label}"`);
  }
  const kinds = form.getByRole('group', { name: 'Kind of rotation' }).getByRole('radio');
  assert.equal(await kinds.count(), 5, 'kind: "Any kind" and four kinds as radios in a labelled group');
}

test('catalog journey: search, facets, map, offering — without JavaScript', { timeout: 120_000 }, async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    const res = await page.goto('/search');
    assert.equal(res.status(), 200, 'GET /search');
    await checkFormLabels(page);
    assert.equal(await page.locator('[name="eligible"]').count(), 0,
      '"only eligible for me" is for signed-in students');
    const everything = await resultCount(page);
    assert.ok(everything > 0,
      'no rotations on /search: run.sh seeds the demo catalog with `rounds seed --demo` — did it create offerings?');

    // A specialty from the counts in its select, then a state from the counts
    // that the specialty leaves (so that the pair has results).
    const specialty = busiest(await countedOptions(page.locator('select[name="specialty"]')), 'specialty');
    await filters(page).getByLabel('Specialty', { exact: true }).selectOption(specialty.value);
    await search(page);
    assert.equal(paramsOf(page).get('specialty'), specialty.value);
    assert.equal(await resultCount(page), specialty.count, 'the count in the option is the number of results');

    const stateOptions = await countedOptions(page.locator('select[name="state"]'));
    const state = busiest(stateOptions, `state for ${specialty.name}`);
    await filters(page).getByLabel('State', { exact: true }).selectOption(state.value);
    await search(page);
    assert.equal(paramsOf(page).get('specialty'), specialty.value, 'the specialty stays selected');
    assert.equal(paramsOf(page).get('state'), state.value);
    assert.match(await page.title(), new RegExp(`^${specialty.name} .*rotations in ${state.name} · `),
      'the page title names the filters');
    const total = await resultCount(page);
    assert.equal(total, state.count, 'the count in the state option is the number of results');

    // Every card is of that specialty and state, as a reader sees it.
    const cards = page.locator('ol.results article.result');
    const shown = await cards.count();
    assert.ok(shown > 0 && shown <= total, `cards shown: ${shown} of ${total}`);
    for (const card of await cards.all()) {
      assert.equal((await card.locator('.tag.specialty').textContent()).trim(), specialty.name);
      assert.match((await card.locator('.place').textContent()).trim(), new RegExp(`, ${state.value}$`));
      assert.match(await card.locator('.price').textContent(), /^(\$\d{1,3}(,\d{3})*(\.\d\d)?|Free)$/);
      assert.ok(await card.locator('h3 a[href^="/offerings/"]').count() === 1, 'card title links to the offering');
    }
    // The selects keep the choices; the active filters can be removed one by one.
    assert.equal(await filters(page).getByLabel('Specialty', { exact: true }).inputValue(), specialty.value);
    assert.equal(await filters(page).getByLabel('State', { exact: true }).inputValue(), state.value);
    assert.equal(await page.getByRole('link', { name: `Remove filter: ${specialty.name}` }).count(), 1);

    // A facet link filters by its value, keeps the other filters, and its
    // count is the number of results it leads to.
    const kindFacets = page.getByRole('list', { name: 'By kind' }).getByRole('link');
    assert.ok(await kindFacets.count() > 0, 'the kinds are listed as links with counts');
    const kindLink = kindFacets.first();
    const kindText = (await kindLink.textContent()).trim();
    const kindCount = Number(/\((\d+)\)$/.exec(kindText)[1]);
    await Promise.all([page.waitForURL((u) => u.searchParams.has('kind')), kindLink.click()]);
    assert.equal(paramsOf(page).get('specialty'), specialty.value, 'the kind facet kept the specialty');
    assert.equal(paramsOf(page).get('state'), state.value, 'the kind facet kept the state');
    assert.equal(await resultCount(page), kindCount, `"${kindText}" leads to that many results`);
    await page.goBack();
    await page.waitForLoadState('load');

    // The map: 51 state links, each with a <title> as its name; the selected
    // state is marked.
    const mapLinks = page.locator('.usmap svg a');
    assert.equal(await mapLinks.count(), 51, 'the map links every state and DC');
    assert.equal(await page.locator('.usmap svg a:not(:has(> title))').count(), 0, 'every map link has a title');
    for (const link of await mapLinks.all())
      assert.match(await link.locator('title').textContent(), /^[A-Z][A-Za-z. ]+: \d+ open offerings?$/);
    const selectedOnMap = page.locator('.usmap svg a[aria-current="true"]');
    assert.equal(await selectedOnMap.count(), 1, 'the selected state is marked on the map');
    const stateName = stateOptions.find((o) => o.value === state.value).name;
    assert.match(await selectedOnMap.locator('title').textContent(), new RegExp(`^${stateName}:`));
    await screenshot(page, 'search.png');

    // Click another state on the map (one with results for this specialty when
    // there is one): the state filter changes, the specialty stays.
    const other = stateOptions.filter((o) => o.value !== state.value && o.count > 0)
      .sort((a, b) => b.count - a.count)[0];
    const targetName = other ? other.name : (await mapLinks.first().locator('title').textContent()).split(':')[0];
    const target = page.locator('.usmap svg a').filter({ has: page.locator('title', { hasText: `${targetName}:` }) });
    assert.equal(await target.count(), 1, `a map link for ${targetName}`);
    const before = page.url();
    try {
      await target.click({ timeout: 3000 });
    } catch {
      // The middle of some states' boxes lies over a neighbour: use the keyboard.
      await target.focus();
      await target.press('Enter');
    }
    await page.waitForURL((u) => u.href !== before);
    await page.waitForLoadState('load');
    const mapped = paramsOf(page).get('state');
    assert.notEqual(mapped, state.value, 'the map changed the state filter');
    assert.equal(paramsOf(page).get('specialty'), specialty.value, 'the map kept the specialty filter');
    assert.equal(await filters(page).getByLabel('State', { exact: true }).inputValue(), mapped);
    assert.match(await page.locator('.usmap svg a[aria-current="true"] title').textContent(),
      new RegExp(`^${targetName}:`));

    // Open an offering (from this state, or from the previous one if it has none).
    if (await resultCount(page) === 0) await page.goBack();
    const first = page.locator('ol.results article.result').first();
    const title = (await first.locator('h3 a').textContent()).trim();
    const cardPrice = (await first.locator('.price').textContent()).trim();
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/offerings/')),
      first.locator('h3 a').click()]);
    await page.waitForLoadState('load');
    assert.equal((await page.locator('h1').textContent()).trim(), title);

    // The site's time zone as people name it ("Eastern Time"), not as the tz database does.
    const zone = (await page.locator('dt', { hasText: 'Time zone' }).locator('xpath=following-sibling::dd[1]')
      .textContent()).trim();
    assert.match(zone, /^(Eastern|Central|Mountain|Pacific|Alaska|Hawaii|Atlantic) Time\b/, zone);

    // Dates and seats.
    const table = page.getByRole('table', { name: /start dates/i });
    assert.equal(await table.count(), 1, 'a table of start dates');
    const headers = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
    assert.deepEqual(headers, ['Starts', 'Ends', 'Seats', 'Seats left']);
    const rows = await table.locator('tbody tr').all();
    assert.ok(rows.length > 0, 'at least one upcoming block');
    for (const row of rows) {
      const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
      assert.match(cells[0], /^[A-Z][a-z]{2} \d{1,2}, \d{4}$/);
      assert.match(cells[3], /^(\d+|Full)$/);
    }

    // The full price, with the arithmetic shown.
    const price = page.getByRole('region', { name: 'Full price' });
    assert.equal(await price.count(), 1, 'a "Full price" section');
    const money = async (term) => (await price.locator('dt', { hasText: term }).locator('xpath=../dd')
      .textContent()).trim();
    const dollars = (s) => (s === 'Free' || s === 'None' ? 0 : Number(s.replace(/[$,]/g, '')));
    const tuition = await money('Tuition');
    const fee = await money('Platform fee');
    const sum = await money('Total');
    assert.equal(tuition, cardPrice, 'the card showed the same tuition');
    assert.equal(dollars(sum), Math.round((dollars(tuition) + dollars(fee)) * 100) / 100, 'total = tuition + fee');

    // The refund policy and the preceptor, before any payment.
    const refund = page.getByRole('region', { name: /refund/i });
    assert.equal(await refund.count(), 1, 'a refund policy section');
    assert.ok((await refund.locator('p').first().textContent()).trim().length > 10, 'the refund policy has text');
    const preceptor = page.getByRole('region', { name: 'Your preceptor' });
    assert.match(await preceptor.textContent(), /Verified preceptor|Not yet verified/);
    assert.ok(await page.getByRole('region', { name: 'Who can apply' }).count() === 1);
    await screenshot(page, 'offering.png');
  });
});

test('a bad date is explained on the page with status 400', { timeout: 60_000 }, async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    const res = await page.goto('/search?start_from=2026-02-30');
    assert.equal(res.status(), 400);
    const alert = page.getByRole('alert');
    assert.match(await alert.textContent(), /Earliest start date/);
    // The form is still there to correct it.
    assert.equal(await page.getByRole('button', { name: 'Search', exact: true }).count(), 1);
    assert.equal(await page.locator('#f-start_from[aria-invalid="true"]').count(), 1);
  });
});

test('"Next page" keeps the filters and moves on', { timeout: 60_000 }, async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto('/search?sort=price&limit=5');
    const total = await resultCount(page);
    assert.ok(total > 5, `the demo catalog should need more than one page of 5, it has ${total} rotations`);
    const links = async () => Promise.all((await page.locator('article.result h3 a').all())
      .map((a) => a.getAttribute('href')));
    const firstPage = (await links()).map((href) => href.split('?')[0]);
    assert.equal(firstPage.length, 5);
    await Promise.all([page.waitForURL((u) => u.searchParams.get('page') === '2'),
      page.getByRole('link', { name: 'Next page' }).click()]);
    assert.equal(paramsOf(page).get('sort'), 'price');
    assert.equal(paramsOf(page).get('limit'), '5');
    assert.equal(await resultCount(page), total, 'the count is of the whole search');
    const secondPage = await links();
    assert.ok(secondPage.length > 0);
    for (const t of secondPage) {
      assert.ok(!firstPage.includes(t.split('?')[0]), `"${t}" was already on the first page`);
    }
    assert.equal(await page.getByRole('link', { name: 'Previous page' }).count(), 1);
  });
});

test('the home page leads to the search', { timeout: 60_000 }, async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto('/');
    await page.getByLabel('Search rotations').fill('clinic');
    await Promise.all([page.waitForURL((u) => u.pathname === '/search'),
      page.getByRole('button', { name: 'Search', exact: true }).click()]);
    assert.equal(paramsOf(page).get('q'), 'clinic');
    assert.equal(pathOf(page), '/search');
    await page.goto('/');
    assert.equal(await page.getByRole('link', { name: 'Browse all rotations' }).getAttribute('href'), '/search');
  });
});

// Signed in with a working role, the home page is not the student pitch: it is
// "Welcome back" and, per role, the pages that role uses — each one opens, the
// page fits a 360 px screen and passes axe-core. A student still sees the search.
test('signed in, the home page leads each role to its work', { timeout: 180_000 }, async () => {
  const roles = {
    'preceptor@rounds.test': ['As a preceptor', ['/applications', '/letters', '/teaching']],
    'host@rounds.test': ['For your host', ['/applications', '/host', '/host/earnings', '/host/rounds', '/agreements']],
    'school@rounds.test': ['For your school', ['/school', '/agreements']],
    'coach@rounds.test': ['As a coach', ['/coach']],
    'staff@rounds.test': ['Rounds staff', ['/staff/documents', '/staff/preceptors', '/staff/letters', '/staff/audit']],
  };
  const logIn = async (page, email) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname !== '/login'),
      page.getByRole('button', { name: 'Log in', exact: true }).click()]);
  };
  for (const [email, [heading, paths]] of Object.entries(roles)) {
    await withPage({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } }, async (page) => {
      await logIn(page, email);
      const res = await page.goto('/');
      assert.equal(res.status(), 200);
      await page.getByRole('heading', { level: 1, name: /^Welcome back, / }).waitFor();
      assert.equal(await page.getByRole('heading', { name: 'U.S. clinical experience, without the guesswork' }).count(),
        0, `${email}: no student pitch`);
      assert.equal(await page.getByRole('link', { name: 'Create a student account' }).count(), 0);
      const card = page.getByRole('region', { name: heading });
      const hrefs = await card.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      for (const p of paths) assert.ok(hrefs.includes(p), `${email}: "${heading}" links to ${p} (has ${hrefs})`);
      const o = await overflow(page);
      assert.ok(o.scrollWidth <= 360, `${email}: the home page is ${o.scrollWidth} px wide (${o.wide.join('; ')})`);
      await screenshot(page, `home-${email.split('@')[0]}-360.png`);
      await checkAxe(page, `${email} /`);
      for (const p of hrefs) {
        const opened = await page.goto(p);
        assert.ok(opened.status() < 400, `${email}: ${p} from the home page → ${opened.status()}`);
      }
    });
  }
  await withPage({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } }, async (page) => {
    await logIn(page, 'student@rounds.test');
    await page.goto('/');
    await page.getByLabel('Search rotations').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Your applications' }).first().getAttribute('href'), '/applications');
    assert.equal(await page.getByRole('heading', { level: 1, name: /^Welcome back/ }).count(), 0);
  });
});
