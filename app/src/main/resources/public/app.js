'use strict';
// Safeguard Responder tab. Plain DOM and fetch; every URL is relative (QRadar serves the app under its proxy path).
// Text from the API is always inserted as text, never as HTML.

const $ = (sel, root = document) => root.querySelector(sel);

function csrfHeader() {
  // QRadar enforces the QRadarCSRF header on state-changing calls (use_qradar_csrf in the manifest).
  const m = document.cookie.match(/(?:^|;\s*)QRadarCSRF=([^;]+)/);
  return m ? {QRadarCSRF: decodeURIComponent(m[1])} : {};
}

// A string body goes as it is with its own content type (a CSV file); anything else as JSON.
async function api(method, path, body, contentType) {
  // X-Requested-With: browsers only send a custom header from our own page, which the app requires of cookie
  // sessions before it changes anything.
  const headers = {Accept: 'application/json', 'X-Requested-With': 'safeguard'};
  if (method !== 'GET') Object.assign(headers, csrfHeader());
  let payload;
  if (contentType) { headers['Content-Type'] = contentType; payload = body; }
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  const r = await fetch(path, {method, headers, body: payload});
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (ignored) { data = null; }
  if (!r.ok) {
    const e = new Error((data && data.error) || ('HTTP ' + r.status));
    e.field = data && data.field;
    e.status = r.status;
    // api/session's callers decide themselves (a wrong token in the form; the first check at start-up).
    if (r.status === 401 && path !== 'api/session') needSignIn();
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
    const edit = el('button', 'Edit', 'cds--btn cds--btn--ghost cds--btn--sm sr-admin-only');
    edit.addEventListener('click', () => fillForm(t));
    const del = el('button', 'Delete', 'cds--btn cds--btn--danger--ghost cds--btn--sm sr-admin-only');
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
      const pin = el('button', 'Pin this certificate', 'cds--btn cds--btn--secondary cds--btn--sm sr-admin-only');
      pin.id = 'pin-certificate';
      pin.addEventListener('click', async () => {
        // The stored password only goes to the server and trust it was entered for: pinning asks for it again.
        fillForm(await api('GET', 'api/targets/' + encodeURIComponent(name)));
        editingTls = {mode: 'pinned', pinnedSha256: r.serverCertificateSha256};
        retestAfterSave = name;
        $('#form-error').textContent = 'Enter the password again and save to pin this certificate.';
        $('#f-password').focus();
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
let retestAfterSave = null;

function resetForm() {
  editing = null; editingTls = null; retestAfterSave = null;
  $('#target-form').reset();
  $('#f-kind').disabled = false; $('#f-name').disabled = false;
  $('#form-title').textContent = 'Add a target';
  kindChanged();
  clearErrors();
}
$('#reset-target').addEventListener('click', resetForm);

function clearErrors(form = $('#target-form')) {
  for (const e of form.querySelectorAll('.cds--form-requirement')) e.remove();
  for (const i of form.querySelectorAll('[data-invalid]')) { i.removeAttribute('data-invalid'); i.removeAttribute('aria-invalid'); }
  const general = form.querySelector('.sr-form-error');
  if (general) general.textContent = '';
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
    const retest = retestAfterSave;
    resetForm();
    loaders.targets();
    if (retest) await testTarget(retest);
  } catch (e) {
    showFieldError(e, $('#target-form'));
  }
});

function showFieldError(e, form) {
  // The API names the field ("scale.filesets[2]" names the filesets input); put the message next to it.
  const field = (e.field || '').replace(/\[\d+\]$/, '');
  const input = field && form.querySelector('[data-field="' + CSS.escape(field) + '"]');
  if (input) {
    input.setAttribute('data-invalid', 'true');
    input.setAttribute('aria-invalid', 'true');
    const msg = el('div', e.message, 'cds--form-requirement');
    msg.id = 'error-' + field.replace(/\W/g, '-');
    input.setAttribute('aria-describedby', msg.id);
    input.insertAdjacentElement('afterend', msg);
    input.focus();
  } else {
    form.querySelector('.sr-form-error').textContent = e.message;
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
  // Lets a benchmark read when the rows were there, by the browser's own clock.
  performance.mark('sr-actions-rendered');
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

// ---- reference sets --------------------------------------------------------------------------------------------
loaders.refsets = async () => {
  const sel = $('#refset-name');
  const keep = sel.value;
  const sets = await api('GET', 'api/reference-sets');
  sel.replaceChildren();
  for (const rs of sets) {
    const o = el('option', rs.name + ' (' + rs.elementType + ')');
    o.value = rs.name;
    o.dataset.description = rs.description;
    sel.appendChild(o);
  }
  if (keep) sel.value = keep;
  $('#refset-where').textContent = sets.length && sets[0].where === 'qradar'
    ? 'Changes are written to QRadar at once.' : 'Outside QRadar: this is the app\'s local copy.';
  await loadSet();
};

async function loadSet() {
  const name = $('#refset-name').value;
  const opt = $('#refset-name').selectedOptions[0];
  $('#refset-description').textContent = opt ? opt.dataset.description : '';
  const tbody = $('#refset-table tbody');
  tbody.replaceChildren();
  if (!name) return;
  try {
    const set = await api('GET', 'api/reference-sets/' + encodeURIComponent(name));
    for (const e of set.elements) {
      const del = el('button', 'Remove', 'cds--btn cds--btn--danger--ghost cds--btn--sm sr-admin-only');
      del.setAttribute('aria-label', 'Remove ' + e.value);
      del.addEventListener('click', async () => {
        await api('DELETE', 'api/reference-sets/' + encodeURIComponent(name) + '/elements/' + encodeURIComponent(e.value));
        $('#refset-result').textContent = 'Removed ' + e.value + ' from ' + name + '.';
        loadSet();
      });
      const tr = row([e.value, e.source, e.firstSeen ? e.firstSeen.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '', del]);
      tr.dataset.value = e.value;
      tbody.appendChild(tr);
    }
    $('#refset-count').textContent = set.count + (set.count === 1 ? ' value' : ' values');
  } catch (e) {
    $('#refset-count').textContent = e.message;
  }
}
$('#refset-name').addEventListener('change', () => { $('#refset-result').textContent = ''; loadSet(); });

function reportImport(r) {
  $('#refset-result').textContent = 'Added ' + r.added + ' to ' + r.name +
    (r.alreadyPresent ? ' (' + r.alreadyPresent + ' already there)' : '') + '; it now holds ' + r.count + '.';
  loadSet();
}

$('#refset-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = $('#refset-form');
  clearErrors(form);
  $('#refset-result').textContent = '';
  const values = $('#f-values').value.split('\n').map(v => v.trim()).filter(Boolean);
  try {
    reportImport(await api('POST', 'api/reference-sets/' + encodeURIComponent($('#refset-name').value) + '/elements', {values}));
    $('#f-values').value = '';
  } catch (e) {
    showFieldError(e, form);
  }
});

$('#import-csv').addEventListener('click', async () => {
  const form = $('#refset-form');
  clearErrors(form);
  $('#refset-result').textContent = '';
  const file = $('#f-csv').files[0];
  if (!file) { showFieldError({field: 'csv', message: 'choose a CSV file first'}, form); return; }
  try {
    const text = await file.text();
    reportImport(await api('POST', 'api/reference-sets/' + encodeURIComponent($('#refset-name').value) + '/import', text, 'text/csv'));
    $('#f-csv').value = '';
  } catch (e) {
    showFieldError(e, form);
  }
});

// ---- settings --------------------------------------------------------------------------------------------------
loaders.settings = async () => {
  const st = await api('GET', 'api/settings');
  $('#f-window').value = st.coalesceWindowSeconds;
  $('#f-dryrun-all').checked = !!st.dryRunAll;
  $('#f-hosts').value = (st.logSourceHosts || []).join('\n');
  $('#f-window').disabled = !me.admin;
  $('#f-dryrun-all').disabled = !me.admin;
  $('#f-hosts').disabled = !me.admin;
  $('#f-svc-days').value = st.actionServiceDays || '';
  const svc = await api('GET', 'api/content/action-caller');
  fillChoices($('#f-svc-role'), svc.userRoles || [], st.actionServiceRoleId);
  fillChoices($('#f-svc-profile'), svc.securityProfiles || [], st.actionServiceProfileId);
  for (const id of ['f-svc-role', 'f-svc-profile', 'f-svc-days']) $('#' + id).disabled = !me.admin || !inQradar;
  $('#rotate-service').disabled = !me.admin || !svc.label;
  $('#rotate-service').title = !inQradar ? 'Only inside QRadar' : !svc.label ? 'No service yet: choose a role and profile and save' : '';
  $('#svc-status').textContent = !inQradar ? 'Inside QRadar only.' : svc.error ? 'QRadar could not be asked: ' + svc.error
    : svc.label ? svc.label + ' — expires ' + when(svc.expiresAt) + ', last used ' + (svc.lastUsedAt ? when(svc.lastUsedAt) : 'never')
    : 'No service yet.';
  const dry = $('#dryrun-table tbody');
  dry.replaceChildren();
  for (const t of await api('GET', 'api/targets')) {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = !!t.dryRun;
    box.id = 'dryrun-' + t.name;
    box.disabled = !me.admin;
    box.setAttribute('aria-label', 'Dry run for ' + t.name);
    box.addEventListener('change', async () => {
      const cur = await api('GET', 'api/targets/' + encodeURIComponent(t.name));
      await api('PUT', 'api/targets/' + encodeURIComponent(t.name), Object.assign(strip(cur), {dryRun: box.checked}));
    });
    dry.appendChild(row([t.name, t.kind, box]));
  }
  const t = await api('GET', 'api/action-token');
  $('#token-status').textContent = 'Current token created ' + t.createdAt + (t.initialTokenUnrevealed ? '; the initial token has not been shown yet.' : '.');
  $('#reveal-token').disabled = !t.initialTokenUnrevealed;
  const c = await api('GET', 'api/content/status');
  $('#content-state').textContent = 'State: ' + c.state + (c.lastError ? ' — last error: ' + c.lastError : '') +
    (c.manualSteps && c.manualSteps.length ? ' — manual step: ' + c.manualSteps.join(' ') : '');
  $('#content-api').textContent = c.apiVersion ? 'QRadar API version ' + c.apiVersion +
    (c.apiVersionDeprecated ? ' (the console marks it deprecated: upgrade the app)' : '') : '';
  const tbody = $('#content-table tbody');
  tbody.replaceChildren();
  for (const i of c.items) tbody.appendChild(row([i.kind, i.name, i.state, i.detail]));
  if (c.lastUninstall) {
    for (const l of c.lastUninstall.left) tbody.appendChild(row(['left in QRadar', l, 'left', '']));
  }
};
function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}
function fillChoices(select, choices, chosen) {
  select.replaceChildren(new Option('— choose —', ''));
  for (const c of choices) select.appendChild(new Option(c.name + ' (' + c.id + ')', c.id, false, c.id === chosen));
  if (chosen && !choices.some(c => c.id === chosen)) select.appendChild(new Option('id ' + chosen, chosen, false, true));
}
$('#rotate-service').addEventListener('click', async () => {
  if (!confirm('Make a new QRadar service for the custom action? The current token stops working once every action has the new one.')) return;
  try {
    const r = await api('POST', 'api/content/action-caller/rotate');
    $('#settings-saved').textContent = 'New service in ' + r.customActionsUpdated + ' custom action(s).';
  } catch (e) {
    $('#settings-saved').textContent = e.message;
  }
  loaders.settings();
});
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

$('#settings-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = $('#settings-form');
  clearErrors(form);
  $('#settings-saved').textContent = '';
  const raw = $('#f-window').value.trim();
  const body = {coalesceWindowSeconds: raw === '' ? undefined : (/^-?\d+$/.test(raw) ? Number(raw) : raw),
    dryRunAll: $('#f-dryrun-all').checked,
    logSourceHosts: $('#f-hosts').value.split('\n').map(h => h.trim()).filter(h => h !== '')};
  if (inQradar) {
    const days = $('#f-svc-days').value.trim();
    if ($('#f-svc-role').value) body.actionServiceRoleId = Number($('#f-svc-role').value);
    if ($('#f-svc-profile').value) body.actionServiceProfileId = Number($('#f-svc-profile').value);
    if (days) body.actionServiceDays = /^\d+$/.test(days) ? Number(days) : days;
  }
  try {
    await api('PUT', 'api/settings', body);
    $('#settings-saved').textContent = 'Saved; the next action uses these settings.';
  } catch (e) {
    showFieldError(e, form);
  }
});

// ---- who is here -----------------------------------------------------------------------------------------------
let me = {admin: false};
let inQradar = false;

function needSignIn() {
  if (inQradar) {
    $('#banner').hidden = false;
    $('#banner').textContent = 'QRadar did not accept your session: reload the QRadar console and sign in again.';
    return;
  }
  $('.sr-tabs').hidden = true;
  $('#sign-out').hidden = true;
  $('#who').textContent = '';
  for (const v of document.querySelectorAll('.sr-view')) v.hidden = v.id !== 'view-signin';
  $('#f-token').focus();
}

$('#signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = $('#signin-form');
  clearErrors(form);
  try {
    await api('POST', 'api/session', {token: $('#f-token').value.trim()});
    $('#f-token').value = '';
    await enter();
  } catch (e) {
    if (e.status === 401) e.field = 'token';
    showFieldError(e, form);
  }
});

