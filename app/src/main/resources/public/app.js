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
  const r = await reach(path, {method, headers, body: payload});
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

// ---- dates: one format everywhere -------------------------------------------------------------------------------
// Local time as YYYY-MM-DD HH:MM:SS and its zone (the same in every browser locale); on hover the UTC instant and how
// long ago it was.
function pad(n) { return String(n).padStart(2, '0'); }
function localText(d) {
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
    pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}
function utcText(d) { return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'); }

// How far a time zone is ahead of UTC at an instant (Intl knows the rules; Date only knows the browser's zone).
function zoneOffsetMs(ms, zone) {
  const f = new Intl.DateTimeFormat('en-US', {timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'});
  const p = {};
  for (const part of f.formatToParts(new Date(ms))) p[part.type] = part.value;
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second) - Math.floor(ms / 1000) * 1000;
}

// ISO instants as they are; Storage Scale's own spellings ("2026-11-30-08:15", "2026-11-30 08:15:00,000") are
// wall-clock times in the cluster's zone.
function parseTime(value, zone) {
  if (!value) return null;
  if (/^\d{4}-\d\d-\d\dT.*(Z|[+-]\d\d:?\d\d)$/.test(value)) { const d = new Date(value); return isNaN(d) ? null : d; }
  const m = String(value).match(/^(\d{4})-(\d\d)-(\d\d)[- T](\d\d):(\d\d)(?::(\d\d))?/);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  const tz = zone || 'UTC';
  try { return new Date(wall - zoneOffsetMs(wall - zoneOffsetMs(wall, tz), tz)); } catch (ignored) { return new Date(wall); }
}

function time(value, zone) {
  const d = parseTime(value, zone);
  if (!d) return document.createTextNode(value || '');
  const t = el('time', localText(d) + ' ' + zoneName(d), 'sr-time');
  t.dateTime = d.toISOString();
  t.title = utcText(d) + ' · ' + ago(d);
  return t;
}

// A control that cannot be used says why, next to it (and to screen readers), not only by being grey.
function setDisabled(control, reason) {
  control.disabled = !!reason;
  const id = control.id + '-why';
  let note = document.getElementById(id);
  if (!note && reason) {
    note = el('span', '', 'sr-why');
    note.id = id;
    control.insertAdjacentElement('afterend', note);
  }
  if (note) { note.textContent = reason || ''; note.hidden = !reason; }
  if (reason) { control.title = reason; control.setAttribute('aria-describedby', id); }
  else { control.removeAttribute('title'); control.removeAttribute('aria-describedby'); }
}

// ---- navigation ------------------------------------------------------------------------------------------------
const loaders = {};
const tabs = () => Array.from(document.querySelectorAll('.sr-tabs [role=tab]'));
function show(view) {
  for (const b of tabs()) {
    const on = b.dataset.view === view;
    b.setAttribute('aria-selected', String(on));
    b.classList.toggle('cds--tabs__nav-item--selected', on);
    b.tabIndex = on ? 0 : -1;
  }
  for (const s of document.querySelectorAll('.sr-view')) s.hidden = s.id !== 'view-' + view;
  if (loaders[view]) loaders[view]().catch(e => { $('#banner').hidden = false; $('#banner').textContent = e.message; });
}
for (const b of tabs()) {
  b.addEventListener('click', () => show(b.dataset.view));
  // The WAI-ARIA tabs pattern: arrows move between tabs, Home/End to the ends.
  b.addEventListener('keydown', (ev) => {
    const all = tabs();
    const i = all.indexOf(b);
    const to = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1}[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    const next = all[(to + all.length) % all.length];
    next.focus();
    show(next.dataset.view);
  });
}

// ---- overview --------------------------------------------------------------------------------------------------
const STATE = {
  'protected': ['Protected', 'cds--tag--green'],
  'not-protected': ['Not protected', 'cds--tag--red'],
  'unknown': ['Unknown', 'cds--tag--gray'],
};

function tag(text, cls) { return el('span', text, 'cds--tag cds--tag--sm ' + cls); }

function term(dl, name, value) {
  dl.appendChild(el('dt', name, 'sr-dt'));
  const dd = el('dd', null, 'sr-dd');
  for (const v of [].concat(value)) dd.append(v instanceof Node ? v : document.createTextNode(v));
  dl.appendChild(dd);
}

const SVG = 'http://www.w3.org/2000/svg';
function chart(perHour, bucketStart, name) {
  const w = 240, h = 48, gap = 2, bw = w / perHour.length - gap;
  const max = Math.max(1, ...perHour);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + w + ' ' + (h + 12));
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h + 12));
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'sr-chart');
  svg.setAttribute('aria-label', 'Actions per hour on ' + name + ', last 24 hours: ' +
    perHour.reduce((a, b) => a + b, 0) + ' in all, at most ' + Math.max(...perHour) + ' in one hour');
  const start = new Date(bucketStart).getTime();
  perHour.forEach((n, i) => {
    const bh = n === 0 ? 1 : Math.max(2, Math.round(h * n / max));
    const r = document.createElementNS(SVG, 'rect');
    r.setAttribute('x', String(i * (bw + gap)));
    r.setAttribute('y', String(h - bh));
    r.setAttribute('width', String(bw));
    r.setAttribute('height', String(bh));
    r.setAttribute('class', n === 0 ? 'sr-bar sr-bar--empty' : 'sr-bar');
    const title = document.createElementNS(SVG, 'title');
    const from = new Date(start + i * 3600000);
    title.textContent = localText(from).slice(0, 16) + ' – ' + pad(from.getHours()) + ':59: ' + n + (n === 1 ? ' action' : ' actions');
    r.appendChild(title);
    svg.appendChild(r);
  });
  for (const [x, label] of [[0, '−24 h'], [w, 'now']]) {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(h + 11));
    t.setAttribute('class', 'sr-axis');
    t.setAttribute('text-anchor', x === 0 ? 'start' : 'end');
    t.textContent = label;
    svg.appendChild(t);
  }
  return svg;
}

// Trouble first: red, then unknown, then protected; within each, as configured.
const STATE_ORDER = {'not-protected': 0, 'unknown': 1, 'protected': 2};
const copyName = (kind, c) => kind === 'csm' ? 'backup ' + c.name : kind === 'cdm' ? 'job run ' + c.name : c.name;

// A target's own dry run, or dry run everything: no copy is being made.
const isDry = (t) => !!(t.dryRun || settingsNow.dryRunAll);
function dryTag(t) {
  const g = tag(t.dryRun ? 'dry run' : 'dry run (everything)', 'cds--tag--warm-gray sr-dry');
  g.title = 'Actions are journalled, no storage system is called: nothing is protected while this is on.';
  return g;
}

function summaryLine(o) {
  const n = o.targets.length;
  const bad = o.targets.filter(t => t.state === 'not-protected');
  const unsure = o.targets.filter(t => t.state === 'unknown');
  const dry = o.targets.filter(isDry);
  const p = $('#overview-summary');
  p.dataset.bad = String(bad.length);
  if (!n) { p.textContent = ''; return; }
  if (bad.length) {
    const last = bad.filter(t => t.lastAction).sort((a, b) => b.lastAction.at.localeCompare(a.lastAction.at))[0];
    p.className = 'sr-summary sr-summary--bad';
    p.replaceChildren(el('strong', bad.length + ' of ' + n + (n === 1 ? ' target' : ' targets') + ' not protected'),
      last ? ' — last failure ' + ago(last.lastAction.at) + ' on ' + last.name + ': ' + last.reason : '');
  } else if (unsure.length) {
    p.className = 'sr-summary sr-summary--unsure';
    p.replaceChildren(el('strong', (n - unsure.length) + ' of ' + n + ' protected'), ' — ' + unsure.length +
      ' unknown: ' + unsure.map(t => t.name).join(', '));
  } else {
    p.className = 'sr-summary sr-summary--ok';
    p.replaceChildren(el('strong', n === 1 ? 'The target is protected' : 'All ' + n + ' targets protected'));
  }
  if (dry.length) p.append(' · ' + (settingsNow.dryRunAll ? 'dry run everything is on' : dry.length + ' in dry run: ' + dry.map(t => t.name).join(', ')));
}

