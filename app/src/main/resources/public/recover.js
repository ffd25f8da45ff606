// Safeguard Responder: recovering data after an incident (loaded before app.js, whose helpers these use when
// called: el, api, $, detail, setDisabled, showFieldError, time, term, tag, me…). See docs/analyst-guide.md.
'use strict';

// ---- recoveries of an incident -----------------------------------------------------------------------------------
async function loadRecoveries(actionId, box, open, gen) {
  let list;
  try {
    list = (await api('GET', 'api/recoveries?action=' + encodeURIComponent(actionId))).recoveries;
  } catch (e) {
    if (gen === detailGen) box.replaceChildren(el('p', 'Recoveries could not be listed: ' + e.message, 'sr-muted'));
    return;
  }
  if (gen !== detailGen) return;
  const note = box.querySelector('p.sr-ok');
  const hadFocus = note && document.activeElement === note;
  box.replaceChildren();
  if (!list.length) return;
  box.appendChild(el('h4', 'Recoveries from this incident', 'sr-h4'));
  if (note) box.appendChild(note);
  if (note && (hadFocus || note.dataset.focus)) { delete note.dataset.focus; note.focus(); }
  const table = el('table', null, 'cds--data-table cds--data-table--sm');
  table.id = 'recoveries-table';
  const head = document.createElement('thead');
  const hr = document.createElement('tr');
  for (const h of ['Recovery', 'Type', 'Status', 'Where it stands', 'Started']) {
    const th = el('th', h);
    th.scope = 'col';
    hr.appendChild(th);
  }
  head.appendChild(hr);
  table.appendChild(head);
  const tb = document.createElement('tbody');
  const view = el('div', null, 'sr-recovery-view');
  view.id = 'recovery-view';
  const chosen = open || (box.dataset.open && list.some(r => r.id === box.dataset.open) ? box.dataset.open : null);
  for (const r of list) {
    const b = el('button', r.id, 'cds--link sr-linkbutton');
    b.type = 'button';
    b.setAttribute('aria-controls', 'recovery-view');
    b.addEventListener('click', () => { box.dataset.open = r.id; showRecovery(r.id, view, gen, actionId, box); });
    const tr = row([b, r.type, statusTag(r.status), r.summary || '', time(r.acceptedAt)]);
    tr.dataset.id = r.id;
    tr.dataset.status = r.status;
    tb.appendChild(tr);
  }
  table.appendChild(tb);
  box.append(table, view);
  if (chosen) {
    box.dataset.open = chosen;
    await showRecovery(chosen, view, gen, actionId, box);
  }
}

// One recovery's result and timeline under its incident, followed while it runs.
async function showRecovery(id, view, gen, incident, box) {
  const d = await api('GET', 'api/actions/' + encodeURIComponent(id));
  if (gen !== detailGen) return;
  const a = d.action;
  const head = el('h4', 'Recovery ' + a.id + ': ', 'sr-h4');
  head.append(statusTag(a.status));
  view.replaceChildren(head);
  view.dataset.id = a.id;
  view.dataset.status = a.status;
  // The list was read a moment before this action: when it ended in between, its row says so too (no poll follows).
  const listed = box && box.querySelector('#recoveries-table tr[data-id="' + CSS.escape(a.id) + '"]');
  if (listed && listed.dataset.status !== a.status) {
    listed.dataset.status = a.status;
    listed.cells[2].replaceChildren(statusTag(a.status));
    listed.cells[3].textContent = a.summary || '';
  }
  if (a.error) view.appendChild(el('p', a.error, 'sr-bad'));
  const result = Object.entries(a.result || {});
  if (result.length) {
    const dl = el('dl', null, 'sr-dl');
    for (const [k, v] of result) term(dl, k, v);
    view.appendChild(dl);
  }
  const end = endCleanRoom(a, d.timeline, () => loadRecoveries(incident, box, a.id, gen));
  if (end) view.appendChild(end);
  const [all, table] = timelineView(d.timeline, 'recovery-timeline');
  view.append(all, table);
  if (isRunning(a.status)) {
    clearTimeout(detailPoll);
    detailPoll = setTimeout(() => { if (gen === detailGen) loadRecoveries(incident, box, a.id, gen).catch(() => {}); }, 1500);
  }
}

// A CDM clean-room restore left mounted (RESOURCE ACTIVE) is ended here once inspected: the admin types the target.

