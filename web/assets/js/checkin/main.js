// The volunteer's door page: live counts, camera scanning, search by name, undo, and offline work
// against the saved list with a queue that is sent when the network returns.
import './messages.js';
import { pick, t, tn } from '../i18n.js';
import { h, replace, textIn } from '../dom.js';
import { announce, confirmDialog, setTitle, startPage } from '../layout.js';
import { clock, longDate, modeName, shortDate } from '../format.js';
import { watchCounts } from '../live.js';
import * as store from './store.js';
import { door, fold, newNonce, ticketHash } from './door-api.js';
import { DoorData } from './offline.js';
import { closeResult, resultOpen, showResult } from './result-card.js';
import { Scanner, cameraAllowed } from './scanner.js';
import { signal, unlockSound } from './feedback.js';
import { deviceId, deviceKey, deviceLabel, prefs, savePrefs, setDeviceLabel } from './device.js';
import { countsPanel, matchesView, queuePanels, settingsPanel } from './panels.js';

const main = document.getElementById('main');
const REPEAT_MS = 4000;
const ROSTER_EVERY_MS = 120000;
const PROBE_EVERY_MS = 15000;

let token = '';
let session = null;
let offline = !navigator.onLine;
let stopped = null; // {reason, message} once the link no longer works
let counts = null;
let countsAt = null;
let liveState = 'connecting';
let view = 'scan';
let last = null; // {name, at, code, nonce, pending}
let busy = false;
let repeat = { code: '', until: 0 };
let cameraState = 'off'; // off | starting | on | denied | none | unsupported
let searchQuery = '';
let searchSeq = 0;
let live = null;
let syncTimer = null;
let rosterTimer = null;
let ui = null;

const video = h('video', { class: 'door-video', muted: true, playsinline: true, 'aria-label': '' });
const scanner = new Scanner(video, (code) => onCode(code));
scanner.onBroken = () => stopCamera('unsupported');
const data = new DoorData({ deviceKey: deviceKey(), onChange: () => drawQueue() });

function tz() {
  return (session && session.event.timezone) || undefined;
}

function time(iso) {
  return iso ? clock(new Date(iso), tz()) : '';
}

function isOffline() {
  return offline || navigator.onLine === false;
}

// Returns true when the state changed.
function setOffline(value) {
  if (offline === value) return false;
  offline = value;
  drawStatus();
  return true;
}

// A request just worked: when the phone was offline, what waits is sent and the list refreshed.
function wentOnline() {
  if (setOffline(false)) afterReconnect();
}

function scheduleSync(ms = PROBE_EVERY_MS) {
  clearTimeout(syncTimer);
  if (!data.queue.length || stopped) return;
  syncTimer = setTimeout(() => (isOffline() ? probe() : syncNow()), ms);
}

// ---- The link: taken from the address bar's fragment, kept on the phone, never sent in a URL path.

function takeTokenFromUrl() {
  const fragment = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (!fragment) return '';
  history.replaceState(history.state, '', location.pathname + location.search);
  return fragment.startsWith('ens_c_') ? fragment : '';
}

async function boot() {
  const fresh = takeTokenFromUrl();
  if (fresh) {
    await store.put('meta', { key: 'link', token: fresh });
    try {
      sessionStorage.setItem('ensemble.checkin.link', fresh);
    } catch {
      // IndexedDB holds it.
    }
  }
  const saved = await store.get('meta', 'link');
  token = fresh || (saved && saved.token) || '';
  if (!token) {
    drawNoLink();
    return;
  }
  await openSession();
}

async function openSession() {
  replace(main, h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    session = await door(token, '/api/v1/checkin/session');
    offline = false;
    counts = session.counts;
    countsAt = new Date().toISOString();
    await store.put('meta', { key: 'session', token, session, saved_at: countsAt });
  } catch (err) {
    if (err.status === 0 || err.status >= 502) {
      const cached = await store.get('meta', 'session');
      if (!cached || cached.token !== token) {
        drawStartOffline();
        return;
      }
      session = cached.session;
      counts = session.counts;
      countsAt = cached.saved_at;
      offline = true;
    } else {
      await linkStopped(err);
      return;
    }
  }
  await data.load(session.event.id);
  build();
  live = watchCounts({
    url: () => `/api/v1/checkin/live?access_token=${encodeURIComponent(token)}`,
    poll: async () => (await door(token, '/api/v1/checkin/session')).counts,
    onCounts: (c) => {
      counts = c;
      countsAt = c.at || new Date().toISOString();
      drawCounts();
    },
    onState: (state) => {
      liveState = state;
      drawCounts();
    },
  });
  if (!isOffline()) afterReconnect();
  rosterTimer = setInterval(() => {
    if (!isOffline()) refreshRoster();
  }, ROSTER_EVERY_MS);
  window.addEventListener('online', () => probe());
  window.addEventListener('offline', () => setOffline(true));
  if (await cameraAllowed()) startCamera();
  registerServiceWorker();
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/checkin-sw.js', { scope: '/checkin' }).catch(() => {
    // Without it the page still works while it stays open; it just cannot be reopened offline.
  });
}