function tileButton(text, label, id, onClick, cls) {
  const b = el('button', text, 'cds--btn cds--btn--sm ' + (cls || 'cds--btn--tertiary'));
  b.type = 'button';
  b.id = id;
  if (label) b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

function renderOverview(o) {
  const j = o.journal;
  // The journal is news only when it does not verify.
  const alarm = $('#journal-alarm');
  // Before the first check ends the journal is 'verifying': not intact yet, but nothing is known to be wrong.
  const broken = !j.intact && j.state !== 'verifying';
  alarm.hidden = !broken;
  alarm.replaceChildren(!broken ? '' : el('span', 'The action journal does not verify: ' + j.reason + ' (' + j.brokenAtFile +
    ', line ' + j.brokenAtLine + '). The history shown may have been changed.', 'cds--inline-notification__title'));
  const note = $('#journal-state');
  note.dataset.intact = String(j.intact);
  note.textContent = j.intact ? 'Journal intact: ' + j.records + ' records, each linked to the one before.' : '';
  $('#overview-generated').replaceChildren('As of ', time(o.generatedAt), '; activity over the last ' + o.windowHours + ' hours.');
  summaryLine(o);
  const box = $('#overview-targets');
  box.replaceChildren();
  $('#overview-empty').hidden = o.targets.length > 0;
  const ordered = o.targets.map((t, i) => [t, i])
    .sort((a, b) => ((STATE_ORDER[a[0].state] ?? 1) - (STATE_ORDER[b[0].state] ?? 1)) || a[1] - b[1]).map(x => x[0]);
  for (const t of ordered) {
    const key = t.name.replace(/\W/g, '-');
    const tile = el('article', null, 'cds--tile sr-tile');
    tile.dataset.target = t.name;
    tile.dataset.state = t.state;
    tile.dataset.dryRun = String(isDry(t));
    const head = el('h3', null, 'sr-tile-title');
    head.id = 'ov-' + key;
    tile.setAttribute('aria-labelledby', head.id);
    const [label, cls] = STATE[t.state] || [t.state, 'cds--tag--gray'];
    head.append(el('span', t.name), ' ', tag(label, cls));
    if (isDry(t)) head.append(' ', dryTag(t));
    tile.appendChild(head);
    tile.appendChild(el('p', kindName(t.kind), 'sr-muted'));
    tile.appendChild(el('p', t.reason, 'sr-reason'));
    const dl = el('dl', null, 'sr-dl');
    const c = t.lastVerifiedCopy;
    if (c) {
      const exp = c.expiresAt ? [time(c.expiresAt), c.expired ? ' ' : ''].concat(c.expired ? [tag('expired', 'cds--tag--red')] : []) : ['no expiry (not a Scale snapshot)'];
      term(dl, 'Last good copy', [copyName(t.kind, c), c.asPlanned ? '' : ' (not as planned)', ', ', el('strong', ago(c.at))]);
      term(dl, 'Made', time(c.at));
      term(dl, 'Immutable until', exp);
    } else {
      term(dl, 'Last good copy', 'none');
    }
    const a = t.last24h;
    const parts = Object.entries(a.byStatus).sort((x, y) => y[1] - x[1]).map(([k, v]) => v + ' ' + k);
    term(dl, 'Actions, last 24 h', a.total + (parts.length ? ' (' + parts.join(', ') + ')' : ''));
    if (t.lastAction) {
      const open = el('button', t.lastAction.id, 'cds--link sr-linkbutton');
      open.type = 'button';
      open.id = 'ov-open-' + key;
      open.setAttribute('aria-label', 'Open action ' + t.lastAction.id + ' on ' + t.name);
      open.addEventListener('click', () => { show('actions'); detail(t.lastAction.id, {focus: true}); });
      term(dl, 'Last action', [open, ' ', statusTag(t.lastAction.status), ' ', time(t.lastAction.at)]);
    }
    tile.appendChild(dl);
    if (t.state !== 'protected') {
      // What to do about it, from the tile itself.
      const todo = el('div', null, 'sr-buttons sr-todo');
      todo.append(tileButton('Test', 'Test ' + t.name, 'ov-test-' + key, () => { show('targets'); testTarget(t.name); }));
      if (me.admin) {
        todo.append(tileButton('Edit', 'Edit ' + t.name, 'ov-edit-' + key, async () => {
          show('targets');
          editTarget(await api('GET', 'api/targets/' + encodeURIComponent(t.name)));
        }, 'cds--btn--ghost'));
      }
      if (t.lastAction) {
        todo.append(tileButton('Open the last action', 'Open the last action on ' + t.name, 'ov-last-' + key,
          () => { show('actions'); detail(t.lastAction.id, {focus: true}); }, 'cds--btn--ghost'));
      }
      tile.appendChild(todo);
    }
    tile.appendChild(chart(a.perHour, o.bucketStart, t.name));
    box.appendChild(tile);
  }
  // Lets the browser test and the benchmark read when the tiles were there, by the browser's own clock.
  performance.mark('sr-overview-rendered');
}

let overviewShown = null;
async function refreshOverview(force) {
  let r;
  try { r = await fresh('api/overview'); } catch (e) { $('#overview-error').textContent = e.message; throw e; }
  $('#overview-error').textContent = '';
  if (!r.changed && overviewShown === r.data && (!force || $('#overview-targets').children.length)) return;
  overviewShown = r.data;
  keepFocus(() => renderOverview(r.data));
}
loaders.overview = () => {
  loadReadiness(); // readiness.js: what is at risk comes first, loaded beside the tiles
  return refreshOverview(true).catch(() => {});
};
pollers.overview = () => refreshOverview(false);

// ---- targets ---------------------------------------------------------------------------------------------------
let editing = null;

function health(t) {
  const last = t.lastTest;
  if (!last) return el('span', 'not tested yet', 'sr-muted');
  const s = el('span', null, 'sr-health-cell');
  s.append(tag(last.ok ? 'reachable' : 'failed', last.ok ? 'cds--tag--green' : 'cds--tag--red'), ' ', time(last.at));
  s.title = last.summary || '';
  if (!last.ok) s.append(el('span', last.summary, 'sr-cell-note'));
  return s;
}

loaders.targets = async () => {
  const tbody = $('#targets-table tbody');
  const targets = await api('GET', 'api/targets');
  tbody.replaceChildren();
  for (const t of targets) {
    const test = el('button', 'Test', 'cds--btn cds--btn--tertiary cds--btn--sm');
    test.type = 'button';
    test.dataset.target = t.name;
    test.id = 'test-' + t.name;
    test.setAttribute('aria-label', 'Test ' + t.name);
    test.addEventListener('click', () => testTarget(t.name));
    const edit = el('button', 'Edit', 'cds--btn cds--btn--ghost cds--btn--sm sr-admin-only');
    edit.type = 'button';
    edit.setAttribute('aria-label', 'Edit ' + t.name);
    edit.addEventListener('click', () => editTarget(t));
    const del = el('button', 'Delete', 'cds--btn cds--btn--danger--ghost cds--btn--sm sr-admin-only');
    del.type = 'button';
    del.setAttribute('aria-label', 'Delete ' + t.name);
    del.addEventListener('click', async () => {
      if (!await confirmDialog({title: 'Delete target ' + t.name + '?', body: 'Rules that name it are refused from now on; ' +
          'its journalled actions stay.', ok: 'Delete ' + t.name, danger: true})) return;
      await api('DELETE', 'api/targets/' + encodeURIComponent(t.name));
      await loaders.targets();
      $('#target-saved').textContent = 'Deleted ' + t.name + '.';
      $('#target-saved').focus();
    });
    const buttons = el('span', null, 'sr-row-buttons');
    buttons.append(test, edit, del);
    const mode = el('span');
    mode.append(isDry(t) ? dryTag(t) : 'live');
    const tr = row([t.name, kindName(t.kind), t.host + ':' + t.port,
      t.insecure ? 'INSECURE' : t.tls.mode, mode, health(t), buttons]);
    tr.dataset.target = t.name;
    tbody.appendChild(tr);
  }
};

// Edit: the form comes into view with the first field to change focused.
function editTarget(t) {
  fillForm(t);
  $('#form-title').scrollIntoView({block: 'start'});
  $('#f-host').focus();
}

async function testTarget(name) {
  const panel = $('#test-result');
  panel.hidden = false;
  panel.replaceChildren(el('p', 'Testing ' + name + '…'));
  const path = 'api/targets/' + encodeURIComponent(name) + '/test';
  let r;
  try {
    r = await api('POST', path);
    // A test the storage system is slow to answer is answered 202 (running) and followed here until it ends.
    while (r.state === 'running') {
      panel.replaceChildren(el('p', 'Testing ' + name + ' (started ' + r.startedAt + ')…'));
      await new Promise(resolve => setTimeout(resolve, 1000));
      r = await api('GET', path);
    }
  } catch (e) {
    const p = el('p', 'Could not test ' + name + ': ' + e.message, 'sr-bad');
    p.id = 'test-summary';
    p.tabIndex = -1;
    panel.replaceChildren(p);
    loaders.targets();
    p.focus();
    return;
  }
  panel.replaceChildren();
  const summary = panel.appendChild(el('p', r.summary, r.ok ? 'sr-ok' : 'sr-bad'));
  summary.id = 'test-summary';
  summary.tabIndex = -1;
  for (const [k, v] of Object.entries(r.found || {})) panel.appendChild(el('p', k + ': ' + v));
  if (r.serverCertificateSha256) {
    panel.appendChild(el('p', 'Server certificate SHA-256: ' + r.serverCertificateSha256, 'sr-mono'));
    const t = await api('GET', 'api/targets/' + encodeURIComponent(name));
    if (t.tls.pinnedSha256) panel.appendChild(el('p', 'Pinned SHA-256: ' + t.tls.pinnedSha256, 'sr-mono'));
    if (r.tlsMode !== 'pinned' || t.tls.pinnedSha256 !== r.serverCertificateSha256) {
      const pin = el('button', 'Pin this certificate', 'cds--btn cds--btn--secondary cds--btn--sm sr-admin-only');
      pin.id = 'pin-certificate';
      pin.addEventListener('click', async () => {
        // The stored password only goes to the server and trust it was entered for: pinning asks for it again.
        fillForm(await api('GET', 'api/targets/' + encodeURIComponent(name)));
        editingTls = {mode: 'pinned', pinnedSha256: r.serverCertificateSha256};
        $('#f-tls-mode').value = 'pinned'; $('#f-pin').value = r.serverCertificateSha256; tlsChanged();
        retestAfterSave = name;
        $('#form-error').textContent = 'Enter the password again and save to pin this certificate.';
        $('#f-password').focus();
      });
      panel.appendChild(pin);
    }
  }
  const rt = el('p', 'Round trip: ');
  rt.append(durationEl(r.roundTripMs));
  panel.appendChild(rt);
  await loaders.targets();
  // The result, not the page body, has the focus: a screen reader reads it, Tab goes on from there.
  summary.focus();
}

function strip(view) {
  const t = Object.assign({}, view);
  delete t.passwordSet; delete t.insecure; delete t.lastTest; // what the app says of a target, not settings
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
  $('#f-confirm').value = t.confirmSeconds === undefined ? '' : t.confirmSeconds;
  const s = t.scale || {}, c = t.csm || {}, d = t.cdm || {};
  $('#f-fs').value = s.fileSystem || ''; $('#f-filesets').value = (s.filesets || []).join(', ');
  $('#f-deffs').value = s.defaultFileset || ''; $('#f-retention').value = s.retentionHours || '';
  $('#f-interval').value = s.minIntervalSeconds === undefined ? '' : s.minIntervalSeconds;
  $('#f-global-outside').checked = s.globalOutsideFilesets === true;
  $('#f-session').value = c.session || ''; $('#f-command').value = c.command || ''; $('#f-task').value = c.scheduledTask || '';
  $('#f-job').value = d.jobName || '';
  editingTls = t.tls;
  const tls = t.tls || {mode: 'verify'};
  $('#f-tls-mode').value = tls.mode; $('#f-ca').value = tls.caPem || ''; $('#f-pin').value = tls.pinnedSha256 || '';
  tlsChanged();
}
let editingTls = null;
let retestAfterSave = null;

function resetForm() {
  editing = null; editingTls = null; retestAfterSave = null;
  $('#target-form').reset();
  $('#f-kind').disabled = false; $('#f-name').disabled = false;
  $('#form-title').textContent = 'Add a target';
  kindChanged();
  tlsChanged();
  clearErrors();
}

function tlsChanged() {
  const mode = $('#f-tls-mode').value;
  for (const r of document.querySelectorAll('[data-tls]')) r.hidden = r.dataset.tls !== mode;
}
$('#f-tls-mode').addEventListener('change', () => { editingTls = null; tlsChanged(); });
$('#f-ca').addEventListener('input', () => { editingTls = null; });
$('#f-pin').addEventListener('input', () => { editingTls = null; });
// A Carbon file uploader shows the chosen file's name beside its button (and nothing once the input is cleared).
function fileChosen(input) {
  const f = input.files && input.files[0];
  const name = document.getElementById(input.id + '-name');
  name.textContent = f ? f.name : '';
  name.parentElement.hidden = !f;
}
for (const input of document.querySelectorAll('.sr-file-input')) input.addEventListener('change', () => fileChosen(input));

// The CA file is read here and sent as PEM text with the target, like the pasted one.
$('#f-ca-file').addEventListener('change', async () => {
  const f = $('#f-ca-file').files[0];
  if (!f) return;
  if (f.size > 65536) { showFieldError({field: 'tls.caPem', message: 'a CA certificate is a few kB: ' + f.name + ' is too large'}, $('#target-form')); return; }
  $('#f-ca').value = await f.text();
  editingTls = null;
});

function formTls() {
  const mode = $('#f-tls-mode').value;
  if (mode === 'pinned') return {mode, pinnedSha256: txt($('#f-pin').value)};
  if (mode === 'verify') return {mode, caPem: txt($('#f-ca').value)};
  return {mode};
}
$('#reset-target').addEventListener('click', resetForm);

function clearErrors(form = $('#target-form')) {
  for (const e of form.querySelectorAll('.cds--form-requirement')) e.remove();
  // No aria-describedby may point at a message that is gone.
  for (const i of form.querySelectorAll('[aria-describedby]')) {
    const left = i.getAttribute('aria-describedby').split(/\s+/).filter(id => document.getElementById(id));
    if (left.length) i.setAttribute('aria-describedby', left.join(' ')); else i.removeAttribute('aria-describedby');
  }
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
    username: txt($('#f-username').value), password: $('#f-password').value || undefined, dryRun: $('#f-dryrun').checked,
    confirmSeconds: num($('#f-confirm').value)};
  body.tls = editingTls || formTls();
  if (kind === 'scale') {
    const filesets = $('#f-filesets').value.split(',').map(x => x.trim()).filter(Boolean);
    body.scale = {fileSystem: txt($('#f-fs').value), filesets, defaultFileset: txt($('#f-deffs').value),
      retentionHours: num($('#f-retention').value), minIntervalSeconds: num($('#f-interval').value),
      globalOutsideFilesets: $('#f-global-outside').checked || undefined};
  } else if (kind === 'csm') {
    body.csm = {session: txt($('#f-session').value), command: txt($('#f-command').value), scheduledTask: txt($('#f-task').value)};
  } else {
    body.cdm = {jobName: txt($('#f-job').value)};
  }
  try {
    if (editing) await api('PUT', 'api/targets/' + encodeURIComponent(editing), body);
    else await api('POST', 'api/targets', body);
    const retest = retestAfterSave;
    const saved = editing || body.name;
    resetForm();
    await loaders.targets();
    $('#target-saved').textContent = 'Saved target ' + saved + '.';
    if (retest) await testTarget(retest); else $('#target-saved').focus();
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
    (input.closest('.sr-file-uploader') || input).insertAdjacentElement('afterend', msg);
    input.focus();
  } else {
    form.querySelector('.sr-form-error').textContent = e.message;
  }
}