/** A row with a field where the admin types the target's name to confirm: [row, input]. */
function confirmRow(id, text, extraClass) {
  const row = el('div', null, 'sr-row');
  const label = el('label', text, 'cds--label');
  label.htmlFor = id;
  const input = el('input', null, 'cds--text-input' + extraClass);
  input.id = id;
  input.dataset.field = 'confirm';
  input.autocomplete = 'off';
  row.append(label, input);
  return [row, input];
}
function endCleanRoom(a, timeline, done) {
  if (a.type !== 'cdm-cleanroom' || !a.result || a.result.status !== 'RESOURCE ACTIVE') return null;
  const ended = timeline.find(s => s.event === 'clean-room-ended' && s.data && s.data.ended);
  if (ended) {
    const p = el('p', 'The clean-room restore was ended at ', 'sr-ok');
    p.append(time(ended.time), '.');
    return p;
  }
  // The end runs after its request was answered (202): "ending" with no outcome after it is still running.
  const last = timeline.filter(s => s.event === 'clean-room-ending' || s.event === 'clean-room-ended').pop();
  if (last && last.event === 'clean-room-ending') {
    const p = el('p', 'Ending the clean-room restore (asked at ', 'sr-muted');
    p.id = 'cleanroom-ending';
    p.append(time(last.time), '); CDM is unmounting it…');
    setTimeout(() => { if (p.isConnected) done(); }, 1500);
    return p;
  }
  const form = el('form', null, 'sr-form sr-end-cleanroom');
  form.id = 'end-cleanroom-form';
  form.noValidate = true;
  form.appendChild(el('p', 'The restored copy is still mounted in the clean room (run ' + a.result.runId +
    '). Once it has been inspected, end it: CDM unmounts it and cleans up.'));
  const [r, input] = confirmRow('f-end-confirm', 'Type the target\'s name, ' + a.target + ', to confirm', '');
  const buttons = el('div', null, 'sr-buttons');
  const b = el('button', 'End clean-room restore', 'cds--btn cds--btn--danger cds--btn--sm');
  b.type = 'submit';
  b.id = 'end-cleanroom';
  buttons.appendChild(b);
  const failed = last && last.event === 'clean-room-ended' && last.data
    ? 'The last end did not succeed: ' + (last.data.error || kv(last.data.result || {})) : null;
  form.append(r, buttons, el('p', failed, 'sr-error sr-form-error'));
  const check = () => setDisabled(b, !me.admin ? 'Only a QRadar administrator can end it.'
    : input.value.trim() === a.target ? '' : 'Type the target\'s name first.');
  input.addEventListener('input', check);
  check();
  if (!me.admin) input.disabled = true;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      await api('POST', 'api/recoveries/' + encodeURIComponent(a.id) + '/end', {confirm: input.value.trim()});
      await done();
    } catch (e) {
      showFieldError(e, form);
    }
  });
  return form;
}