// The network came back (or the page started online): send what waits, then download the list again.
async function afterReconnect() {
  await syncNow();
  await refreshRoster();
}

async function refreshRoster() {
  try {
    await data.refreshRoster(token);
    setOffline(false);
    drawListInfo();
  } catch (err) {
    handleBackgroundError(err);
  }
}

async function probe() {
  try {
    const fresh = await door(token, '/api/v1/checkin/session');
    counts = fresh.counts;
    countsAt = new Date().toISOString();
    drawCounts();
    if (!setOffline(false)) await syncNow();
    else afterReconnect();
  } catch (err) {
    handleBackgroundError(err);
  }
}

async function refreshCounts() {
  try {
    counts = (await door(token, '/api/v1/checkin/session')).counts;
    countsAt = new Date().toISOString();
    drawCounts();
  } catch {
    // The live stream brings them.
  }
}

async function syncNow() {
  clearTimeout(syncTimer);
  if (!data.queue.length) return;
  try {
    const answered = await data.sync(token);
    setOffline(false);
    if (answered) {
      announce(tn('door.pending.sent', answered));
      refreshCounts();
    }
    scheduleSync();
  } catch (err) {
    // It says when to try again (offline: a probe; too many requests: after the wait asked).
    handleBackgroundError(err);
  }
  drawQueue();
}

function handleBackgroundError(err) {
  if (err.status === 0 || err.status >= 502) {
    setOffline(true);
    clearTimeout(syncTimer);
    syncTimer = setTimeout(probe, PROBE_EVERY_MS);
  } else if (err.status === 401 || err.status === 403) {
    linkStopped(err);
  } else if (err.status === 429) {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(syncNow, (err.retryAfter || 10) * 1000);
  }
}

function stopReason(err) {
  const text = String(err.message || '');
  if (/revoked/i.test(text)) return 'revoked';
  if (/expired/i.test(text)) return 'expired';
  if (/cancelled/i.test(text)) return 'cancelled';
  return 'invalid';
}

async function linkStopped(err) {
  stopped = { reason: stopReason(err) };
  stopCamera('off');
  closeResult();
  if (live) live.stop();
  clearInterval(rosterTimer);
  clearTimeout(syncTimer);
  const pending = (await store.all('queue')).length;
  drawStopped(pending);
}

// ---- Checking in.

function onCode(code) {
  const text = String(code || '').trim();
  if (!text || busy || resultOpen() || stopped) return;
  if (text === repeat.code && Date.now() < repeat.until) return;
  checkIn({ code: text });
}

async function checkIn({ code, hash, name }) {
  if (busy || stopped) return;
  busy = true;
  try {
    const scan = { ticket_code: code, device_id: deviceId(), scanned_at: new Date().toISOString(), nonce: newNonce() };
    if (code && !isOffline()) {
      try {
        const answer = await door(token, '/api/v1/checkin', { method: 'POST', body: scan });
        wentOnline();
        data.markChecked(await ticketHash(code));
        await answered(code, answer);
        return;
      } catch (err) {
        if (err.status !== 0 && err.status < 502) {
          await refused(err, name);
          return;
        }
        setOffline(true);
      }
    }
    await checkInOffline(scan, hash || (await ticketHash(code)), name);
  } finally {
    busy = false;
    if (code) repeat = { code, until: Date.now() + REPEAT_MS };
  }
}

async function answered(code, answer) {
  const reg = answer.registration || {};
  const flag = answer.online_at_door ? t('door.result.online') : null;
  if (answer.result === 'checked_in') {
    last = { name: reg.name, at: answer.checked_in_at, code, pending: false };
    drawLast();
    signal('ok', prefs);
    await showResult({
      kind: 'ok',
      title: t('door.result.ok'),
      name: reg.name,
      flag,
      lines: [t('door.result.mode', { mode: modeName(reg.mode) })],
      undo: () => undoLast(),
      autoclose: prefs.autoclose,
    });
  } else {
    signal('warn', prefs);
    const at = answer.device_id
      ? t('door.result.already.at', { time: time(answer.checked_in_at), device: answer.device_id })
      : t('door.result.already.at.nodevice', { time: time(answer.checked_in_at) });
    await showResult({ kind: 'warn', title: t('door.result.already'), name: reg.name, flag, lines: [at], autoclose: prefs.autoclose });
  }
  afterResult();
}