// ---- actions ---------------------------------------------------------------------------------------------------
let pageCursor = null;
let pageStack = [];
let refresh = null;

// The offense in QRadar's console (its offense summary page); outside QRadar there is no console to link to.
function offenseLink(id) {
  if (!id) return '';
  if (!inQradar) { const s = el('span', 'offense ' + id); s.title = 'Offense ' + id + ' in QRadar'; return s; }
  const a = el('a', 'offense ' + id, 'cds--link');
  a.href = '/console/qradar/jsp/QRadar.jsp?appName=Sem&pageId=OffenseSummary&summaryId=' + encodeURIComponent(id);
  a.target = '_blank';
  a.rel = 'noopener';
  a.setAttribute('aria-label', 'Offense ' + id + ' in QRadar (opens a new window)');
  return a;
}

// A link that opens another action's timeline (the action a coalesced trigger joined).
function actionLink(id, label) {
  const b = el('button', id, 'cds--link sr-linkbutton');
  b.type = 'button';
  b.setAttribute('aria-label', label || 'Open action ' + id);
  b.addEventListener('click', (ev) => { ev.stopPropagation(); detail(id, {focus: true}); });
  return b;
}

let dryTargets = new Set();
let actionsShown = null;
function actionsQuery(before) {
  const q = new URLSearchParams({limit: '50'});
  if ($('#filter-status').value) q.set('status', $('#filter-status').value);
  if ($('#filter-target').value.trim()) q.set('target', $('#filter-target').value.trim());
  if (before) q.set('before', before);
  return 'api/actions?' + q;
}

