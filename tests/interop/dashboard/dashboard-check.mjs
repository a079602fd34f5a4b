// Drives the appliance dashboard in a real headless Chromium (Debian's chromium, through puppeteer-core) for
// DashboardBrowserTests, one JSON event per stdout line:
//   loaded      navigation timing of the first load (performance API), for the report, not an assertion
//   snapshot    after the page is hidden (polling must stop): what the page shows and the last API bodies it read
//   screenshots the PNGs written to --out (1280x800 and a phone viewport)
//   watching    the page is visible again and polled for --source turning quarantined
//   quarantined that state is on the page; a third screenshot is written
//   done        console errors, page errors and CSP violations seen throughout
// Chromium runs under `setpriv --pdeathsig KILL` when setpriv exists, with a fresh temp profile, and is killed and
// its profile removed on every exit path, including stdin closing (the test host died or is done).
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { emit, exitWith, fail, parseArgs } from '../stratum-pool/lifetime.mjs';

const options = parseArgs(process.argv.slice(2), { url: '', out: '', chromium: '/usr/bin/chromium', source: 'truerng0', bound: '120' });
if (!options.url || !options.out) fail('usage: dashboard-check.mjs --url URL --out DIR [--chromium PATH] [--source ID] [--bound SECONDS]');
const bound = Number(options.bound) * 1000;

const profile = await mkdtemp(path.join(tmpdir(), 'qrng-chromium-'));
let browser = null;
async function cleanup() {
  const child = browser?.process();
  try {
    await browser?.close();
  } catch {
    // Already gone; the kill below makes sure.
  }
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await rm(profile, { recursive: true, force: true });
}
exitWith(cleanup);

const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`];
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find(existsSync);
try {
  browser = await puppeteer.launch({
    // setpriv's parent-death signal: a SIGKILLed node cannot leave a browser behind.
    executablePath: setpriv ?? options.chromium,
    args: setpriv ? ['--pdeathsig', 'KILL', '--', options.chromium, ...chromiumArgs] : chromiumArgs,
    ignoreDefaultArgs: true,
    headless: true,
    pipe: true,
    timeout: bound,
  });

  const problems = [];
  const page = await browser.newPage();
  page.setDefaultTimeout(bound);
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));

  // The last body of every API response the page received, and every request it made, by path.
  const bodies = {};
  const requests = [];
  page.on('request', (r) => requests.push({ t: Date.now(), path: new URL(r.url()).pathname }));
  page.on('response', async (r) => {
    const url = new URL(r.url());
    if (url.origin === new URL(options.url).origin && url.pathname.startsWith('/v1/') && r.status() === 200) {
      try {
        bodies[url.pathname] = JSON.parse(await r.text());
      } catch {
        // The body went away with a navigation or the browser closing; the next refresh brings another.
      }
    }
  });

  await page.setViewport({ width: 1280, height: 800 });
  await page.goto(options.url, { waitUntil: 'load' });
  const timing = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation');
    const resources = performance.getEntriesByType('resource').map((r) => ({ name: new URL(r.name).pathname, ms: r.duration, bytes: r.transferSize }));
    return { ttfb_ms: nav.responseStart - nav.requestStart, dom_content_loaded_ms: nav.domContentLoadedEventEnd, load_ms: nav.loadEventEnd, resources };
  });
  emit('loaded', timing);

  // Two full refreshes with a consistency check between them, then two history draws (the charts have data).
  await page.waitForFunction(() => Number(document.body.dataset.refreshes ?? 0) >= 3
    && document.getElementById('chain-verified').dataset.verified !== undefined
    && document.querySelectorAll('#sources tbody tr').length > 0, { polling: 100 });

  // Hide the page: it must stop polling. Wait out a refresh in flight, then read what it shows.
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await new Promise((r) => setTimeout(r, 1500));
  const hiddenAt = Date.now();
  await new Promise((r) => setTimeout(r, 3000));
  const requestsWhileHidden = requests.filter((r) => r.t >= hiddenAt).map((r) => r.path);
  const dom = await page.evaluate(() => {
    const text = (id) => document.getElementById(id).textContent;
    const field = (row, name) => row.querySelector(`[data-field="${name}"]`).textContent;
    return {
      sources: [...document.querySelectorAll('#sources tbody tr')].map((row) => ({
        id: row.dataset.source, state: field(row, 'state'), rate: field(row, 'rate'), rate_min: field(row, 'rate-min'),
        rate_max: field(row, 'rate-max'), estimate: field(row, 'estimate'), claimed: field(row, 'claimed'),
        rct: field(row, 'rct'), apt: field(row, 'apt'), estimate_failures: field(row, 'estimate-failures'),
      })),
      readiness: text('readiness'),
      pool: { depth: text('pool-depth'), capacity: text('pool-capacity'), reserve: text('pool-reserve'), tree_size: text('pool-tree-size') },
      chain: { appliance_id: text('appliance-id'), seq: text('chain-seq'), tree_size: text('chain-tree-size'), root: document.getElementById('chain-root').title, verified: document.getElementById('chain-verified').dataset.verified ?? null },
      security: { state: text('security-state'), price_index: text('price-index'), available_bits: text('price-available'), demand_bits: text('price-demand') },
      validators: { count: text('validators-count') },
      mining: { state: text('mining-state'), rate: text('mining-rate'), accepted: text('mining-accepted'), rejected: text('mining-rejected') },
      charts: document.querySelectorAll('.uplot canvas').length,
      error_banner: document.getElementById('error').hidden ? null : text('error'),
    };
  });
  emit('snapshot', { dom, api: bodies, requests_while_hidden: requestsWhileHidden });

  const shots = { desktop: path.join(options.out, 'dashboard-1280x800.png'), phone: path.join(options.out, 'dashboard-phone-390x844.png') };
  await page.screenshot({ path: shots.desktop });
  // Switching to a mobile viewport (and back) reloads the page, visible again: wait for it to draw its data.
  const drawn = () => page.waitForFunction(() => Number(document.body.dataset.refreshes ?? 0) >= 2
    && document.querySelectorAll('.uplot').length === 3, { polling: 100 });
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await drawn();
  await page.screenshot({ path: shots.phone, fullPage: true });
  await page.setViewport({ width: 1280, height: 800, isMobile: false, hasTouch: false, deviceScaleFactor: 1 });
  await drawn();
  emit('screenshots', shots);
  emit('watching', { source: options.source });
  await page.waitForFunction((id) => document.querySelector(`#sources tr[data-source="${id}"] [data-field="state"]`)?.textContent === 'quarantined',
    { polling: 100, timeout: bound }, options.source);
  const lastError = await page.evaluate((id) => document.querySelector(`#sources tr[data-source="${id}"] [data-field="last-error"]`).textContent, options.source);
  emit('quarantined', { source: options.source, last_error: lastError });
  // The next history sample and refresh draw the fault on the charts too.
  await new Promise((r) => setTimeout(r, 5500));
  shots.quarantined = path.join(options.out, 'dashboard-quarantined-1280x800.png');
  await page.screenshot({ path: shots.quarantined });
  emit('screenshots', shots);
  emit('done', { problems });
} catch (e) {
  emit('failed', { message: String(e?.stack ?? e) });
} finally {
  await cleanup();
}
process.exit(0);