// `name` is known when the scan came from the search; the server's refusal does not say it.
async function refused(err, name) {
  if (err.status === 401 || err.status === 403) {
    await linkStopped(err);
    return;
  }
  if (err.status === 429) {
    signal('warn', prefs);
    await showResult({
      kind: 'warn',
      title: t('door.result.slow'),
      lines: [t('door.result.slow.text', { seconds: err.retryAfter || 10 })],
      autoclose: prefs.autoclose,
    });
    afterResult();
    return;
  }
  let why = t('door.result.error');
  if (err.status === 404) why = t('door.result.not_found');
  else if (err.status === 409) why = /waitlist/i.test(err.message) ? t('door.result.waitlisted') : /cancel/i.test(err.message) ? t('door.result.cancelled') : err.message;
  signal('bad', prefs);
  await showResult({ kind: 'bad', title: t('door.result.bad'), name, lines: [why], autoclose: prefs.autoclose });
  afterResult();
}

async function checkInOffline(scan, hash, name) {
  const waiting = data.pendingFor(hash);
  const listed = data.lookup(hash);
  if (waiting) {
    signal('warn', prefs);
    await showResult({
      kind: 'warn',
      title: t('door.result.already'),
      name: waiting.name || name,
      lines: [t('door.result.already.local', { time: time(waiting.scanned_at) })],
      autoclose: prefs.autoclose,
    });
  } else if (listed && listed.checked_in) {
    signal('warn', prefs);
    await showResult({
      kind: 'warn',
      title: t('door.result.already'),
      name: listed.name,
      lines: [t('door.result.already.list', { time: time(data.roster.generated_at) })],
      autoclose: prefs.autoclose,
    });
  } else if (listed) {
    const item = await data.enqueue({ ...scan, ticket_code: scan.ticket_code || null, ticket_hash: hash, name: listed.name, provisional: 'listed' });
    scheduleSync();
    last = { name: listed.name, at: item.scanned_at, nonce: item.nonce, pending: true };
    drawLast();
    signal('ok', prefs);
    await showResult({
      kind: 'ok',
      title: t('door.result.ok.pending'),
      name: listed.name,
      lines: [t('door.result.ok.pending.text')],
      undo: () => undoLast(),
      autoclose: prefs.autoclose,
    });
  } else {
    await data.enqueue({ ...scan, ticket_hash: hash, name: '', provisional: 'unlisted' });
    scheduleSync();
    signal('bad', prefs);
    await showResult({ kind: 'bad', title: t('door.result.unlisted'), lines: [t('door.result.unlisted.text')], autoclose: prefs.autoclose });
  }
  afterResult();
}

function afterResult() {
  if (view === 'search' && searchQuery) runSearch(searchQuery);
}

async function undoLast() {
  if (!last) return;
  const who = last;
  if (who.pending) {
    await data.dequeue(who.nonce);
    last = null;
    drawLast();
    say(t('door.undone.pending', { name: who.name }));
    return;
  }
  try {
    const answer = await door(token, `/api/v1/checkin/${encodeURIComponent(who.code)}`, { method: 'DELETE', headers: { 'X-Device-Id': deviceId() } });
    wentOnline();
    data.markChecked(await ticketHash(who.code), false);
    last = null;
    drawLast();
    say(answer.result === 'undone' ? t('door.undone', { name: who.name }) : t('door.undo.not_checked_in', { name: who.name }));
    if (view === 'search' && searchQuery) runSearch(searchQuery);
  } catch (err) {
    if (err.status === 401 || err.status === 403) await linkStopped(err);
    else if (err.status === 0 || err.status >= 502) {
      setOffline(true);
      say(t('door.undo.offline'), 'error');
    } else say(err.message || t('door.result.error'), 'error');
  }
}

// ---- Camera.

async function startCamera() {
  if (scanner.active || stopped) return;
  cameraState = 'starting';
  drawCamera();
  try {
    await scanner.start();
    cameraState = 'on';
  } catch (err) {
    cameraState = err.reason || 'unsupported';
  }
  drawCamera();
}

