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
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
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
  }));
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ ok: true, errors, ...seen }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
