// lib.mjs — shared helpers for the browser tests (run by tests/browser/run.sh).
//
// Launches Debian's chromium through playwright-core (no downloaded browser),
// gives each test a fresh context/page, and saves screenshots to SCREENSHOT_DIR.
//
//   import { BASE_URL, withPage, screenshot } from './lib.mjs';
//   test('x', () => withPage({ javaScriptEnabled: false }, async (page) => { ... }));
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(here, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let browserPromise = null;

// One browser per test file (node --test runs each file in its own process).
export function browser() {
  if (!browserPromise) {
    browserPromise = chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
      ],
    });
  }
  return browserPromise;
}

after(async () => {
  if (browserPromise) {
    const b = await browserPromise.catch(() => null);
    browserPromise = null;
    if (b) await b.close();
  }
});

// A new isolated context (cookies, storage) for one test.
export async function newContext(options = {}) {
  const b = await browser();
  const context = await b.newContext({ baseURL: BASE_URL, ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

// Run fn(page, context) in a fresh context, closing it afterwards.
export async function withPage(options, fn) {
  if (typeof options === 'function') [options, fn] = [{}, options];
  const context = await newContext(options);
  try {
    const page = await context.newPage();
    return await fn(page, context);
  } finally {
    await context.close();
  }
}

// Save a full-page PNG as SCREENSHOT_DIR/name (".png" added if missing).
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Nothing on the page is wider than its window (no sideways scrolling at 390 px).
export async function fitsWindow(page) {
  const { scroll, client, widest } = await page.evaluate(() => {
    let widest = '';
    for (const el of document.body.querySelectorAll('*')) {
      if (el.getBoundingClientRect().right > document.documentElement.clientWidth + 1) {
        widest = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${el.className}` : ''}`;
        break;
      }
    }
    return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, widest };
  });
  if (scroll > client) throw new Error(`${page.url()} is ${scroll} px wide in a ${client} px window (${widest})`);
}
