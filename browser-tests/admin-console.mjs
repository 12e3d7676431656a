// Drives the admin console in headless Chromium: signs in, waits for the charts to hold several
// polls of data (and, with --expect-missing, for a node flagged missing), saves a screenshot and
// prints what it saw as one JSON line. Usage:
//   node admin-console.mjs <baseUrl> <username> <password> <screenshot.png> [--expect-missing]
import { chromium } from 'playwright-core';

const [baseUrl, username, password, screenshot, flag] = process.argv.slice(2);
const expectMissing = flag === '--expect-missing';
const MIN_POINTS = 3;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const missingFiles = [];
  page.on('response', (r) => { if (r.status() === 404) missingFiles.push(r.url()); });
  await page.goto(baseUrl + '/admin/?interval=700');
  await page.waitForSelector('#login-form', { state: 'visible', timeout: 30000 });
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#console-view', { state: 'visible', timeout: 30000 });
  await page.waitForFunction((min) => ['chart-connections', 'chart-latency', 'chart-batch'].every((id) => {
    const paths = document.querySelectorAll('#' + id + ' path.series');
    return paths.length > 0 && [...paths].every((p) => Number(p.dataset.points) >= min);
  }), MIN_POINTS, { timeout: 60000 });
  if (expectMissing) {
    await page.waitForSelector('#nodes tr.missing', { timeout: 60000 });
  }
  const seen = await page.evaluate(() => ({
    status: document.getElementById('status').dataset.status,
    charts: Object.fromEntries(['chart-connections', 'chart-latency', 'chart-batch'].map((id) => [id,
      [...document.querySelectorAll('#' + id + ' path.series')].map((p) => ({
        series: p.dataset.series, points: Number(p.dataset.points), d: p.getAttribute('d') }))])),
    nodes: document.querySelectorAll('#nodes tbody tr').length,
    missing: document.querySelectorAll('#nodes tbody tr.missing').length,
    users: document.querySelectorAll('#users tbody tr').length,
    connections: document.getElementById('k-connections').textContent,
    // Every card inside the page at 1400 px: none reaching past the viewport's right edge.
    outside: [...document.querySelectorAll('.card, .tile, .chart')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => e.querySelector('h2')?.textContent ?? e.className),
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.waitForTimeout(500);
  console.log(JSON.stringify({ ok: true, errors, missingFiles, ...seen }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
