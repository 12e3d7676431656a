// Admin console, management pages: users and broker accounts, the real-time rollout, the audit
// log, over /api/admin/. Uses api() and $() from console.js. Secrets typed here go to the server
// once and are never shown again (the API never returns them).
'use strict';

const MANAGE = '/api/admin';
let activeTab = 'users';

function say(text, bad) {
  const note = $('manage-message');
  note.textContent = text;
  note.className = 'notice' + (bad ? ' bad' : '');
}

async function call(method, path, body) {
  const response = await api(method, MANAGE + path, body);
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = json.error || {};
    const fields = error.details ? ' (' + Object.entries(error.details).map(([k, v]) => k + ': ' + v).join('; ') + ')' : '';
    throw new Error((error.message || 'HTTP ' + response.status) + fields);
  }
  return json;
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function button(td, label, action) {
  const b = document.createElement('button');
  b.className = 'ghost';
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', action);
  td.appendChild(b);
}

async function act(what, method, path, body) {
  try {
    await call(method, path, body);
    say(what);
    await showTab(activeTab);
  } catch (e) {
    say(String(e.message || e), true);
  }
}

async function loadUsers() {
  const { items } = await call('GET', '/users');
  const body = $('manage-users').querySelector('tbody');
  body.replaceChildren();
  for (const u of items) {
    const row = document.createElement('tr');
    row.dataset.username = u.username;
    cell(row, u.username);
    cell(row, u.role);
    cell(row, u.disabled ? 'disabled' : 'active', u.disabled ? 'state-missing' : 'state-ok');
    cell(row, u.account ? u.account.environment + ' · ' + u.account.keyId + ' · ' + u.account.status : '–');
    cell(row, u.realtime ? 'streams' : 'polls');
    cell(row, u.sessions, 'num');
    const actions = cell(row, '');
    const name = encodeURIComponent(u.username);
    button(actions, u.disabled ? 'Enable' : 'Disable', () => act(u.username + (u.disabled ? ' enabled' : ' disabled'),
      'POST', '/users/' + name + (u.disabled ? '/enable' : '/disable')));
    if (u.account && u.account.status === 'linked') {
      button(actions, 'Test key', () => act(u.username + "'s key works", 'POST', '/users/' + name + '/account/test'));
      button(actions, 'Unlink', () => confirm('Unlink ' + u.username + "'s broker account?")
        && act(u.username + "'s account unlinked", 'DELETE', '/users/' + name + '/account'));
    }
    body.appendChild(row);
  }
}

async function loadRollout() {
  const r = await call('GET', '/rollout');
  $('rollout-summary').textContent = (r.enabled ? 'On' : 'OFF: everyone polls') + ' · ' + r.percentage + ' % · '
    + r.tradersAdmitted + ' of ' + r.traders + ' traders stream · changed ' + new Date(r.updatedAt).toLocaleString()
    + ' by ' + r.updatedBy;
  const form = $('rollout-form');
  form.elements.enabled.value = String(r.enabled);
  form.elements.percentage.value = r.percentage;
  $('rollout-allow').textContent = r.allow.join(', ') || '–';
  $('rollout-deny').textContent = r.deny.join(', ') || '–';
}

async function loadAudit() {
  const { entries } = await call('GET', '/audit?limit=100');
  const body = $('manage-audit').querySelector('tbody');
  body.replaceChildren();
  for (const e of entries) {
    const row = document.createElement('tr');
    row.dataset.action = e.action;
    cell(row, new Date(e.at).toLocaleString());
    cell(row, e.actor);
    cell(row, e.address);
    cell(row, e.action);
    cell(row, e.target);
    cell(row, e.outcome, e.outcome === 'ok' ? 'state-ok' : 'state-missing');
    cell(row, Object.entries(e.details || {}).map(([k, v]) => k + '=' + (typeof v === 'object' ? JSON.stringify(v) : v)).join(' '));
    body.appendChild(row);
  }
}

async function showTab(tab) {
  activeTab = tab;
  for (const name of ['users', 'rollout', 'audit']) {
    $('tab-' + name).hidden = name !== tab;
  }
  document.querySelectorAll('#manage-tabs .tab').forEach((b) => b.classList.toggle('active', b.dataset.tab === tab));
  try {
    await ({ users: loadUsers, rollout: loadRollout, audit: loadAudit })[tab]();
  } catch (e) {
    say(String(e.message || e), true);
  }
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

document.querySelectorAll('#manage-tabs .tab').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));

$('create-user').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const values = formValues(form);
  await act('User ' + values.username + ' created', 'POST', '/users', values);
  if (!$('manage-message').classList.contains('bad')) form.reset();
});

$('link-account').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const { username, ...account } = formValues(form);
  await act(username + "'s broker account linked", 'PUT', '/users/' + encodeURIComponent(username) + '/account', account);
  form.elements.secret.value = '';
});

$('rollout-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const values = formValues(event.target);
  act('Rollout applied', 'PUT', '/rollout', { enabled: values.enabled === 'true', percentage: Number(values.percentage) });
});

$('rollout-user').addEventListener('submit', (event) => {
  event.preventDefault();
  const { username, list } = formValues(event.target);
  const path = '/rollout/users/' + encodeURIComponent(username);
  act(username + (list ? ' on the ' + list + 'list' : ' off both lists'), list ? 'PUT' : 'DELETE', path, list ? { list } : undefined);
});

// Shown once the console is (console.js reveals #console-view after sign-in).
new MutationObserver(() => {
  if (!$('console-view').hidden && !document.querySelector('#manage-tabs .tab.active')) {
    showTab('users');
  }
}).observe($('console-view'), { attributes: true, attributeFilter: ['hidden'] });