function stopCamera(state = 'off') {
  scanner.stop();
  cameraState = state;
  if (ui) drawCamera();
}

// ---- Search.

async function runSearch(q) {
  searchQuery = q;
  const mine = ++searchSeq;
  const folded = fold(q);
  if (folded.length < 2) {
    drawMatches(q, null);
    return;
  }
  if (!isOffline()) {
    try {
      const found = await door(token, `/api/v1/events/${encodeURIComponent(session.event.id)}/checkin/search?q=${encodeURIComponent(q)}`);
      wentOnline();
      if (mine === searchSeq) drawMatches(q, { online: true, list: found.matches || [] });
      return;
    } catch (err) {
      if (err.status === 401 || err.status === 403) {
        await linkStopped(err);
        return;
      }
      if (err.status !== 0 && err.status < 502) return;
      setOffline(true);
    }
  }
  if (mine === searchSeq) drawMatches(q, { online: false, list: data.searchNames(q) });
}

// ---- Drawing.

let sayTimer = null;

// A short message above the tabs; it goes away after a while, or at the next one.
function say(text, kind = 'info') {
  if (!ui) return;
  clearTimeout(sayTimer);
  replace(ui.message, h('p', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text));
  if (kind !== 'error') announce(text);
  const box = ui.message;
  sayTimer = setTimeout(() => replace(box), 8000);
}

function drawNoLink() {
  setTitle(t('door.title'));
  replace(main, h('h1', { id: 'page-title', tabindex: '-1' }, t('door.nolink.title')), h('p', { class: 'notice notice-info' }, t('door.nolink.text')));
}

function drawStartOffline() {
  setTitle(t('door.title'));
  replace(
    main,
    h('h1', { id: 'page-title', tabindex: '-1' }, t('door.title')),
    h(
      'div',
      { class: 'notice notice-error', role: 'alert' },
      h('p', {}, t('door.start.offline')),
      h('button', { type: 'button', class: 'button', on: { click: () => openSession() } }, t('common.retry')),
    ),
  );
}

function drawStopped(pending) {
  ui = null;
  setTitle(t('door.expired.title'));
  replace(
    main,
    h('h1', { id: 'page-title', tabindex: '-1' }, t('door.expired.title')),
    h(
      'div',
      { class: 'notice notice-error door-stopped', id: 'door-stopped', role: 'alert' },
      h('p', { class: 'door-stopped-reason' }, t(`door.expired.${stopped.reason}`)),
      h('p', {}, t('door.expired.ask')),
      pending ? h('p', {}, tn('door.expired.pending', pending)) : null,
    ),
  );
  document.getElementById('page-title').focus();
}

function eventHeader() {
  const e = session.event;
  const title = pick(e.title);
  const start = new Date(e.starts_at);
  return [
    textIn('h1', title, { id: 'page-title', tabindex: '-1', class: 'door-title' }),
    h(
      'p',
      { class: 'door-event muted' },
      `${longDate(start, e.timezone)} · `,
      h('span', { class: 'nowrap' }, `${clock(start, e.timezone)}–${clock(new Date(e.ends_at), e.timezone)}`),
      e.venue ? [h('br'), t('door.event.venue', { venue: e.venue })] : null,
    ),
  ];
}

function build() {
  setTitle(`${t('door.title')}: ${pick(session.event.title).text}`);
  const header = h('div', { class: 'door-head' });
  const countsBox = h('section', { class: 'door-counts', 'aria-labelledby': 'door-counts-title' });
  const status = h('div', { class: 'door-status', id: 'door-status' });
  const message = h('div', { id: 'door-message' });
  const tabs = h('div', { class: 'door-tabs', role: 'group', 'aria-label': t('door.view') });
  const scanPanel = h('section', { class: 'door-panel', id: 'door-scan', 'aria-labelledby': 'door-scan-title' });
  const cameraBox = h('div', { class: 'door-camera' }, video, h('div', { class: 'door-frame', 'aria-hidden': 'true' }));
  const cameraTools = h('div', { class: 'door-camera-tools' });
  const codeForm = h('form', { class: 'door-code', id: 'door-code-form', novalidate: true });
  const searchPanel = h('section', { class: 'door-panel', id: 'door-search', 'aria-labelledby': 'door-search-title' });
  const searchResults = h('div', { id: 'door-matches' });
  const lastBox = h('div', { class: 'door-last', id: 'door-last' });
  const queueBox = h('div', { id: 'door-queue' });
  const settings = h('details', { class: 'door-settings card', id: 'door-settings' });

  codeForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const input = codeForm.querySelector('input');
    const code = input.value.trim();
    if (!code) {
      say(t('door.code.empty'), 'error');
      input.focus();
      return;
    }
    input.value = '';
    checkIn({ code });
  });

  ui = { header, countsBox, status, message, tabs, scanPanel, cameraBox, cameraTools, codeForm, searchPanel, searchResults, lastBox, queueBox, settings };
  replace(
    main,
    header,
    countsBox,
    status,
    queueBox,
    message,
    tabs,
    scanPanel,
    searchPanel,
    lastBox,
    settings,
  );
  drawAll();
}

