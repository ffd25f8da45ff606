'use strict';
// Safeguard Responder tab. Plain DOM and fetch; every URL is relative (QRadar serves the app under its proxy path).
// Text from the API is always inserted as text, never as HTML.

const $ = (sel, root = document) => root.querySelector(sel);

function csrfHeader() {
  // QRadar enforces the QRadarCSRF header on state-changing calls (use_qradar_csrf in the manifest).
  const m = document.cookie.match(/(?:^|;\s*)QRadarCSRF=([^;]+)/);
  return m ? {QRadarCSRF: decodeURIComponent(m[1])} : {};
}

async function api(method, path, body) {
  const headers = {Accept: 'application/json'};
  if (method !== 'GET') Object.assign(headers, csrfHeader());
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) {
    const e = new Error((data && data.error) || ('HTTP ' + r.status));
    e.field = data && data.field;
    e.status = r.status;
    throw e;
  }
  return data;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    if (c instanceof Node) td.appendChild(c); else td.textContent = c === undefined || c === null ? '' : String(c);
    tr.appendChild(td);
  }
  return tr;
}

// ---- navigation ------------------------------------------------------------------------------------------------
const loaders = {};
function show(view) {
  for (const b of document.querySelectorAll('.sr-tabs [role=tab]')) {
    b.setAttribute('aria-selected', String(b.dataset.view === view));
  }
  for (const s of document.querySelectorAll('.sr-view')) s.hidden = s.id !== 'view-' + view;
  if (loaders[view]) loaders[view]();
}
for (const b of document.querySelectorAll('.sr-tabs [role=tab]')) b.addEventListener('click', () => show(b.dataset.view));

// ---- targets ---------------------------------------------------------------------------------------------------
const lastTests = {};
let editing = null;

loaders.targets = async () => {
  const tbody = $('#targets-table tbody');
  const targets = await api('GET', 'api/targets');
  tbody.replaceChildren();
  for (const t of targets) {
    const test = el('button', 'Test', 'cds--btn cds--btn--tertiary cds--btn--sm');
    test.dataset.target = t.name;
    test.addEventListener('click', () => testTarget(t.name));
    const edit = el('button', 'Edit', 'cds--btn cds--btn--ghost cds--btn--sm');
    edit.addEventListener('click', () => fillForm(t));
    const del = el('button', 'Delete', 'cds--btn cds--btn--danger--ghost cds--btn--sm');
    del.addEventListener('click', async () => {
      if (confirm('Delete target ' + t.name + '?')) { await api('DELETE', 'api/targets/' + encodeURIComponent(t.name)); loaders.targets(); }
    });
    const buttons = el('span');
    buttons.append(test, edit, del);
    const last = lastTests[t.name];
    tbody.appendChild(row([t.name, t.kind, t.host + ':' + t.port,
      t.insecure ? 'INSECURE' : t.tls.mode, t.dryRun ? 'dry run' : 'live',
      last ? (last.ok ? 'ok' : 'failed') : '', buttons]));
  }
};

async function testTarget(name) {
  const panel = $('#test-result');
  panel.hidden = false;
  panel.replaceChildren(el('p', 'Testing ' + name + '…'));
  const r = await api('POST', 'api/targets/' + encodeURIComponent(name) + '/test');
  lastTests[name] = r;
  panel.replaceChildren();
  panel.appendChild(el('p', r.summary, r.ok ? 'sr-ok' : 'sr-bad')).id = 'test-summary';
  for (const [k, v] of Object.entries(r.found || {})) panel.appendChild(el('p', k + ': ' + v));
  if (r.serverCertificateSha256) {
    panel.appendChild(el('p', 'Server certificate SHA-256: ' + r.serverCertificateSha256, 'sr-mono'));
    if (r.tlsMode !== 'pinned') {
      const pin = el('button', 'Pin this certificate', 'cds--btn cds--btn--secondary cds--btn--sm');
      pin.id = 'pin-certificate';
      pin.addEventListener('click', async () => {
        const t = await api('GET', 'api/targets/' + encodeURIComponent(name));
        await api('PUT', 'api/targets/' + encodeURIComponent(name), Object.assign(strip(t), {tls: {mode: 'pinned', pinnedSha256: r.serverCertificateSha256}}));
        await testTarget(name);
      });
      panel.appendChild(pin);
    }
  }
  panel.appendChild(el('p', 'Round trip: ' + r.roundTripMs + ' ms'));
  loaders.targets();
}

function strip(view) {
  const t = Object.assign({}, view);
  delete t.passwordSet; delete t.insecure;
  return t;
}

function kindChanged() {
  const kind = $('#f-kind').value;
  for (const fs of document.querySelectorAll('.sr-kind')) fs.hidden = fs.dataset.kind !== kind;
}
$('#f-kind').addEventListener('change', kindChanged);