// ---- the Recover panel: proposal, choices, the plan (dry run), confirmation, restore -----------------------------
async function openRecover(actionId, box, opener) {
  box.hidden = false;
  opener.setAttribute('aria-expanded', 'true');
  box.replaceChildren(el('p', 'Asking the storage system which copies it holds…', 'sr-muted'));
  let p;
  try {
    p = await api('GET', 'api/recoveries/proposal?action=' + encodeURIComponent(actionId));
  } catch (e) {
    box.replaceChildren(el('p', 'No proposal: ' + e.message, 'sr-bad'));
    return;
  }
  const close = () => { box.hidden = true; box.replaceChildren(); opener.setAttribute('aria-expanded', 'false'); opener.focus(); };
  const title = el('h4', 'Recover data from before incident ' + p.incident, 'sr-h4');
  title.id = 'recover-title';
  box.replaceChildren(title);
  const dl = el('dl', null, 'sr-dl');
  dl.id = 'recover-summary';
  term(dl, 'Incident', p.incident + ' on ' + p.target + ' (' + p.events + (p.events === 1 ? ' event' : ' events') + ')');
  term(dl, 'First suspicious event', [time(p.firstEventAt), ' — ' + p.firstEventFrom]);
  term(dl, 'Restore', p.restoreType + (p.kind === 'scale' ? ' from ' + (p.fileset ? 'fileset ' + p.fileset + ' of ' : '') +
    p.fileSystem + ' (' + p.root + ')' : p.kind === 'csm' ? ': CSM Recover Backup of session ' + p.session +
    ' to its recovery volumes (R1)' : ': clean-room restore job ' + p.job));
  const first = p.firstEventAt ? new Date(p.firstEventAt).getTime() : NaN;
  const proposed = p.proposed ? [el('strong', p.proposed.id), ', taken ', time(p.proposed.takenAt),
    ' (' + relativeToEvent(p.proposed.takenAt, first) + ')'] : 'none';
  term(dl, 'Proposed', proposed);
  term(dl, 'Why', readable(p.why));
  if (p.recoveries && p.recoveries.length) term(dl, 'Already started', p.recoveries.join(', '));
  box.appendChild(dl);
  // A copy far older than the incident, or taken after it, is said before it is restored: first for the proposed
  // copy, then for whichever copy is chosen (a live region that is there from the start, so a change is read out).
  const gap = el('div', null, 'sr-gap');
  gap.id = 'recover-gap';
  gap.setAttribute('role', 'status');
  box.appendChild(gap);
  let gapFor;
  const showGap = (id) => {
    if (id === gapFor) return;
    gapFor = id;
    const c = (p.candidates || []).find(x => x.id === id);
    const risk = c && c.takenAt ? gapWarning(c.takenAt, first) : '';
    gap.replaceChildren();
    if (!risk) return;
    const w = el('div', null, 'cds--inline-notification cds--inline-notification--warning cds--inline-notification--low-contrast sr-inline');
    w.id = 'recover-gap-warning';
    w.appendChild(el('span', risk, 'cds--inline-notification__title'));
    gap.appendChild(w);
  };

  const form = el('form', null, 'sr-form sr-recover-form');
  form.id = 'recover-form';
  form.noValidate = true;
  const field = p.kind === 'csm' ? 'backupId' : 'snapshot';
  let points = null;
  if (p.kind !== 'cdm') {
    points = el('fieldset', null, 'sr-points');
    points.id = 'recover-points';
    points.dataset.field = field;
    points.appendChild(el('legend', p.kind === 'csm' ? 'Backup to recover' : 'Snapshot to restore from', 'cds--label'));
    if (!p.candidates.length) points.appendChild(el('p', 'The storage system holds no copies here.', 'sr-bad'));
    // The proposed copy first (then newest first): the one the app would restore is what is read first.
    const ordered = p.candidates.slice().sort((x, y) => (p.proposed && y.id === p.proposed.id) - (p.proposed && x.id === p.proposed.id));
    ordered.forEach((c, i) => {
      const line = el('div', null, 'sr-point' + (p.proposed && p.proposed.id === c.id ? ' sr-point--proposed' : ''));
      line.dataset.id = c.id;
      const radio = el('input');
      radio.type = 'radio';
      radio.name = 'recover-point';
      radio.id = 'recover-point-' + i;
      radio.value = c.id;
      radio.checked = !!(p.proposed && p.proposed.id === c.id);
      const label = el('label');
      label.htmlFor = radio.id;
      label.append(el('span', c.id, 'sr-mono'), ' · taken ', c.takenAt ? time(c.takenAt) : 'at an unknown time');
      if (c.takenAt && !isNaN(first)) label.append(' (' + relativeToEvent(c.takenAt, first) + ')');
      if (c.expiresAt) label.append(' · immutable until ', time(c.expiresAt));
      const tags = el('span', null, 'sr-tags');
      if (p.proposed && p.proposed.id === c.id) tags.append(tag('proposed', 'cds--tag--green'));
      if (!c.beforeIncident && c.takenAt) tags.append(tag('after the incident', 'cds--tag--red'));
      if (!c.verified) tags.append(tag('not usable', 'cds--tag--gray'));
      const why = el('span', c.why || '', 'sr-why');
      why.id = radio.id + '-why';
      if (!c.verified) {
        // Not usable: disabled, and it says why next to it (and to screen readers).
        radio.disabled = true;
        radio.title = c.why || 'not usable';
        radio.setAttribute('aria-describedby', why.id);
      }
      line.append(radio, ' ', label, ' ', tags, why);
      points.appendChild(line);
    });
    form.appendChild(points);
  }
  const chosen = () => { const r = form.querySelector('input[name=recover-point]:checked'); return r ? r.value : null; };

  let paths = null, dest = null, overwrite = null, where = null, backup = null;
  if (p.kind === 'scale') {
    const pr = el('div', null, 'sr-row');
    const pl = el('label', 'Paths to restore, one per line (inside ' + p.root + ')', 'cds--label');
    pl.htmlFor = 'f-recover-paths';
    paths = el('textarea', null, 'cds--text-area sr-mono');
    paths.id = 'f-recover-paths';
    paths.dataset.field = 'paths';
    paths.rows = Math.max(2, (p.paths || []).length + 1);
    paths.value = (p.paths || []).join('\n');
    pr.append(pl, paths);
    const dr = el('div', null, 'sr-row');
    const dlab = el('label', 'Destination (one path only; empty: beside it as <path>.restored-<snapshot>)', 'cds--label');
    dlab.htmlFor = 'f-recover-destination';
    dest = el('input', null, 'cds--text-input sr-mono');
    dest.id = 'f-recover-destination';
    dest.dataset.field = 'destination';
    dest.autocomplete = 'off';
    dr.append(dlab, dest);
    const or = el('div', null, 'sr-row cds--checkbox-wrapper');
    overwrite = el('input', null, 'cds--checkbox');
    overwrite.type = 'checkbox';
    overwrite.id = 'f-recover-overwrite';
    overwrite.dataset.field = 'overwrite';
    const ol = el('label', null, 'cds--checkbox-label');
    ol.appendChild(el('span', 'Overwrite live data (copy over what is there now instead of beside it)', 'cds--checkbox-label-text'));
    ol.htmlFor = overwrite.id;
    or.append(overwrite, ol);
    where = el('p', null, 'sr-muted sr-mono');
    where.id = 'recover-where';
    form.append(pr, dr, or, where);
  } else {
    const cdl = el('dl', null, 'sr-dl');
    if (p.kind === 'csm') {
      term(cdl, 'Session', p.session);
      backup = el('span', '', 'sr-mono');
      backup.id = 'recover-backup';
      term(cdl, 'Backup id', backup);
    } else {
      term(cdl, 'Job', p.job);
    }
    form.appendChild(cdl);
  }
  const lines = () => paths.value.split('\n').map(x => x.trim()).filter(Boolean);

  const planButtons = el('div', null, 'sr-buttons');
  const planBtn = el('button', 'Show plan', 'cds--btn cds--btn--tertiary cds--btn--sm');
  planBtn.type = 'button';
  planBtn.id = 'recover-plan';
  planButtons.appendChild(planBtn);
  const planBox = el('div', null, 'sr-plan');
  planBox.id = 'recover-plan-result';
  planBox.setAttribute('aria-live', 'polite');
  planBox.hidden = true;
  const [cr, confirmInput] = confirmRow('f-recover-confirm',
    'Type the target\'s name, ' + p.target + ', to confirm the restore', ' sr-short-wide');
  const buttons = el('div', null, 'sr-buttons');
  const start = el('button', 'Restore', 'cds--btn cds--btn--danger');
  start.type = 'submit';
  start.id = 'recover-start';
  const cancel = el('button', 'Cancel', 'cds--btn cds--btn--ghost');
  cancel.type = 'button';
  cancel.id = 'recover-cancel';
  cancel.addEventListener('click', close);
  buttons.append(start, cancel);
  form.append(planButtons, planBox, cr, el('p', null, 'sr-error sr-form-error'), buttons);
  box.appendChild(form);

  function body(dryRun) {
    const b = {action: p.incident, dryRun};
    if (p.kind === 'scale') {
      if (chosen()) b.snapshot = chosen();
      b.paths = lines();
      if (dest.value.trim()) b.destination = dest.value.trim();
      b.overwrite = overwrite.checked;
    } else if (p.kind === 'csm' && chosen()) {
      b.backupId = chosen();
    }
    if (!dryRun) b.confirm = confirmInput.value.trim();
    return b;
  }
  // What the choices mean, said before anything runs; a plan shown for other choices is taken away.
  let planFor = null;
  function changed() {
    if (planFor !== JSON.stringify(body(true))) {
      planFor = null;
      planBox.hidden = true;
      planBox.replaceChildren();
    }
    if (p.kind === 'scale') {
      const ps = lines();
      setDisabled(dest, ps.length === 1 ? '' : 'Only for one path: with several, each is restored beside its original.');
      if (ps.length !== 1 && dest.value) dest.value = '';
      const snap = chosen() || '<snapshot>';
      where.textContent = ps.length ? ps.map(x => x + ' → ' + (dest.value.trim() && ps.length === 1 ? dest.value.trim()
        : overwrite.checked ? x + ' (overwritten)' : x + '.restored-' + snap)).join('\n') : '';
    } else if (backup) {
      backup.textContent = chosen() || 'none chosen';
    }
    showGap(chosen());
    confirmed();
  }
  function confirmed() {
    const typed = confirmInput.value.trim() === p.target;
    setDisabled(start, !me.admin ? 'Only a QRadar administrator can restore data.'
      : p.kind !== 'cdm' && !chosen() ? 'Choose a copy first.'
      : typed ? '' : 'Type the target\'s name to enable.');
  }
  // Typing the name changes no choice: the plan stays.
  const onChoice = (ev) => { if (ev.target === confirmInput) confirmed(); else changed(); };
  form.addEventListener('input', onChoice);
  form.addEventListener('change', onChoice);
  changed();

  planBtn.addEventListener('click', async () => {
    clearErrors(form);
    planBox.hidden = false;
    planFor = null;
    planBox.replaceChildren(el('p', 'Checking…', 'sr-muted'));
    try {
      const asked = body(true);
      showPlan(planBox, await api('POST', 'api/recoveries', asked));
      planFor = JSON.stringify(asked);
    } catch (e) {
      planBox.hidden = true;
      showFieldError(recoverField(e, p), form);
    }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (start.disabled) return;
    clearErrors(form);
    try {
      const r = await api('POST', 'api/recoveries', body(false));
      loadActions(null).catch(() => {}); // the recovery is an action of its own: the list shows it at once
      await detail(p.incident, {recovery: r.id, note: 'Recovery ' + r.id + ' ' + r.status + ': its timeline follows below.'});
    } catch (e) {
      showFieldError(recoverField(e, p), form);
    }
  });
  (points && points.querySelector('input:checked:not(:disabled)') || (paths || confirmInput)).focus();
}