function drawAll() {
  replace(ui.header, eventHeader());
  drawCounts();
  drawStatus();
  drawQueue();
  drawTabs();
  drawScanPanel();
  drawSearchPanel();
  drawLast();
  drawSettings();
}

function drawCounts() {
  if (!ui) return;
  const state = isOffline() ? 'stale' : liveState;
  replace(ui.countsBox, countsPanel({ format: session.event.format, counts, state, countsAt, time }));
}

function drawStatus() {
  if (!ui) return;
  if (!isOffline()) {
    replace(ui.status);
    return;
  }
  const text = data.roster ? t('door.offline', { time: time(data.roster.generated_at) }) : t('door.offline.nolist');
  replace(ui.status, h('p', { class: 'notice notice-warning door-offline', role: 'status' }, text));
  drawCounts();
}

function drawQueue() {
  if (!ui) return;
  replace(
    ui.queueBox,
    queuePanels({
      pending: data.queue,
      attention: data.attention,
      syncing: Boolean(data.syncing),
      time,
      onSend: () => syncNow(),
      onDismiss: (nonce) => data.dismiss(nonce),
    }),
  );
  drawStatus();
}

function drawTabs() {
  const tab = (id, key) =>
    h(
      'button',
      {
        type: 'button',
        class: ['door-tab', view === id ? 'is-current' : ''],
        id: `door-tab-${id}`,
        'aria-pressed': view === id ? 'true' : 'false',
        'aria-controls': `door-${id}`,
        on: {
          click: () => {
            view = id;
            drawTabs();
            ui.scanPanel.hidden = view !== 'scan';
            ui.searchPanel.hidden = view !== 'search';
            if (view === 'search') ui.searchPanel.querySelector('input').focus();
          },
        },
      },
      t(key),
    );
  replace(ui.tabs, tab('scan', 'door.view.scan'), tab('search', 'door.view.search'));
  ui.scanPanel.hidden = view !== 'scan';
  ui.searchPanel.hidden = view !== 'search';
}