function fillForm(t) {
  editing = t.name;
  $('#form-title').textContent = 'Edit target ' + t.name;
  $('#f-kind').value = t.kind; $('#f-kind').disabled = true; kindChanged();
  $('#f-name').value = t.name; $('#f-name').disabled = true;
  $('#f-host').value = t.host; $('#f-port').value = t.port; $('#f-username').value = t.username;
  $('#f-password').value = ''; $('#f-dryrun').checked = !!t.dryRun;
  const s = t.scale || {}, c = t.csm || {}, d = t.cdm || {};
  $('#f-fs').value = s.fileSystem || ''; $('#f-filesets').value = (s.filesets || []).join(', ');
  $('#f-deffs').value = s.defaultFileset || ''; $('#f-retention').value = s.retentionHours || '';
  $('#f-interval').value = s.minIntervalSeconds === undefined ? '' : s.minIntervalSeconds;
  $('#f-session').value = c.session || ''; $('#f-command').value = c.command || ''; $('#f-task').value = c.scheduledTask || '';
  $('#f-job').value = d.jobName || '';
  editingTls = t.tls;
}
let editingTls = null;

function resetForm() {
  editing = null; editingTls = null;
  $('#target-form').reset();
  $('#f-kind').disabled = false; $('#f-name').disabled = false;
  $('#form-title').textContent = 'Add a target';
  kindChanged();
  clearErrors();
}
$('#reset-target').addEventListener('click', resetForm);

function clearErrors() {
  for (const e of document.querySelectorAll('.cds--form-requirement')) e.remove();
  for (const i of document.querySelectorAll('[data-invalid]')) { i.removeAttribute('data-invalid'); i.removeAttribute('aria-invalid'); }
  $('#form-error').textContent = '';
}

function num(v) { return v.trim() === '' ? undefined : Number(v.trim()); }
function txt(v) { return v.trim() === '' ? undefined : v.trim(); }

$('#target-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearErrors();
  const kind = $('#f-kind').value;
  const body = {kind, name: txt($('#f-name').value), host: txt($('#f-host').value), port: num($('#f-port').value),
    username: txt($('#f-username').value), password: $('#f-password').value || undefined, dryRun: $('#f-dryrun').checked};
  if (editingTls) body.tls = editingTls;
  if (kind === 'scale') {
    const filesets = $('#f-filesets').value.split(',').map(x => x.trim()).filter(Boolean);
    body.scale = {fileSystem: txt($('#f-fs').value), filesets, defaultFileset: txt($('#f-deffs').value),
      retentionHours: num($('#f-retention').value), minIntervalSeconds: num($('#f-interval').value)};
  } else if (kind === 'csm') {
    body.csm = {session: txt($('#f-session').value), command: txt($('#f-command').value), scheduledTask: txt($('#f-task').value)};
  } else {
    body.cdm = {jobName: txt($('#f-job').value)};
  }
  try {
    if (editing) await api('PUT', 'api/targets/' + encodeURIComponent(editing), body);
    else await api('POST', 'api/targets', body);
    resetForm();
    loaders.targets();
  } catch (e) {
    showFieldError(e);
  }
});

function showFieldError(e) {
  // The API names the field ("scale.filesets[2]" names the filesets input); put the message next to it.
  const field = (e.field || '').replace(/\[\d+\]$/, '');
  const input = field && document.querySelector('[data-field="' + CSS.escape(field) + '"]');
  if (input) {
    input.setAttribute('data-invalid', 'true');
    input.setAttribute('aria-invalid', 'true');
    const msg = el('div', e.message, 'cds--form-requirement');
    msg.id = 'error-' + field.replace(/\W/g, '-');
    input.setAttribute('aria-describedby', msg.id);
    input.insertAdjacentElement('afterend', msg);
    input.focus();
  } else {
    $('#form-error').textContent = e.message;
  }
}

// ---- actions ---------------------------------------------------------------------------------------------------
let pageCursor = null;
let pageStack = [];
let refresh = null;

async function loadActions(before) {
  const q = new URLSearchParams({limit: '50'});
  if ($('#filter-status').value) q.set('status', $('#filter-status').value);
  if ($('#filter-target').value.trim()) q.set('target', $('#filter-target').value.trim());
  if (before) q.set('before', before);
  const page = await api('GET', 'api/actions?' + q);
  pageCursor = page.next || null;
  $('#next-page').disabled = !pageCursor;
  const tbody = $('#actions-table tbody');
  tbody.replaceChildren();
  let running = false;
  for (const a of page.items) {
    const c = a.context || {};
    const tr = row([a.acceptedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), a.type, a.target, c.rule, c.user,
      c.filename || c.path, a.status + (a.coalesced ? ' (+' + a.coalesced + ' coalesced)' : ''),
      a.durationMs === undefined || a.durationMs === null ? '' : a.durationMs + ' ms']);
    tr.className = 'sr-clickable';
    tr.tabIndex = 0;
    tr.dataset.id = a.id;
    tr.dataset.status = a.status;
    tr.addEventListener('click', () => detail(a.id));
    tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') detail(a.id); });
    tbody.appendChild(tr);
    running = running || a.status === 'accepted' || a.status === 'running';
  }
  clearTimeout(refresh);
  // Live status: while something runs, the page refreshes itself.
  if (running && !$('#view-actions').hidden) refresh = setTimeout(() => loadActions(before), 1500);
}

