// search_nav.test.mjs — finding one's way in the search (issue 12, item 10),
// with JavaScript off, against the demo catalog: numbered pages ("Previous
// page", "Page N of M", "Next page"); an offering opened from page 2 of a
// filtered search goes "Back to the search" to that same page with the same
// filters; the map's counts are those of the current filters (each shaded
// state leads to exactly that many results); specialties are listed by
// name; a bad page number is a 400 page that says what is allowed. At 390 px
// and 1280 px, with axe-core and the window's width checked.
//
// Screenshots: search-pager-<width>.png, search-back-<width>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAxe, newContext, overflow, screenshot } from './lib.mjs';

const paramsOf = (page) => new URL(page.url()).searchParams;

async function resultCount(page) {
  const text = (await page.locator('#results-heading').textContent()).replace(/\s+/g, ' ').trim();
  if (/^No rotations/.test(text)) return 0;
  const m = /^(\d+) rotations?$/.exec(text);
  assert.ok(m, `results heading should read "N rotations", got "${text}"`);
  return Number(m[1]);
}

const cardLinks = async (page) => Promise.all((await page.locator('article.result h3 a').all())
  .map(async (a) => (await a.getAttribute('href')).split('?')[0]));

async function fits(page, label) {
  const wide = await overflow(page);
  assert.ok(wide.scrollWidth <= wide.width, `${label}: nothing wider than ${wide.width}px: ${wide.wide.join(', ')}`);
}

async function follow(page, link) {
  const before = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
  await page.waitForLoadState('load');
}