// How a copy's time stands to the first suspicious event, in words.
function relativeToEvent(takenAt, first) {
  const t = new Date(takenAt).getTime();
  if (isNaN(t) || isNaN(first)) return '';
  return gapWords(t - first) + (t <= first ? ' before' : ' after') + ' the first suspicious event';
}

// Days between the copy and the first event above which the Recover panel warns (Settings may set it).
const RECOVER_GAP_DAYS_DEFAULT = 7;
function gapWarning(takenAt, first) {
  const t = new Date(takenAt).getTime();
  if (isNaN(t) || isNaN(first)) return '';
  if (t > first) return 'Warning: this copy was taken ' + gapWords(t - first) + ' after the first suspicious event: it may hold damaged files.';
  const days = (settingsNow && settingsNow.recoverGapWarnDays) || RECOVER_GAP_DAYS_DEFAULT;
  if (first - t > days * 86400000) {
    return 'Warning: this copy is ' + gapWords(first - t) + ' older than the first suspicious event (more than ' + plural(days, 'day') +
      '): restoring it loses every change made since then.';
  }
  return '';
}

// The API names paths[1] or the chosen copy; the form has one input for all paths and one group of copies.
function recoverField(e, p) {
  if (e.field === 'backupId' || e.field === 'snapshot') return {field: p.kind === 'csm' ? 'backupId' : 'snapshot', message: e.message};
  return e;
}

function showPlan(box, plan) {
  box.replaceChildren(el('h5', 'The plan (a dry run: nothing was changed)', 'sr-h5'));
  const dl = el('dl', null, 'sr-dl');
  term(dl, 'Restore', plan.type + ' on ' + plan.target + ', recovery of ' + plan.recoveryOf);
  for (const [k, v] of Object.entries(plan.plan || {})) term(dl, resultLabel(k), resultValue(v));
  box.appendChild(dl);
  box.appendChild(el('p', 'The calls, in order:', 'sr-muted'));
  const ol = el('ol', null, 'sr-calls');
  ol.id = 'recover-calls';
  for (const c of plan.calls || []) ol.appendChild(el('li', c, 'sr-mono'));
  box.appendChild(ol);
  const warnings = plan.warnings || [];
  const ul = el('ul', null, warnings.length ? 'sr-bad' : 'sr-muted');
  ul.id = 'recover-warnings';
  if (!warnings.length) ul.appendChild(el('li', 'No warnings.'));
  for (const w of warnings) ul.appendChild(el('li', 'Warning: ' + w));
  box.appendChild(ul);
}
