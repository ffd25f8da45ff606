// Offense triggers in the Settings page: QRadar rules whose offenses protect a target. Works on QRadar on Cloud,
// where the app cannot create custom actions. Loaded after app.js (uses $, el, api, row, setDisabled, me, loaders).
(function () {
  const section = document.createElement('form');
  section.id = 'offense-form';
  section.className = 'sr-form';
  section.noValidate = true;
  section.append(
    el('h3', 'Offense triggers', 'sr-h3'),
    el('p', 'Rules reach the app as offenses as well as through the custom action. Every few seconds the app reads ' +
      'QRadar\'s offenses that changed since it last looked and, for each new offense a rule below contributed to, ' +
      'protects that rule\'s target once; more events on the same offense are the same incident. When the action ' +
      'ends, the offense gets a note with the outcome (protected, with the copy and its expiry; not protected, and why; ' +
      'or unknown). On QRadar on Cloud this is the way in: only admins may create custom actions there, so the app ' +
      'does not try. The storage systems must be reachable from the app: on QRadar on Cloud through the Data Gateway ' +
      'proxy mapping (IBM maps the storage hosts\' addresses to your on-premises network). Every storage and QRadar ' +
      'client uses the proxy QRadar gives the app: QRADAR_HTTPS_PROXY (else https_proxy), bypassed for the hosts in ' +
      'QRADAR_NO_PROXY (else no_proxy).', 'cds--form__helper-text'),
    el('p', '', 'sr-offense-status'));
  const table = document.createElement('table');
  table.className = 'cds--data-table cds--data-table--compact';
  table.id = 'offense-triggers';
  table.append(document.createElement('thead'), document.createElement('tbody'));
  table.tHead.appendChild(row(['Rule', 'Target', '']));
  const search = document.createElement('input');
  search.className = 'cds--text-input';
  search.id = 'f-rule-search';
  search.placeholder = 'Search rules by name';
  search.setAttribute('aria-label', 'Search rules by name');
  const rules = document.createElement('select');
  rules.className = 'cds--select-input';
  rules.id = 'f-rule';
  rules.setAttribute('aria-label', 'Rule');
  const targets = document.createElement('select');
  targets.className = 'cds--select-input';
  targets.id = 'f-rule-target';
  targets.setAttribute('aria-label', 'Target');
  const add = el('button', 'Add', 'cds--btn cds--btn--secondary');
  add.type = 'button';
  add.id = 'add-offense-trigger';
  const every = document.createElement('input');
  every.className = 'cds--text-input sr-short';
  every.id = 'f-offense-poll';
  every.dataset.field = 'offensePollSeconds';
  every.inputMode = 'numeric';
  const everyLabel = el('label', 'Read offenses every (seconds, 5–3600)', 'cds--label');
  everyLabel.htmlFor = every.id;
  const save = el('button', 'Save offense triggers', 'cds--btn cds--btn--primary');
  save.type = 'submit';
  save.id = 'save-offense-triggers';
  const picker = el('div', '', 'sr-row');
  picker.append(search, rules, targets, add);
  const poll = el('div', '', 'sr-row');
  poll.append(everyLabel, every);
  const buttons = el('div', '', 'sr-buttons sr-admin-only');
  buttons.append(save);
  const error = el('p', '', 'sr-error sr-form-error');
  error.setAttribute('role', 'alert');
  const saved = el('p', '', 'sr-ok');
  saved.setAttribute('aria-live', 'polite');
  section.append(table, picker, poll, buttons, error, saved);
  const anchor = [...document.querySelectorAll('#view-settings h3')].find(h => h.textContent === 'Dry run per target');
  $('#view-settings').insertBefore(section, anchor || null);

  let all = [];
  let triggers = [];

  function names() {
    return new Map(all.map(r => [r.id, r.name]));
  }

  function showRules() {
    const q = search.value.trim().toLowerCase();
    rules.replaceChildren();
    for (const r of all.filter(r => r.name.toLowerCase().includes(q)).slice(0, 200)) {
      const o = new Option(r.name + ' (' + r.id + ')' + (r.enabled ? '' : ' — disabled'), r.id);
      o.disabled = !r.enabled;
      rules.appendChild(o);
    }
  }

  function showTriggers() {
    const byId = names();
    const body = table.tBodies[0];
    body.replaceChildren();
    triggers.forEach((t, i) => {
      const remove = el('button', 'Remove', 'cds--btn cds--btn--ghost cds--btn--sm');
      remove.type = 'button';
      remove.addEventListener('click', () => { triggers.splice(i, 1); showTriggers(); });
      if (!me.admin) remove.disabled = true;
      body.appendChild(row([byId.get(t.ruleId) || 'rule ' + t.ruleId, t.target, remove]));
    });
    if (!triggers.length) body.appendChild(row(['No offense triggers: offenses are not read.', '', '']));
  }

  search.addEventListener('input', showRules);
  add.addEventListener('click', () => {
    if (!rules.value || !targets.value) return;
    const t = {ruleId: Number(rules.value), target: targets.value};
    if (!triggers.some(x => x.ruleId === t.ruleId && x.target === t.target)) triggers.push(t);
    showTriggers();
  });
  section.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    saved.textContent = '';
    const raw = every.value.trim();
    try {
      await api('PUT', 'api/settings', {offenseTriggers: triggers,
        offensePollSeconds: raw === '' ? undefined : (/^\d+$/.test(raw) ? Number(raw) : raw)});
      saved.textContent = 'Saved; offenses from now on are read.';
    } catch (e) {
      error.textContent = e.message;
    }
  });

  const base = loaders.settings;
  loaders.settings = async () => {
    await base();
    const st = await api('GET', 'api/settings');
    triggers = (st.offenseTriggers || []).map(t => ({ruleId: t.ruleId, target: t.target}));
    every.value = st.offensePollSeconds;
    targets.replaceChildren();
    for (const t of await api('GET', 'api/targets')) targets.appendChild(new Option(t.name + ' (' + t.kind + ')', t.name));
    // Outside QRadar there are no rules to read (the status line says so): asking would only answer an error.
    if (inQradar) {
      try {
        all = await api('GET', 'api/offenses/rules');
      } catch (e) {
        all = [];
        error.textContent = e.message;
      }
    } else {
      all = [];
    }
    showRules();
    showTriggers();
    const s = await api('GET', 'api/offenses/status');
    section.querySelector('.sr-offense-status').textContent = 'Offense polling: ' + s.poller.state + ' — ' +
      s.poller.message + (s.notes.pending ? ' — ' + s.notes.pending + ' note(s) waiting to be written' : '');
    const notAdmin = me.admin ? '' : 'Only a QRadar administrator can change this.';
    for (const c of [search, rules, targets, add, every, save]) setDisabled(c, notAdmin);
  };
})();