async function detail(id) {
  const d = await api('GET', 'api/actions/' + encodeURIComponent(id));
  const panel = $('#action-detail');
  panel.hidden = false;
  panel.replaceChildren(el('h3', 'Action ' + d.action.id + ': ' + d.action.status, 'sr-h3'));
  if (d.action.error) panel.appendChild(el('p', d.action.error, 'sr-bad'));
  for (const [k, v] of Object.entries(d.action.result || {})) panel.appendChild(el('p', k + ': ' + v));
  const table = el('table', null, 'cds--data-table cds--data-table--compact');
  const tb = document.createElement('tbody');
  for (const s of d.timeline) {
    const data = s.data || {};
    const what = s.event === 'call' ? data.request + ' → ' + data.outcome + ' (' + data.millis + ' ms)' + (data.insecure ? ' INSECURE TLS' : '')
      : JSON.stringify(data);
    tb.appendChild(row([s.time, s.event, what]));
  }
  table.appendChild(tb);
  panel.appendChild(table);
}

loaders.actions = async () => {
  pageStack = [];
  await loadActions(null);
  const v = await api('GET', 'api/journal/verify');
  const banner = $('#banner');
  banner.hidden = v.intact;
  banner.textContent = v.intact ? '' : 'The action journal does not verify: ' + v.reason + ' (' + v.brokenAtFile + ', line ' + v.brokenAtLine + ').';
};
$('#apply-filters').addEventListener('click', () => loaders.actions());
$('#first-page').addEventListener('click', () => loaders.actions());
$('#next-page').addEventListener('click', () => { if (pageCursor) { pageStack.push(pageCursor); loadActions(pageCursor); } });

// ---- snapshots -------------------------------------------------------------------------------------------------
loaders.snapshots = async () => {
  const sel = $('#snap-target');
  const keep = sel.value;
  sel.replaceChildren();
  for (const t of (await api('GET', 'api/targets')).filter(t => t.kind === 'scale')) {
    const o = el('option', t.name);
    o.value = t.name;
    sel.appendChild(o);
  }
  if (keep) sel.value = keep;
};
$('#load-snapshots').addEventListener('click', async () => {
  const name = $('#snap-target').value;
  $('#snap-error').textContent = '';
  const tbody = $('#snapshots-table tbody');
  tbody.replaceChildren();
  try {
    const [snaps, acts] = await Promise.all([
      api('GET', 'api/targets/' + encodeURIComponent(name) + '/snapshots'),
      api('GET', 'api/actions?limit=500&target=' + encodeURIComponent(name))]);
    const byName = {};
    for (const a of acts.items) if (a.result && a.result.snapshot) byName[a.result.snapshot] = a.id;
    for (const s of snaps) tbody.appendChild(row([s.name, s.fileset || 'global', s.created, s.expirationTime, byName[s.name] || '']));
  } catch (e) {
    $('#snap-error').textContent = e.message;
  }
});

// ---- settings --------------------------------------------------------------------------------------------------
loaders.settings = async () => {
  const t = await api('GET', 'api/action-token');
  $('#token-status').textContent = 'Current token created ' + t.createdAt + (t.initialTokenUnrevealed ? '; the initial token has not been shown yet.' : '.');
  $('#reveal-token').disabled = !t.initialTokenUnrevealed;
  const c = await api('GET', 'api/content/status');
  $('#content-state').textContent = 'State: ' + c.state + (c.lastError ? ' — last error: ' + c.lastError : '') +
    (c.manualSteps && c.manualSteps.length ? ' — manual step: ' + c.manualSteps.join(' ') : '');
  const tbody = $('#content-table tbody');
  tbody.replaceChildren();
  for (const i of c.items) tbody.appendChild(row([i.kind, i.name, i.state, i.detail]));
};
async function showToken(path) {
  try {
    const r = await api('POST', path);
    $('#token-value').textContent = 'Action token (shown once, copy it now): ' + r.token +
      (r.qradarActionsUpdated ? ' — put into ' + r.qradarActionsUpdated + ' QRadar custom action(s).' : '');
  } catch (e) {
    $('#token-value').textContent = e.message;
  }
  loaders.settings();
}
$('#reveal-token').addEventListener('click', () => showToken('api/action-token/reveal'));
$('#rotate-token').addEventListener('click', () => {
  if (confirm('Rotate the action token? The current one stops working at once.')) showToken('api/action-token/rotate');
});

// ---- start -----------------------------------------------------------------------------------------------------
api('GET', 'api/health').then(h => {
  $('#health').textContent = 'v' + h.version + ' · ' + (h.insideQradar ? 'in QRadar' : 'standalone') +
    (h.store.writable ? '' : ' · STORE NOT WRITABLE');
}).catch(e => { $('#health').textContent = 'unreachable: ' + e.message; });
show(new URLSearchParams(location.search).get('view') || 'targets');