async function loadActions(before) {
  const r = await fresh(actionsQuery(before));
  // Unchanged since it was drawn: the rows stay as they are (and keep the focus).
  if (!r.changed && actionsShown === r.data && $('#actions-table tbody').children.length) return;
  actionsShown = r.data;
  const page = r.data;
  pageCursor = page.next || null;
  setDisabled($('#next-page'), pageCursor ? '' : 'No older actions' + (page.items.length ? '' : ' match these filters') + '.');
  const byId = {};
  for (const a of page.items) byId[a.id] = a;
  keepFocus(() => renderActions(page.items, byId));
  const running = page.items.some(a => a.status === 'accepted' || a.status === 'running');
  // Lets a benchmark read when the rows were there, by the browser's own clock.
  performance.mark('sr-actions-rendered');
  clearTimeout(refresh);
  // While something runs, the page follows it faster than the general poll.
  if (running && !$('#view-actions').hidden) refresh = setTimeout(() => loadActions(before).catch(() => {}), 1500);
}

function renderActions(items, byId) {
  const tbody = $('#actions-table tbody');
  tbody.replaceChildren();
  for (const a of items) {
    const c = a.context || {};
    const status = el('span', null, 'sr-status-cell');
    status.append(statusTag(a.status), a.coalesced ? ' (+' + a.coalesced + ' coalesced)' : '');
    if (a.coalescedInto) {
      // Joined another action: which one, and whether that one protected anything.
      const covering = byId[a.coalescedInto];
      status.append(' into ', actionLink(a.coalescedInto, 'Open action ' + a.coalescedInto + ', which covers this one'));
      if (covering) status.append(' ', statusTag(covering.status));
    }
    const target = el('span');
    target.append(a.target || '');
    if (a.dryRun || dryTargets.has(a.target)) { target.append(' '); target.append(tag('dry run', 'cds--tag--warm-gray')); }
    const tr = row([time(a.acceptedAt), a.type, target, offenseLink(c.offenseId), c.rule, c.user,
      c.filename || c.path, status, durationEl(a.durationMs)]);
    tr.className = 'sr-clickable';
    tr.tabIndex = 0;
    tr.dataset.id = a.id;
    tr.dataset.status = a.status;
    tr.addEventListener('click', () => detail(a.id, {focus: true}));
    tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && ev.target === tr) detail(a.id, {focus: true}); });
    tbody.appendChild(tr);
  }
}

// ---- one action's timeline: readable rows, the journal's JSON behind a toggle -------------------------------------
function kv(obj) {
  return Object.entries(obj || {}).filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => resultLabel(k).toLowerCase() + ': ' + v).join(', ');
}
function httpAnswer(d) {
  const status = d.status ? 'HTTP ' + d.status : '';
  if (d.outcome && status && String(d.outcome).startsWith(status)) return d.outcome;
  return [status, d.outcome].filter(Boolean).join(' · ');
}
const OUTCOME = {
  'verified': 'verified: read back from the storage system',
  'protected': 'protected: read back from the storage system',
  'protected-not-as-planned': 'protected, but not as planned',
  'completed': 'completed: accepted by the storage system (nothing to read back)',
  'not-protected': 'not protected',
  'unknown': 'outcome unknown: check the storage system',
  'failed': 'failed',
  'restored': 'restored: read back from the storage system',
  'not-restored': 'not restored',
};