$('#sign-out').addEventListener('click', async () => {
  await api('DELETE', 'api/session');
  needSignIn();
});

async function enter(health) {
  try {
    me = await api('GET', 'api/session');
  } catch (e) {
    // Whether a 401 means "sign in here" or "sign in to QRadar" depends on where the app runs.
    if (health) await health;
    if (e.status === 401) needSignIn(); else $('#who').textContent = e.message;
    return;
  }
  document.body.classList.toggle('sr-readonly', !me.admin);
  $('#readonly-note').hidden = me.admin;
  $('#who').textContent = '· ' + me.user + (me.admin ? ' (admin)' : ' (read-only)');
  $('#sign-out').hidden = me.mode !== 'local';
  $('.sr-tabs').hidden = false;
  show(new URLSearchParams(location.search).get('view') || 'targets');
}

// ---- start -----------------------------------------------------------------------------------------------------
(async () => {
  // The link printed at first start carries the admin token in the fragment (never sent to a server); trade it
  // for a session and take it out of the address bar and history.
  const m = location.hash.match(/admin-token=([^&]+)/);
  if (m) {
    history.replaceState(null, '', location.pathname + location.search);
    try { await api('POST', 'api/session', {token: decodeURIComponent(m[1])}); } catch (ignored) { /* the form asks */ }
  }
  // Health and identity in parallel: the first rows should not wait for two round trips in a row.
  const health = api('GET', 'api/health').then(h => {
    inQradar = h.insideQradar;
    $('#health').textContent = 'v' + h.version + ' · ' + (h.insideQradar ? 'in QRadar' : 'standalone') +
      (h.store.writable ? '' : ' · STORE NOT WRITABLE');
  }).catch(e => { $('#health').textContent = 'unreachable: ' + e.message; });
  await enter(health);
})();
