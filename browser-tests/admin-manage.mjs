// Drives the admin console's management pages in headless Chromium: signs in, creates a user with
// the form (a weak password first: the page shows the server's refusal), sets the rollout, puts a
// user on the denylist, opens the audit log; saves a screenshot of each tab and prints what it saw
// as one JSON line. Usage:
//   node admin-manage.mjs <baseUrl> <username> <password> <screenshotPrefix> <newUser>
import { chromium } from 'playwright-core';

const [baseUrl, username, password, prefix, newUser] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => d.accept());
  await page.goto(baseUrl + '/admin/?interval=5000');
  await page.waitForSelector('#login-form', { state: 'visible', timeout: 30000 });
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#manage-users tbody tr', { timeout: 30000 });
  const usersBefore = await page.$$eval('#manage-users tbody tr', (rows) => rows.length);

  // Weak password: the server's 400 with the field at fault, shown on the page.
  await page.fill('#create-user input[name=username]', newUser);
  await page.fill('#create-user input[name=password]', newUser + '-password-1');
  await page.click('#create-user button[type=submit]');
  await page.waitForSelector('#manage-message.bad', { timeout: 10000 });
  const refusal = await page.textContent('#manage-message');

  await page.fill('#create-user input[name=password]', 'Console-made-password-42');
  await page.click('#create-user button[type=submit]');
  await page.waitForSelector(`#manage-users tr[data-username="${newUser}"]`, { timeout: 10000 });
  const created = await page.textContent('#manage-message');
  const newRow = await page.$$eval(`#manage-users tr[data-username="${newUser}"] td`, (tds) => tds.map((t) => t.textContent));
  await page.screenshot({ path: prefix + '-users.png', fullPage: true });

  await page.click('#manage-tabs .tab[data-tab=rollout]');
  await page.waitForSelector('#rollout-summary:not(:empty)', { timeout: 10000 });
  await page.fill('#rollout-form input[name=percentage]', '50');
  await page.click('#rollout-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('rollout-summary').textContent.includes('50 %'), null, { timeout: 10000 });
  await page.fill('#rollout-user input[name=username]', newUser);
  await page.selectOption('#rollout-user select[name=list]', 'deny');
  await page.click('#rollout-user button[type=submit]');
  await page.waitForFunction((u) => document.getElementById('rollout-deny').textContent.includes(u), newUser, { timeout: 10000 });
  const rollout = await page.textContent('#rollout-summary');
  await page.screenshot({ path: prefix + '-rollout.png', fullPage: true });

  await page.click('#manage-tabs .tab[data-tab=audit]');
  await page.waitForSelector('#manage-audit tbody tr', { timeout: 10000 });
  const audit = await page.$$eval('#manage-audit tbody tr', (rows) => rows.map((r) =>
    [...r.querySelectorAll('td')].map((t) => t.textContent)));
  await page.screenshot({ path: prefix + '-audit.png', fullPage: true });
  const pageText = await page.evaluate(() => document.body.innerText);
  console.log(JSON.stringify({ ok: true, errors, usersBefore, refusal, created, newRow, rollout, audit,
    passwordShown: pageText.includes('Console-made-password-42') }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
