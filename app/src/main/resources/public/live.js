// Safeguard Responder: pages that follow themselves. Every few seconds the page on screen asks again with the ETag
// of what it shows (a 304 costs nothing to render); the header says when the app was last heard from, and a lost
// connection is said in words, with the data on screen marked as out of date. Loaded before app.js.
'use strict';

const POLL_MS = 3000;
const live = {tags: new Map(), heardAt: 0, lostAt: 0, polling: false};

// A GET that tells whether the answer changed since this page last had it: {changed, data}.
async function fresh(path) {
  const known = live.tags.get(path);
  const headers = {Accept: 'application/json', 'X-Requested-With': 'safeguard'};
  if (known) headers['If-None-Match'] = known.etag;
  const r = await reach(path, {headers, cache: 'no-store'});
  if (r.status === 304 && known) return {changed: false, data: known.data};
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (ignored) { data = null; }
  if (!r.ok) {
    const e = new Error((data && data.error) || ('HTTP ' + r.status));
    e.status = r.status;
    if (r.status === 401) needSignIn();
    throw e;
  }
  const etag = r.headers.get('ETag');
  if (etag) {
    if (live.tags.size > 100) live.tags.clear(); // bounded: one entry per page and opened action
    live.tags.set(path, {etag, data});
  }
  return {changed: true, data};
}

// fetch, noting whether the app answered: a network error or a gateway's 502/503/504 means it was not reached.
async function reach(path, init) {
  let r;
  try {
    r = await fetch(path, init);
  } catch (e) {
    lost(e.message);
    throw new Error('the app cannot be reached (' + e.message + ')');
  }
  if (r.status === 502 || r.status === 503 || r.status === 504) {
    // The app answers 502 itself for a storage system it could not reach: that is no lost connection.
    if (!(r.headers.get('Content-Type') || '').includes('application/json')) { lost('HTTP ' + r.status); return r; }
  }
  heard();
  return r;
}

function heard() {
  const wasLost = live.lostAt;
  live.heardAt = Date.now();
  live.lostAt = 0;
  if (wasLost) {
    document.body.classList.remove('sr-stale');
    pollNow(); // what was missed while away
  }
  showLiveness();
}

function lost(why) {
  if (!live.lostAt) live.lostAt = Date.now();
  live.lostWhy = why;
  document.body.classList.add('sr-stale');
  showLiveness();
}

function showLiveness() {
  const box = $('#live');
  if (!box) return;
  if (live.lostAt) {
    box.dataset.state = 'lost';
    box.textContent = 'Connection to the app lost' + (live.heardAt ? ' — last heard ' + ago(live.heardAt) + ', at ' +
      localText(new Date(live.heardAt)) : '') + '. What is shown may be out of date; trying again every ' + POLL_MS / 1000 + ' seconds.';
    $('#stale-note').hidden = false;
  } else if (live.heardAt) {
    box.dataset.state = 'live';
    const s = Math.round((Date.now() - live.heardAt) / 1000);
    box.textContent = 'Live · updated ' + (s < 2 ? 'just now' : s + ' seconds ago');
    box.title = 'Last answer from the app at ' + localText(new Date(live.heardAt)) + ' ' + zoneName(new Date(live.heardAt));
    $('#stale-note').hidden = true;
  }
}

// Which page is on screen, and what on it follows itself.
const pollers = {};
function currentView() {
  const t = document.querySelector('.sr-tabs [role=tab][aria-selected=true]');
  return t && !$('.sr-tabs').hidden ? t.dataset.view : null;
}

async function pollNow() {
  if (live.polling) return;
  const view = currentView();
  if (!view) return;
  live.polling = true;
  try {
    await Promise.all([pollSettings()].concat(pollers[view] ? [pollers[view]()] : []));
  } catch (ignored) {
    // Said in the header (lost) or on the page itself; the next tick tries again.
  } finally {
    live.polling = false;
    showLiveness();
  }
}

// While a tab is hidden nothing is asked; it catches up as soon as it is shown again.
setInterval(() => { if (!document.hidden) pollNow(); else showLiveness(); }, POLL_MS);
document.addEventListener('visibilitychange', () => { if (!document.hidden) pollNow(); });

// Keeps the focused control across a re-render of the page around it (same id, or same row).
function keepFocus(render) {
  const a = document.activeElement;
  const id = a && a.id;
  const rowId = a && a.closest && a.closest('tr[data-id]') && a.closest('tr[data-id]').dataset.id;
  const isRow = a && a.matches && a.matches('tr[data-id]');
  render();
  if (id && document.getElementById(id) && document.activeElement !== document.getElementById(id)) document.getElementById(id).focus();
  else if (isRow && rowId) { const r = document.querySelector('tr[data-id="' + CSS.escape(rowId) + '"]'); if (r) r.focus(); }
}

// ---- "dry run everything": said on every page while it is on ---------------------------------------------------
let settingsNow = {};
async function pollSettings() {
  const {changed, data} = await fresh('api/settings');
  if (!changed && settingsNow === data) return;
  const wasAll = !!settingsNow.dryRunAll;
  settingsNow = data || {};
  // Every tile says whether it is in dry run: a change of "dry run everything" redraws them.
  if (wasAll !== !!settingsNow.dryRunAll && overviewShown && currentView() === 'overview') keepFocus(() => renderOverview(overviewShown));
  const banner = $('#dryrun-banner');
  banner.hidden = !settingsNow.dryRunAll;
  document.body.classList.toggle('sr-dryrun-all', !!settingsNow.dryRunAll);
}

// ---- a confirmation as a Carbon modal (a native <dialog>: focus stays inside, Escape cancels) -------------------
function confirmDialog({title, body, ok, danger}) {
  return new Promise((resolve) => {
    const d = $('#confirm-dialog');
    $('#confirm-title').textContent = title;
    $('#confirm-body').textContent = body;
    const yes = $('#confirm-ok');
    yes.textContent = ok || 'OK';
    yes.className = 'cds--btn ' + (danger ? 'cds--btn--danger' : 'cds--btn--primary');
    const opener = document.activeElement;
    const done = (answer) => {
      yes.onclick = null; $('#confirm-cancel').onclick = null; d.onclose = null;
      if (d.open) d.close();
      if (opener && opener.focus) opener.focus();
      resolve(answer);
    };
    yes.onclick = () => done(true);
    $('#confirm-cancel').onclick = () => done(false);
    d.onclose = () => done(false);
    d.showModal();
    $('#confirm-cancel').focus();
  });
}
