// Safeguard Responder: how things read on screen (loaded first; app.js and recover.js use these). One time format
// (local, with its zone), durations and ages in words, products by their names, storage message ids translated.
'use strict';

const KIND_NAMES = {scale: 'Storage Scale', csm: 'Copy Services Manager', cdm: 'Copy Data Management'};
function kindName(kind) { return KIND_NAMES[kind] || kind; }

// The zone's short name as the browser knows it ("UTC", "CET", "GMT+1"): a time on screen always says its zone.
function zoneName(d) {
  try {
    const p = new Intl.DateTimeFormat('en-US', {timeZoneName: 'short'}).formatToParts(d).find(x => x.type === 'timeZoneName');
    return p ? p.value : '';
  } catch (ignored) {
    return '';
  }
}

function plural(n, one, many) { return n + ' ' + (n === 1 ? one : (many || one + 's')); }

// 16576 ms reads "17 seconds"; 3 700 000 ms "1 hour 2 minutes". Two units at most: precision an analyst can use.
function durationWords(ms) {
  if (ms === undefined || ms === null || isNaN(ms)) return '';
  if (ms < 1000) return 'under a second';
  let s = Math.round(ms / 1000);
  const units = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  const parts = [];
  for (const [size, name] of units) {
    if (s >= size && parts.length < 2) { const n = Math.floor(s / size); parts.push(plural(n, name)); s -= n * size; }
    else if (parts.length) break;
  }
  return parts.join(' ');
}

// A duration as words, the exact milliseconds on hover.
function durationEl(ms) {
  if (ms === undefined || ms === null) return '';
  const s = el('span', durationWords(ms));
  s.title = ms + ' ms';
  return s;
}

// "3 minutes ago", "in 2 days": the largest unit only.
function ago(when, now = Date.now()) {
  const d = when instanceof Date ? when : new Date(when);
  if (isNaN(d)) return '';
  const diff = now - d.getTime();
  const abs = Math.abs(diff);
  if (abs < 45000) return diff >= 0 ? 'just now' : 'in a few seconds';
  const units = [[86400000, 'day'], [3600000, 'hour'], [60000, 'minute']];
  for (const [size, name] of units) {
    if (abs >= size) {
      const words = plural(Math.round(abs / size), name);
      return diff >= 0 ? words + ' ago' : 'in ' + words;
    }
  }
  return diff >= 0 ? 'a minute ago' : 'in a minute';
}

// How far apart two instants are, in words: "3 hours", "2 days".
function gapWords(ms) {
  const abs = Math.abs(ms);
  for (const [size, name] of [[86400000, 'day'], [3600000, 'hour'], [60000, 'minute']]) {
    if (abs >= size) return plural(Math.round(abs / size), name);
  }
  return 'less than a minute';
}

// Message ids the storage systems answer with (CSM's IWNR…, Storage Scale's EFSSG…), said in words; the id stays in
// the tooltip, for a search in IBM's documentation or a support case.
const MESSAGES = {
  IWNR1026I: 'the command completed',
  IWNR1028E: 'the command is not available for this session now',
  IWNR1029E: 'the command is not available for this backup now',
  IWNR1029W: 'the command completed with a warning',
  IWNR1030E: 'the command failed',
  IWNR1050E: 'the session does not exist',
  IWNR1500I: 'signed in',
  IWNR1503E: 'the session token is not valid or has expired',
  IWNR1507E: 'the user name or password is not valid',
  IWNR1956E: 'the backup does not exist',
  IWNR1960E: 'the recovery failed',
  IWNR2211I: 'the scheduled task ran',
  IWNR2212E: 'the scheduled task ran with errors',
  EFSSG0072C: 'a value is not valid (an unknown file system or fileset)',
  EFSSG0264C: 'the path does not exist in the snapshot',
  EFSSG0275C: 'the target path already exists',
  EFSSG0632C: 'the command was aborted',
  EFSSG0740C: 'not enough resources to create a snapshot',
  EFSSG2010C: 'the snapshot is immutable and cannot be deleted',
};
const MESSAGE_ID = /\b((?:IWN[A-Z]|EFSSG)\d{4}[IEWC])\b/;

// A value from the storage system: a bare message id becomes its meaning, with the id on hover.
function readable(value) {
  // An instant inside a sentence (with nanoseconds, in UTC) reads in the one format too.
  const text = (value === undefined || value === null ? '' : String(value))
    .replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b/g, iso => { const d = new Date(iso); return isNaN(d) ? iso : localText(d) + ' ' + zoneName(d); });
  const m = text.match(MESSAGE_ID);
  if (!m || !MESSAGES[m[1]]) return document.createTextNode(text);
  const s = el('span', text.trim() === m[1] ? MESSAGES[m[1]] : text.replace(m[1], MESSAGES[m[1]]), 'sr-msg');
  s.title = m[1];
  return s;
}

// The names an action's result keys have on screen.
const RESULT_LABELS = {
  snapshot: 'Snapshot', fileset: 'Fileset', fileSystem: 'File system', expiresAt: 'Immutable until',
  plannedExpiresAt: 'Planned to be immutable until', expirationTime: 'Expiration (as Storage Scale wrote it)',
  plannedExpirationTime: 'Planned expiration (as Storage Scale wrote it)', created: 'Created', mountPoint: 'Mount point',
  recoveryOf: 'Recovery of', firstEventAt: 'First suspicious event', requestedBy: 'Requested by', overwrite: 'Overwrite',
  root: 'Root', clusterTimeZone: 'Cluster time zone',
  backupId: 'Backup', session: 'Session', task: 'Scheduled task', message: 'Answer', msg: 'Answer', runId: 'Run',
  jobId: 'Job', job: 'Job', status: 'Status', warning: 'Warning', copied: 'Copied', destination: 'Destination',
};
function resultLabel(key) {
  const copy = key.match(/^copy\.(\d+)\.(source|target)$/);
  if (copy) return 'Copy ' + copy[1] + ', ' + (copy[2] === 'source' ? 'from' : 'to');
  return RESULT_LABELS[key] || key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, c => c.toUpperCase());
}
// A result value: instants as times, message ids in words.
function resultValue(value) {
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return time(value);
  return readable(value);
}