// What was asked, what the system answered, how long it took; request/answer pairs (by their call id) make one row.
function describe(step, answers) {
  const d = step.data || {};
  switch (step.event) {
    case 'accepted': {
      const c = d.context || {};
      const plan = kv(d.plan);
      const asked = el('span', d.type + ' on ' + d.target + (d.scope ? ' (' + d.scope + ')' : '') +
          (c.rule ? ' — rule "' + c.rule + '"' : '') + (c.filename || c.path ? ', file ' + (c.filename || c.path) : '') +
          (c.user ? ', user ' + c.user : '') + (d.recoveryOf ? ' — recovery of ' + d.recoveryOf : ''));
      // Where it came from: the offense in QRadar and when the event itself happened.
      if (c.offenseId) asked.append(' — ', offenseLink(c.offenseId));
      if (c.eventTime) asked.append(' — event at ', time(c.eventTime));
      return {asked, answered: 'accepted' + (d.dryRun ? ' as a dry run' : '') + (plan ? '; plan: ' + plan : '')};
    }
    case 'recovery': return {asked: 'restore (' + d.type + ') on ' + d.target, answered: 'recovery ' + d.recovery + ' started'};
    case 'clean-room-ending': return {asked: 'end the clean-room restore (run ' + d.runId + ')' + (d.by ? ', asked by ' + d.by : ''),
      answered: 'ending'};
    case 'clean-room-ended': return {asked: 'end the clean-room restore' + (d.by ? ', asked by ' + d.by : ''),
      answered: (d.ended ? 'ended' : 'not ended') + (kv(d.result) ? ' — ' + kv(d.result) : '') + (d.error ? ' — ' + d.error : ''),
      bad: !d.ended};
    case 'coalesced': {
      const answered = el('span', 'joined action ');
      answered.append(actionLink(d.into, 'Open action ' + d.into + ', which covers this one'),
        d.reason ? ' — why: ' + d.reason : ' (within the coalescing window)');
      const outcome = el('span', null, 'sr-covering');
      answered.append(' ', outcome);
      // Whether the action it joined protected anything: that is this trigger's outcome too.
      api('GET', 'api/actions/' + encodeURIComponent(d.into)).then(x => outcome.replaceChildren('— ', statusTag(x.action.status)))
        .catch(() => {});
      return {asked: d.type + ' on ' + d.target + (d.scope ? ' (' + d.scope + ')' : ''), answered};
    }
    case 'refused': return {asked: (d.type || 'action') + ' on ' + (d.target || '?'), answered: 'refused: ' + (d.reason || ''), bad: true};
    case 'dry-run': {
      const would = Array.isArray(d.wouldCall) ? d.wouldCall.join('; ') : typeof d.wouldCall === 'object' ? kv(d.wouldCall) : d.wouldCall;
      return {asked: 'dry run', answered: 'would call: ' + (would || 'nothing')};
    }
    case 'unrecoverable': return {asked: 'resume after a restart', answered: 'not run: ' + (d.reason || 'what it was asked is unknown'), bad: true};
    case 'started': return {asked: 'start', answered: 'running'};
    case 'resumed': return {asked: 'resume after a restart', answered: kv(d) || 'resumed'};
    case 'interrupted': return {asked: 'resume after a restart', answered: 'interrupted: ' + (d.reason || d.error || 'check the storage system'), bad: true};
    case 'call': return {asked: (d.operation ? d.operation + ': ' : '') + (d.request || ''),
      answered: httpAnswer(d) + (d.insecure ? ' · TLS CHECKS OFF' : ''), ms: d.millis, bad: d.insecure || (d.status >= 400)};
    case 'request': {
      const a = answers[d.call];
      return {asked: (d.operation ? d.operation + ': ' : '') + (d.request || '') + (d.creates ? ' (creates ' + d.creates + ')' : ''),
        answered: a ? httpAnswer(a.data || {}) : 'no answer recorded', ms: a && a.data ? a.data.millis : undefined,
        bad: !a || (a.data && a.data.status >= 400), pair: a};
    }
    case 'answer': return {asked: (d.operation ? d.operation + ': ' : '') + (d.request || ''), answered: httpAnswer(d), ms: d.millis};
    case 'offense-note': return {asked: 'note on offense ' + d.offenseId, answered: d.ok ? 'written' : 'not written: ' + d.error, bad: !d.ok};
    default:
      if (OUTCOME[step.event] !== undefined) {
        const r = d.result || {};
        const planned = r.planned && typeof r.planned === 'object' ? ' — planned ' + kv(r.planned) + '; got ' + kv(r.actual) : '';
        return {asked: 'outcome', answered: OUTCOME[step.event] + (kv(r) ? ' — ' + kv(r) : '') + planned + (d.error ? ' — ' + d.error : ''),
          bad: ['failed', 'not-protected', 'not-restored', 'unknown'].includes(step.event)};
      }
      return {asked: step.event, answered: kv(d)};
  }
}

function rawToggle(id, json) {
  const b = el('button', 'JSON', 'cds--btn cds--btn--ghost cds--btn--sm sr-raw-toggle');
  b.type = 'button';
  b.setAttribute('aria-expanded', 'false');
  b.setAttribute('aria-controls', id);
  const rawRow = document.createElement('tr');
  rawRow.id = id;
  rawRow.hidden = true;
  rawRow.className = 'sr-raw';
  const td = document.createElement('td');
  td.colSpan = 6;
  td.appendChild(el('pre', JSON.stringify(json, null, 2), 'sr-mono'));
  rawRow.appendChild(td);
  b.addEventListener('click', () => {
    rawRow.hidden = !rawRow.hidden;
    b.setAttribute('aria-expanded', String(!rawRow.hidden));
  });
  return [b, rawRow];
}

// The timeline table of one action (its own, or a recovery's inside its incident): ids start with `id`.
function timelineView(timeline, id) {
  const answers = {};
  for (const s of timeline) if (s.event === 'answer' && s.data && s.data.call !== undefined) answers[s.data.call] = s;
  const paired = new Set(timeline.filter(s => s.event === 'request' && s.data && answers[s.data.call]).map(s => s.data.call));
  const table = el('table', null, 'cds--data-table cds--data-table--sm sr-timeline');
  table.id = id;
  const head = document.createElement('thead');
  const hr = document.createElement('tr');
  for (const h of ['Time', 'Step', 'What was asked', 'What the system answered', 'Took', 'Raw']) {
    const th = el('th', h);
    th.scope = 'col';
    hr.appendChild(th);
  }
  head.appendChild(hr);
  table.appendChild(head);
  const tb = document.createElement('tbody');
  let n = 0;
  for (const s of timeline) {
    if (s.event === 'answer' && s.data && paired.has(s.data.call)) continue; // shown with its request
    const w = describe(s, answers);
    const [toggle, raw] = rawToggle(id + '-raw-' + (n++), w.pair ? [s, w.pair] : s);
    const tr = row([time(s.time), s.event === 'request' && w.pair ? 'call' : s.event, w.asked,
      typeof w.answered === 'string' ? readable(w.answered) : w.answered, durationEl(w.ms), toggle]);
    tr.dataset.event = s.event;
    if (w.bad) tr.classList.add('sr-step-bad');
    tb.append(tr, raw);
  }
  table.appendChild(tb);
  const all = el('button', 'Show all as JSON', 'cds--btn cds--btn--ghost cds--btn--sm');
  all.type = 'button';
  all.id = id + '-json';
  all.setAttribute('aria-expanded', 'false');
  all.addEventListener('click', () => {
    const open = all.getAttribute('aria-expanded') !== 'true';
    for (const r of tb.querySelectorAll('tr.sr-raw')) r.hidden = !open;
    for (const b of tb.querySelectorAll('.sr-raw-toggle')) b.setAttribute('aria-expanded', String(open));
    all.setAttribute('aria-expanded', String(open));
    all.textContent = open ? 'Hide the JSON' : 'Show all as JSON';
  });
  const wrap = el('div', null, 'sr-table-wrap');
  wrap.appendChild(table);
  return [all, wrap];
}

