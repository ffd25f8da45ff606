// Safeguard Responder: readiness on the Overview, shown first (loaded before app.js, whose helpers it uses when
// called: el, api, $, time, tag, me). Will protection work if a rule fires now, and if not, what to do.
// See docs/admin-guide.md#readiness.
'use strict';

const READINESS_STATE = {
  'ready': ['Ready', 'cds--inline-notification--success'],
  'at-risk': ['At risk', 'cds--inline-notification--error'],
};

function readinessList(checks, title) {
  const box = el('div', null, 'sr-readiness-group');
  box.appendChild(el('h3', title, 'sr-h3'));
  const ul = el('ul', null, 'sr-readiness-list');
  for (const c of checks) {
    const li = el('li', null, 'sr-readiness-item');
    li.dataset.check = c.check;
    li.dataset.subject = c.subject;
    li.dataset.state = c.state;
    li.append(el('strong', c.subject + ' · ' + c.check), ': ', el('span', c.why));
    ul.appendChild(li);
  }
  box.appendChild(ul);
  return box;
}

function renderReadiness(r) {
  const box = $('#readiness');
  box.dataset.state = r.state;
  const [label, cls] = READINESS_STATE[r.state] || [r.state, 'cds--inline-notification--warning'];
  const failed = r.checks.filter(c => c.state === 'failed');
  const warnings = r.checks.filter(c => c.state === 'warning');
  const repaired = r.checks.filter(c => c.repaired);
  const head = el('div', null, 'cds--inline-notification cds--inline-notification--low-contrast sr-inline ' + cls);
  head.setAttribute('role', 'status');
  head.append(el('span', 'Readiness: ' + label, 'cds--inline-notification__title sr-inline-text'), ' ',
    el('span', failed.length ? failed.length + ' check(s) failed — protection would not work as it is.'
      : 'every check passed' + (warnings.length ? ', ' + warnings.length + ' warning(s)' : '') + '.', 'sr-inline-text'),
    ' checked ', time(r.checkedAt));
  const run = el('button', 'Run checks', 'cds--btn cds--btn--ghost cds--btn--sm sr-admin-only');
  run.type = 'button';
  run.id = 'readiness-run';
  run.addEventListener('click', async () => {
    run.disabled = true;
    try { renderReadiness(await api('POST', 'api/readiness/run')); }
    catch (e) { $('#readiness-error').textContent = e.message; }
    finally { run.disabled = false; }
  });
  head.appendChild(run);
  const parts = [head];
  if (failed.length) parts.push(readinessList(failed, 'At risk: what to do'));
  if (repaired.length) parts.push(readinessList(repaired, 'Repaired by the app'));
  if (warnings.length) parts.push(readinessList(warnings, 'Warnings'));
  // Drills are real actions on what the admin named for them: shown whatever they ended as, marked as drills.
  const drills = r.checks.filter(c => c.check === 'drill' && c.state === 'ok');
  if (drills.length) parts.push(readinessList(drills, 'Drills (real copies, short-lived) that worked'));
  parts.push(el('p', null, 'sr-error'));
  parts[parts.length - 1].id = 'readiness-error';
  parts[parts.length - 1].setAttribute('role', 'alert');
  box.replaceChildren(...parts);
}

async function loadReadiness() {
  const box = $('#readiness');
  if (!box) return;
  try { renderReadiness(await api('GET', 'api/readiness')); }
  catch (e) { box.replaceChildren(el('p', 'Readiness could not be read: ' + e.message, 'sr-error')); }
}