for (const width of [390, 1280]) {
  test(`pages are numbered and "Back to the search" keeps the page and filters (${width} px)`,
    { timeout: 120_000 }, async () => {
      const context = await newContext({ javaScriptEnabled: false, viewport: { width, height: 900 } });
      try {
        const page = await context.newPage();
        await page.goto('/search?kind=hands_on&sort=price&limit=4');
        const total = await resultCount(page);
        const pages = Math.ceil(total / 4);
        assert.ok(pages >= 3, `the demo catalog should give at least 3 pages of 4 hands-on rotations, it has ${total}`);
        const pager = page.getByRole('navigation', { name: 'Result pages' });
        assert.equal((await pager.locator('[aria-current="page"]').textContent()).trim(), `Page 1 of ${pages}`);
        assert.equal(await pager.getByRole('link', { name: 'Previous page' }).count(), 0, 'no Previous on page 1');
        const first = await cardLinks(page);

        await follow(page, pager.getByRole('link', { name: 'Next page' }));
        assert.equal(paramsOf(page).get('page'), '2');
        assert.equal(paramsOf(page).get('kind'), 'hands_on');
        assert.equal(paramsOf(page).get('sort'), 'price');
        assert.equal((await pager.locator('[aria-current="page"]').textContent()).trim(), `Page 2 of ${pages}`);
        const second = await cardLinks(page);
        assert.equal(second.length, 4);
        for (const href of second) assert.ok(!first.includes(href), `${href} was on page 1 too`);
        await pager.scrollIntoViewIfNeeded();
        await fits(page, `page 2 at ${width} px`);
        await checkAxe(page, `search page 2 at ${width} px`);
        await screenshot(page, `search-pager-${width}`);

        // Previous goes back to page 1, the same cards.
        await follow(page, pager.getByRole('link', { name: 'Previous page' }));
        assert.equal(paramsOf(page).get('page'), null);
        assert.deepEqual(await cardLinks(page), first);

        // The last page: no Next.
        await page.goto(`/search?kind=hands_on&sort=price&limit=4&page=${pages}`);
        assert.equal((await pager.locator('[aria-current="page"]').textContent()).trim(), `Page ${pages} of ${pages}`);
        assert.equal(await pager.getByRole('link', { name: 'Next page' }).count(), 0, 'no Next on the last page');

        // From page 2, an offering and back: the same page of the same search.
        await page.goto('/search?kind=hands_on&sort=price&limit=4&page=2');
        const searchUrl = page.url();
        await follow(page, page.locator('article.result h3 a').first());
        assert.match(new URL(page.url()).pathname, /^\/offerings\//);
        const back = page.getByRole('link', { name: 'Back to the search' });
        await fits(page, `an offering at ${width} px`);
        await screenshot(page, `search-back-${width}`);
        await follow(page, back);
        const returned = new URL(page.url());
        assert.equal(returned.pathname, '/search');
        for (const [key, value] of new URL(searchUrl).searchParams) {
          assert.equal(returned.searchParams.get(key), value, `back keeps ${key}`);
        }
        assert.deepEqual(await cardLinks(page), second, 'back on the same page');
      } finally {
        await context.close();
      }
    });
}

test('the map counts with the current filters; specialties are listed by name', { timeout: 120_000 }, async () => {
  const context = await newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto('/search');
    // Specialties by name, in the form and in the facets.
    const names = (await page.locator('#f-specialty option').allTextContents())
      .map((t) => t.replace(/ \(\d+\)$/, '').trim()).filter((t) => t !== 'Any specialty');
    assert.ok(names.length > 5, 'the demo catalog has several specialties');
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })),
      'the specialty list is in the order of the names');
    const facet = (await page.locator('ul[aria-labelledby="facet-specialty"] a').allTextContents())
      .map((t) => t.replace(/\s*\(?\d+\)?\s*$/, '').trim());
    assert.deepEqual(facet, [...facet].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));

    // A filter that leaves few results: each state the map shades leads to that many.
    await page.goto('/search?kind=research');
    const filtered = await resultCount(page);
    const titles = await page.locator('.usmap svg a title').allTextContents();
    const counted = titles.map((t) => /^(.*): (\d+) /.exec(t)).filter(Boolean)
      .map((m) => ({ name: m[1], count: Number(m[2]) }));
    assert.equal(counted.length, 51);
    assert.equal(counted.reduce((n, s) => n + s.count, 0), filtered,
      'the states\' counts add up to the results of the filters');
    const shaded = counted.filter((s) => s.count > 0).slice(0, 2);
    assert.ok(shaded.length > 0, 'some state has research rotations');
    for (const state of shaded) {
      await page.goto('/search?kind=research');
      const link = page.locator('.usmap svg a').filter({ has: page.locator('title', { hasText: `${state.name}:` }) });
      await link.focus();
      const before = page.url();
      await Promise.all([page.waitForURL((u) => u.href !== before), link.press('Enter')]);
      await page.waitForLoadState('load');
      assert.equal(paramsOf(page).get('kind'), 'research', 'the map keeps the filter');
      assert.equal(await resultCount(page), state.count, `${state.name}: the map said ${state.count}`);
    }
  } finally {
    await context.close();
  }
});

test('a bad page number is a 400 page saying what is allowed; past the end says so', { timeout: 60_000 }, async () => {
  const context = await newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
  try {
    const page = await context.newPage();
    for (const bad of ['0', 'abc', '501', '2.5', '-1']) {
      const res = await page.goto(`/search?kind=research&page=${bad}`);
      assert.equal(res.status(), 400, `page=${bad}`);
      await page.getByText('Page must be a whole number between 1 and 500').waitFor();
      assert.ok(await page.locator('input[name="kind"][value="research"]').isChecked(), 'the filters stay');
    }
    const res = await page.goto('/search?kind=research&page=400');
    assert.equal(res.status(), 200);
    await page.getByText(/There is no page 400: this search has \d+ pages?\./).waitFor();
    await follow(page, page.getByRole('link', { name: 'Go to the last page' }));
    assert.ok(await page.locator('article.result').count() > 0);
    const offering = await page.goto(`/offerings/x?back=${'a'.repeat(1100)}`);
    assert.equal(offering.status(), 400, 'a back= over 1,024 bytes');
  } finally {
    await context.close();
  }
});