const RECOVERY_TYPES = ['scale-restore', 'csm-recover', 'cdm-cleanroom'];
const isRunning = (status) => status === 'accepted' || status === 'running';
// Bumped whenever the detail panel shows something else: a poll of what was there before then stops.
let detailGen = 0;
let detailPoll = null;

async function detail(id, opts = {}) {
  const d = opts.data || (await fresh('api/actions/' + encodeURIComponent(id))).data;
  const gen = ++detailGen;
  detailShown = d;
  clearTimeout(detailPoll);
  const panel = $('#action-detail');
  panel.hidden = false;
  const a = d.action;
  const isRecovery = RECOVERY_TYPES.includes(a.type);
  const title = el('h3', (isRecovery ? 'Recovery ' : 'Action ') + a.id + ': ', 'sr-h3');
  title.id = 'action-title';
  title.tabIndex = -1;
  title.append(statusTag(a.status));
  const closer = el('button', 'Close', 'cds--btn cds--btn--ghost cds--btn--sm sr-close');
  closer.type = 'button';
  closer.id = 'action-close';
  closer.setAttribute('aria-label', 'Close action ' + a.id + ' (Escape)');
  closer.addEventListener('click', closeDetail);
  panel.replaceChildren(closer, title);
  panel.dataset.id = a.id;
  const sub = el('p', a.type + ' on ' + a.target + (a.scope ? ' (' + a.scope + ')' : ''), 'sr-muted');
  if (a.durationMs !== undefined && a.durationMs !== null) sub.append(' · took ', durationEl(a.durationMs));
  const ctx = a.context || {};
  if (ctx.offenseId) sub.append(' · ', offenseLink(ctx.offenseId));
  if (ctx.eventTime) sub.append(' · event at ', time(ctx.eventTime));
  if (a.coalescedInto) sub.append(' · coalesced into ', actionLink(a.coalescedInto));
  panel.appendChild(sub);
  if (a.error) { const e = el('p', null, 'sr-bad'); e.append(readable(a.error)); panel.appendChild(e); }
  const result = Object.entries(a.result || {});
  if (result.length) {
    const dl = el('dl', null, 'sr-dl');
    for (const [k, v] of result) term(dl, resultLabel(k), resultValue(v));
    panel.appendChild(dl);
  }
  if (isRecovery) {
    const accepted = d.timeline.find(s => s.event === 'accepted');
    const of = accepted && accepted.data && accepted.data.recoveryOf;
    if (of) {
      const open = el('button', of, 'cds--link sr-linkbutton');
      open.type = 'button';
      open.id = 'recovery-of';
      open.addEventListener('click', () => detail(of, {recovery: a.id}));
      const p = el('p', 'Recovery of incident ');
      p.append(open, '.');
      panel.appendChild(p);
    }
    const end = endCleanRoom(a, d.timeline, () => detail(a.id));
    if (end) panel.appendChild(end);
  } else {
    const buttons = el('div', null, 'sr-buttons');
    const recover = el('button', 'Recover…', 'cds--btn cds--btn--secondary cds--btn--sm');
    recover.type = 'button';
    recover.id = 'recover-open';
    recover.setAttribute('aria-controls', 'recover-panel');
    recover.setAttribute('aria-expanded', 'false');
    buttons.appendChild(recover);
    panel.appendChild(buttons);
    setDisabled(recover, me.admin ? '' : 'Only a QRadar administrator can restore data.');
    const box = el('section', null, 'sr-panel sr-recover');
    box.id = 'recover-panel';
    box.hidden = true;
    box.setAttribute('aria-labelledby', 'recover-title');
    panel.appendChild(box);
    recover.addEventListener('click', () => openRecover(a.id, box, recover));
    const recs = el('section', null, 'sr-recoveries');
    recs.id = 'recoveries';
    recs.setAttribute('aria-live', 'polite');
    panel.appendChild(recs);
    if (opts.note) detailNote = {id: a.id, text: opts.note, focus: true};
    if (detailNote && detailNote.id === a.id) {
      // What Restore did stays said (and focused) while the page follows the recovery.
      const note = recs.appendChild(el('p', detailNote.text, 'sr-ok'));
      note.id = 'recovery-note';
      note.tabIndex = -1;
      if (detailNote.focus) note.dataset.focus = 'true';
      detailNote.focus = false;
    }
    loadRecoveries(a.id, recs, opts.recovery, gen);
  }
  const [all, table] = timelineView(d.timeline, 'timeline');
  panel.append(el('h4', 'Timeline', 'sr-h4'), all, table);
  if (!opts.keepScroll) panel.scrollIntoView({block: 'nearest'});
  // Opened from the list or a tile: focus moves into it, so the next Tab reaches its buttons.
  if (opts.focus) title.focus();
  // A running recovery (or action) opened on its own follows itself, unless an admin is filling in a form here.
  if (isRunning(a.status)) {
    detailPoll = setTimeout(() => {
      const form = $('#recover-panel');
      if (gen === detailGen && (!form || form.hidden)) detail(a.id, {keepScroll: true}).catch(() => {});
    }, 1500);
  }
}

let detailShown = null;
let detailNote = null;
function closeDetail() {
  const panel = $('#action-detail');
  if (panel.hidden) return;
  const id = panel.dataset.id;
  ++detailGen;
  clearTimeout(detailPoll);
  panel.hidden = true;
  panel.replaceChildren();
  const tr = id && document.querySelector('#actions-table tr[data-id="' + CSS.escape(id) + '"]');
  if (tr) tr.focus();
}

pollers.actions = async () => {
  const jobs = [];
  if (!pageStack.length) jobs.push(loadActions(null));
  const panel = $('#action-detail');
  const form = $('#recover-panel');
  const typing = panel.contains(document.activeElement) && /INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName);
  if (!panel.hidden && panel.dataset.id && (!form || form.hidden) && !typing) {
    const id = panel.dataset.id;
    jobs.push(fresh('api/actions/' + encodeURIComponent(id)).then(r => {
      if ((r.changed || detailShown !== r.data) && panel.dataset.id === id && !panel.hidden) {
        return keepFocus(() => detail(id, {data: r.data, keepScroll: true}));
      }
    }));
  }
  await Promise.all(jobs);
};

// Escape closes what was opened last: the Recover panel first, then the action.
document.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Escape' || $('#confirm-dialog').open) return;
  const cancel = $('#recover-cancel');
  if (cancel && !$('#recover-panel').hidden) { ev.preventDefault(); cancel.click(); return; }
  if (!$('#view-actions').hidden && !$('#action-detail').hidden) { ev.preventDefault(); closeDetail(); }
});

// ---- statuses as tags --------------------------------------------------------------------------------------------
const STATUS_TAG = {
  'protected': 'cds--tag--green', 'restored': 'cds--tag--green', 'verified': 'cds--tag--green',
  'protected-not-as-planned': 'cds--tag--teal', 'completed': 'cds--tag--teal',
  'not-protected': 'cds--tag--red', 'not-restored': 'cds--tag--red', 'failed': 'cds--tag--red',
  'refused': 'cds--tag--red', 'unrecoverable': 'cds--tag--red', 'interrupted': 'cds--tag--magenta',
  'unknown': 'cds--tag--magenta',
  'accepted': 'cds--tag--blue', 'running': 'cds--tag--blue',
};
function statusTag(status) {
  const t = tag(status, STATUS_TAG[status] || 'cds--tag--gray');
  t.dataset.status = status;
  return t;
}