function drawScanPanel() {
  const codeId = 'door-code-input';
  replace(
    ui.codeForm,
    h('h3', {}, t('door.code')),
    h('label', { for: codeId }, t('door.code.label')),
    h(
      'div',
      { class: 'door-inline' },
      h('input', { type: 'text', id: codeId, name: 'code', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', inputmode: 'text' }),
      h('button', { type: 'submit', class: 'button' }, t('door.code.submit')),
    ),
  );
  if (!ui.scanPanel.contains(ui.cameraBox)) {
    replace(ui.scanPanel, h('h2', { id: 'door-scan-title', class: 'visually-hidden' }, t('door.view.scan')), ui.cameraBox, ui.cameraTools, ui.codeForm);
  } else {
    ui.scanPanel.querySelector('#door-scan-title').textContent = t('door.view.scan');
  }
  drawCamera();
}

function drawCamera() {
  if (!ui) return;
  video.setAttribute('aria-label', t('door.camera.video'));
  ui.cameraBox.classList.toggle('is-on', cameraState === 'on');
  const on = cameraState === 'on' || cameraState === 'starting';
  const text = {
    off: t('door.camera.off'),
    starting: t('door.camera.starting'),
    on: t('door.camera.on'),
    denied: t('door.camera.denied'),
    none: t('door.camera.none'),
    unsupported: t('door.camera.unsupported'),
  }[cameraState];
  const problem = ['denied', 'none', 'unsupported'].includes(cameraState);
  replace(
    ui.cameraTools,
    h('p', { class: ['door-camera-state', problem ? 'notice notice-warning' : 'muted'], id: 'door-camera-state', role: 'status' }, text),
    h(
      'button',
      {
        type: 'button',
        class: ['button', on ? 'button-secondary' : 'button-large'],
        id: 'door-camera-toggle',
        disabled: cameraState === 'starting',
        on: { click: () => (on ? stopCamera('off') : startCamera()) },
      },
      on ? t('door.camera.stop') : t('door.camera.start'),
    ),
  );
}

function drawSearchPanel() {
  const inputId = 'door-search-input';
  const hintId = 'door-search-hint';
  const form = h(
    'form',
    { role: 'search', class: 'door-search-form', 'aria-labelledby': 'door-search-title', novalidate: true },
    h('label', { for: inputId }, t('door.search')),
    h('p', { class: 'hint', id: hintId }, t('door.search.hint')),
    h('input', { type: 'search', id: inputId, name: 'q', value: searchQuery, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': hintId }),
  );
  let timer = null;
  const input = form.querySelector('input');
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => runSearch(input.value), 250);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    runSearch(input.value);
  });
  replace(ui.searchPanel, h('h2', { id: 'door-search-title', class: 'visually-hidden' }, t('door.view.search')), form, ui.searchResults);
  if (searchQuery) runSearch(searchQuery);
  else drawMatches('', null);
}

function drawMatches(q, found) {
  if (!ui) return;
  const onPick = (m) => (found.online ? checkIn({ code: m.ticket_code, name: m.name }) : checkIn({ hash: m.ticket_hash, name: m.name }));
  replace(ui.searchResults, matchesView({ q, found, time, onPick, tooShort: fold(q).length > 0 }));
}

function drawLast() {
  if (!ui) return;
  if (!last) {
    replace(ui.lastBox);
    return;
  }
  replace(
    ui.lastBox,
    h('p', {}, t(last.pending ? 'door.last.pending' : 'door.last', { name: last.name, time: time(last.at) })),
    h('button', { type: 'button', class: 'button button-secondary button-small', id: 'door-undo', on: { click: () => undoLast() } }, t('door.undo')),
  );
}

function listInfo() {
  const roster = data.roster;
  return roster ? tn('door.list.info', roster.attendees.length, { time: time(roster.generated_at) }) : t('door.list.none');
}

// Only the line about the saved list: the rest of the settings may be in the middle of an edit.
function drawListInfo() {
  const line = document.getElementById('door-list-info');
  if (line) line.textContent = listInfo();
}

function drawSettings() {
  if (!ui) return;
  const wasOpen = ui.settings.open;
  const link = session.link;
  replace(
    ui.settings,
    settingsPanel({
      label: deviceLabel(),
      key: deviceKey(),
      prefs,
      listInfo: listInfo(),
      linkInfo: t('door.link.info', { label: link.label, time: `${shortDate(new Date(link.expires_at), tz())} ${time(link.expires_at)}` }),
      onLabel: (text) => {
        setDeviceLabel(text);
        say(t('door.device.saved'));
      },
      onPref: (name, on) => {
        prefs[name] = on;
        savePrefs();
      },
      onRefresh: async () => {
        await refreshRoster();
        if (!isOffline()) say(t('door.list.refreshed'));
      },
      onForget: () => forget(),
    }),
  );
  ui.settings.open = wasOpen;
}

async function forget() {
  const pending = (await store.all('queue')).length;
  const yes = await confirmDialog({
    title: t('door.forget.confirm.title'),
    text: [t('door.forget.confirm.text'), pending ? tn('door.forget.confirm.pending', pending) : ''].filter(Boolean).join(' '),
    yes: t('door.forget.confirm.yes'),
    no: t('common.cancel'),
    danger: true,
  });
  if (!yes) return;
  stopCamera('off');
  if (live) live.stop();
  clearInterval(rosterTimer);
  clearTimeout(syncTimer);
  for (const name of ['meta', 'roster', 'queue', 'attention']) await store.clear(name);
  try {
    sessionStorage.removeItem('ensemble.checkin.link');
  } catch {
    // Nothing kept there.
  }
  token = '';
  session = null;
  ui = null;
  drawNoLink();
  announce(t('door.forget.done'));
}

unlockSound();
startPage(
  {
    taglineKey: 'door.tagline',
    homeHref: '/checkin',
    footer: () => h('p', {}, t('door.footer')),
  },
  ({ languageChanged }) => {
    if (!languageChanged) {
      boot();
      return;
    }
    if (stopped) drawStopped(data.queue.length);
    else if (ui) {
      setTitle(`${t('door.title')}: ${pick(session.event.title).text}`);
      ui.tabs.setAttribute('aria-label', t('door.view'));
      drawAll();
    } else if (!token) drawNoLink();
  },
);