loaders.actions = async () => {
  pageStack = [];
  dryTargets = new Set((await api('GET', 'api/targets')).filter(t => t.dryRun).map(t => t.name));
  await loadActions(null);
  const v = await api('GET', 'api/journal/verify');
  const banner = $('#banner');
  banner.hidden = v.intact;
  banner.textContent = v.intact ? '' : 'The action journal does not verify: ' + v.reason + ' (' + v.brokenAtFile + ', line ' + v.brokenAtLine + ').';
};
// Enter in a filter applies it (the filters are a form).
$('#actions-filters').addEventListener('submit', (ev) => { ev.preventDefault(); loaders.actions(); });
$('#first-page').addEventListener('click', () => loaders.actions());
$('#next-page').addEventListener('click', () => { if (pageCursor) { pageStack.push(pageCursor); loadActions(pageCursor); } });

// ---- snapshots -------------------------------------------------------------------------------------------------
let scaleTargets = {};
loaders.snapshots = async () => {
  const sel = $('#snap-target');
  const keep = sel.value;
  sel.replaceChildren();
  scaleTargets = {};
  for (const t of (await api('GET', 'api/targets')).filter(t => t.kind === 'scale')) {
    scaleTargets[t.name] = t;
    sel.appendChild(new Option(t.name, t.name));
  }
  if (keep && scaleTargets[keep]) sel.value = keep;
  const none = !sel.options.length;
  setDisabled(sel, none ? 'No Storage Scale target yet: add one on the Targets page.' : '');
  setDisabled($('#load-snapshots'), none ? 'Nothing to refresh.' : '');
  if (none) { $('#snapshots-table tbody').replaceChildren(); return; }
  await loadSnapshots();
};

async function loadSnapshots() {
  const name = $('#snap-target').value;
  $('#snap-error').textContent = '';
  const tbody = $('#snapshots-table tbody');
  $('#snap-note').textContent = 'Asking ' + name + '…';
  try {
    const [snaps, acts] = await Promise.all([
      api('GET', 'api/targets/' + encodeURIComponent(name) + '/snapshots'),
      api('GET', 'api/actions?limit=500&target=' + encodeURIComponent(name))]);
    const byName = {};
    for (const a of acts.items) if (a.result && a.result.snapshot) byName[a.result.snapshot] = a.id;
    const zone = (scaleTargets[name] && scaleTargets[name].scale && scaleTargets[name].scale.clusterTimeZone) || 'UTC';
    tbody.replaceChildren();
    // Newest first, like every other list of the tab.
    const when = (s) => { const d = parseTime(s.created, zone); return d ? d.getTime() : 0; };
    for (const s of snaps.slice().sort((x, y) => when(y) - when(x))) {
      const tr = row([s.name, s.fileset || 'global', time(s.created, zone), time(s.expirationTime, zone), byName[s.name] || '']);
      tr.dataset.snapshot = s.name;
      tbody.appendChild(tr);
    }
    $('#snap-note').replaceChildren(snaps.length + (snaps.length === 1 ? ' snapshot' : ' snapshots') + ' on ' + name +
      ', as Storage Scale listed them at ', time(new Date().toISOString()), '.');
    performance.mark('sr-snapshots-rendered');
  } catch (e) {
    tbody.replaceChildren();
    $('#snap-note').textContent = '';
    $('#snap-error').textContent = e.message;
  }
}
$('#load-snapshots').addEventListener('click', loadSnapshots);
$('#snap-target').addEventListener('change', loadSnapshots);

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

// A set is shown a page at a time (the API answers at most 1000 elements a page): the cursors of the pages
// before this one are kept to go back; nothing else of the set is held.
const REFSET_PAGE = 100;
const refsetPaging = {cursor: null, back: []};

function refsetPager() {
  let pager = $('#refset-pager');
  if (!pager) {
    pager = el('div', '', 'sr-pager');
    pager.id = 'refset-pager';
    const prev = el('button', 'Previous page', 'cds--btn cds--btn--ghost cds--btn--sm');
    prev.id = 'refset-prev';
    prev.type = 'button';
    prev.addEventListener('click', () => { refsetPaging.cursor = refsetPaging.back.pop() ?? null; loadSet(); });
    const next = el('button', 'Next page', 'cds--btn cds--btn--ghost cds--btn--sm');
    next.id = 'refset-next';
    next.type = 'button';
    next.addEventListener('click', () => {
      refsetPaging.back.push(refsetPaging.cursor);
      refsetPaging.cursor = next.dataset.cursor;
      loadSet();
    });
    pager.append(prev, next);
    $('#refset-count').after(pager);
  }
  return pager;
}

async function loadSet() {
  const name = $('#refset-name').value;
  const opt = $('#refset-name').selectedOptions[0];
  $('#refset-description').textContent = opt ? opt.dataset.description : '';
  const tbody = $('#refset-table tbody');
  tbody.replaceChildren();
  refsetPager();
  if (!name) return;
  try {
    const set = await api('GET', 'api/reference-sets/' + encodeURIComponent(name) + '?limit=' + REFSET_PAGE
      + (refsetPaging.cursor ? '&cursor=' + encodeURIComponent(refsetPaging.cursor) : ''));
    for (const e of set.elements) {
      const del = el('button', 'Remove', 'cds--btn cds--btn--danger--ghost cds--btn--sm sr-admin-only');
      del.setAttribute('aria-label', 'Remove ' + e.value);
      del.addEventListener('click', async () => {
        await api('DELETE', 'api/reference-sets/' + encodeURIComponent(name) + '/elements/' + encodeURIComponent(e.value));
        $('#refset-result').textContent = 'Removed ' + e.value + ' from ' + name + '.';
        loadSet();
      });
      const tr = row([e.value, e.source, e.firstSeen ? time(e.firstSeen) : '', del]);
      tr.dataset.value = e.value;
      tbody.appendChild(tr);
    }
    const shown = set.read ? ' (' + (set.offset + 1) + '–' + (set.offset + set.read) + ' shown)' : '';
    $('#refset-count').textContent = set.count + (set.count === 1 ? ' value' : ' values')
      + (set.count > set.read ? shown : '');
    $('#refset-prev').hidden = refsetPaging.back.length === 0 && !refsetPaging.cursor;
    $('#refset-next').hidden = !set.next;
    $('#refset-next').dataset.cursor = set.next || '';
  } catch (e) {
    $('#refset-count').textContent = e.message;
  }
}
$('#refset-name').addEventListener('change', () => {
  $('#refset-result').textContent = '';
  refsetPaging.cursor = null;
  refsetPaging.back = [];
  loadSet();
});

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
    fileChosen($('#f-csv'));
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
  $('#f-attempts').value = st.attemptsPerHour === undefined || st.attemptsPerHour === null ? '' : st.attemptsPerHour;
  $('#f-gap-days').value = st.recoverGapWarnDays === undefined || st.recoverGapWarnDays === null ? '' : st.recoverGapWarnDays;
  const notAdmin = me.admin ? '' : 'Only a QRadar administrator can change this.';
  for (const id of ['f-window', 'f-dryrun-all', 'f-hosts', 'f-attempts', 'f-gap-days']) setDisabled($('#' + id), notAdmin);
  $('#f-svc-days').value = st.actionServiceDays || '';
  const svc = await api('GET', 'api/content/action-caller');
  fillChoices($('#f-svc-role'), svc.userRoles || [], st.actionServiceRoleId);
  fillChoices($('#f-svc-profile'), svc.securityProfiles || [], st.actionServiceProfileId);
  const outside = inQradar ? '' : 'Only inside QRadar: the service is made in the console.';
  for (const id of ['f-svc-role', 'f-svc-profile', 'f-svc-days']) setDisabled($('#' + id), notAdmin || outside);
  setDisabled($('#rotate-service'), notAdmin || outside || (!svc.label ? 'No service yet: choose a role and a profile, then save.' : ''));
  if (!inQradar) $('#svc-status').textContent = 'Inside QRadar only.';
  else if (svc.error) $('#svc-status').textContent = 'QRadar could not be asked: ' + svc.error;
  else if (svc.label) $('#svc-status').replaceChildren(svc.label + ' — expires ', time(svc.expiresAt), ', last used ',
    svc.lastUsedAt ? time(svc.lastUsedAt) : 'never');
  else $('#svc-status').textContent = 'No service yet.';
  const dry = $('#dryrun-table tbody');
  dry.replaceChildren();
  for (const t of await api('GET', 'api/targets')) {
    const cell = el('div', null, 'cds--checkbox-wrapper');
    const box = el('input', null, 'cds--checkbox');
    box.type = 'checkbox';
    box.checked = !!t.dryRun;
    box.id = 'dryrun-' + t.name;
    const label = el('label', null, 'cds--checkbox-label');
    label.htmlFor = box.id;
    label.appendChild(el('span', 'Dry run for ' + t.name, 'cds--checkbox-label-text sr-only'));
    cell.append(box, label);
    if (!me.admin) { box.disabled = true; box.title = notAdmin; }
    box.addEventListener('change', async () => {
      const on = box.checked;
      // Nothing changes until it is confirmed: a dry run stops protecting the target.
      const ok = await confirmDialog(on
        ? {title: 'Put ' + t.name + ' in dry run?', body: 'Its actions are then only journalled: no snapshot or copy is made on ' +
            t.name + ' until dry run is turned off again.', ok: 'Dry run ' + t.name, danger: true}
        : {title: 'Make ' + t.name + ' live?', body: 'The next rule that fires for ' + t.name + ' calls the storage system.',
          ok: 'Make ' + t.name + ' live'});
      if (!ok) { box.checked = !on; return; }
      const result = $('#dryrun-result');
      try {
        const cur = await api('GET', 'api/targets/' + encodeURIComponent(t.name));
        await api('PUT', 'api/targets/' + encodeURIComponent(t.name), Object.assign(strip(cur), {dryRun: on}));
        result.className = 'sr-ok';
        result.textContent = on ? t.name + ' is now in dry run: its actions are journalled and nothing is called.'
          : t.name + ' is live again: its next action calls the storage system.';
      } catch (e) {
        box.checked = !on;
        result.className = 'sr-bad';
        result.textContent = t.name + ' was not changed: ' + e.message;
      }
      result.focus();
    });
    dry.appendChild(row([t.name, kindName(t.kind), cell]));
  }
  const t = await api('GET', 'api/action-token');
  $('#token-status').replaceChildren('Current token created ', time(t.createdAt),
    t.initialTokenUnrevealed ? '; the initial token has not been shown yet.' : '.');
  setDisabled($('#reveal-token'), t.initialTokenUnrevealed ? ''
    : 'The initial token can be shown only once, and it has been. Rotate the token to get a new one.');
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
function fillChoices(select, choices, chosen) {
  select.replaceChildren(new Option('— choose —', ''));
  for (const c of choices) select.appendChild(new Option(c.name + ' (' + c.id + ')', c.id, false, c.id === chosen));
  if (chosen && !choices.some(c => c.id === chosen)) select.appendChild(new Option('id ' + chosen, chosen, false, true));
}
$('#rotate-service').addEventListener('click', async () => {
  if (!await confirmDialog({title: 'Make a new QRadar service?', body: 'The custom action gets a new QRadar service; ' +
      'the current token stops working once every action has the new one.', ok: 'Rotate the service', danger: true})) return;
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
$('#rotate-token').addEventListener('click', async () => {
  if (await confirmDialog({title: 'Rotate the action token?', body: 'The current token stops working at once.',
    ok: 'Rotate the token', danger: true})) showToken('api/action-token/rotate');
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
  // A non-number is sent as typed so the API's 400 names the field and the message lands next to it.
  for (const [id, field] of [['f-attempts', 'attemptsPerHour'], ['f-gap-days', 'recoverGapWarnDays']]) {
    const v = $('#' + id).value.trim();
    if (v !== '') body[field] = /^-?\d+$/.test(v) ? Number(v) : v;
  }
  if (inQradar) {
    const days = $('#f-svc-days').value.trim();
    if ($('#f-svc-role').value) body.actionServiceRoleId = Number($('#f-svc-role').value);
    if ($('#f-svc-profile').value) body.actionServiceProfileId = Number($('#f-svc-profile').value);
    if (days) body.actionServiceDays = /^\d+$/.test(days) ? Number(days) : days;
  }
  const wasAll = !!settingsNow.dryRunAll;
  if (body.dryRunAll !== wasAll && !await confirmDialog(body.dryRunAll
    ? {title: 'Dry run everything?', body: 'Every action is then only journalled: no storage system is called and nothing is ' +
        'protected until this is turned off again.', ok: 'Save: dry run everything', danger: true}
    : {title: 'Turn dry run everything off?', body: 'The next rule that fires calls the storage systems of targets that are not in dry run themselves.',
      ok: 'Save: make it live'})) return;
  try {
    await api('PUT', 'api/settings', body);
    $('#settings-saved').textContent = 'Saved; the next action uses these settings.' + (body.dryRunAll !== wasAll
      ? (body.dryRunAll ? ' Dry run everything is now on: nothing is called.' : ' Dry run everything is now off.') : '');
    await pollSettings();
    $('#settings-saved').focus();
  } catch (e) {
    showFieldError(e, form);
  }
});

$('#dryrun-banner-settings').addEventListener('click', () => { show('settings'); $('#tab-settings').focus(); });

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
  await pollSettings().catch(() => {}); // the dry-run banner is there from the first page on
  show(new URLSearchParams(location.search).get('view') || 'overview');
}

// ---- start -----------------------------------------------------------------------------------------------------
// The link printed at first start carries the admin token in the fragment (never sent to a server); trade it for a
// session and take it out of the address bar and history. Pasted into a tab that is already open, only the
// fragment changes and the page does not reload: hashchange brings it here too.
async function signInFromLink() {
  const m = location.hash.match(/admin-token=([^&]+)/);
  if (!m) return false;
  history.replaceState(null, '', location.pathname + location.search);
  try {
    await api('POST', 'api/session', {token: decodeURIComponent(m[1])});
  } catch (e) {
    needSignIn();
    showFieldError({field: 'token', message: 'the link\'s token was refused: ' + e.message}, $('#signin-form'));
    return false;
  }
  return true;
}
window.addEventListener('hashchange', async () => { if (await signInFromLink()) await enter(); });

(async () => {
  await signInFromLink();
  // Health and identity in parallel: the first rows should not wait for two round trips in a row.
  const health = api('GET', 'api/health').then(h => {
    inQradar = h.insideQradar;
    $('#health').textContent = 'v' + h.version + ' · ' + (h.insideQradar ? 'in QRadar' : 'standalone') +
      (h.store.writable ? '' : ' · STORE NOT WRITABLE');
  }).catch(e => { $('#health').textContent = 'unreachable: ' + e.message; });
  await enter(health);
})();
