// The registration form of an event: fields, the event's questions, errors by field, full pools and the waitlist.
import { api } from './api.js';
import { colon, lang, pick, t, tn } from './i18n.js';
import { h, replace, restoreForm, snapshotForm, textIn } from './dom.js';
import { announce } from './layout.js';
import { modeAdj, modeAdv, modeName, modesOf, seatsText } from './format.js';

// What the form remembers between drawings (a language switch draws it again).
const state = {
  attempt: null, // {body, key}: the Idempotency-Key is reused while the same body is sent again
  errors: {}, // field -> message
  full: null, // {mode, alternatives}
  notice: null, // {kind, text}
  busy: false,
};

function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function required(isRequired) {
  return h('span', { class: isRequired ? 'req' : 'opt' }, ` ${t(isRequired ? 'common.required' : 'common.optional')}`);
}

function errorSlot(field) {
  const message = state.errors[field];
  return message ? h('p', { class: 'field-error', id: errorId(field) }, message) : null;
}

function errorId(field) {
  return `error-${field.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

function describedBy(field, hintId) {
  return [hintId, state.errors[field] ? errorId(field) : null].filter(Boolean).join(' ') || null;
}

function textField({ id, name, label, type = 'text', autocomplete, hint, field, isRequired = true, textarea = false }) {
  const hintId = hint ? `${id}-hint` : null;
  const attrs = {
    id,
    name,
    type: textarea ? null : type,
    autocomplete,
    'aria-describedby': describedBy(field, hintId),
    'aria-invalid': state.errors[field] ? 'true' : null,
    'aria-required': isRequired ? 'true' : null,
    dataset: { field },
  };
  return h(
    'div',
    { class: ['field', state.errors[field] ? 'has-error' : ''] },
    h('label', { for: id }, label, required(isRequired)),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    errorSlot(field),
    textarea ? h('textarea', { ...attrs, rows: 3 }) : h('input', attrs),
  );
}

function group({ legend, field, isRequired, children, hint }) {
  const hintId = hint ? `${errorId(field)}-hint` : null;
  return h(
    'fieldset',
    {
      class: ['field', 'group', state.errors[field] ? 'has-error' : ''],
      'aria-describedby': describedBy(field, hintId),
      'aria-invalid': state.errors[field] ? 'true' : null,
      dataset: { field },
    },
    h('legend', {}, legend, required(isRequired)),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    errorSlot(field),
    h('div', { class: 'choices' }, children),
  );
}

function choice(type, name, value, label, id, extra = {}) {
  return h(
    'div',
    { class: 'choice' },
    h('input', { type, name, value, id, ...extra }),
    h('label', { for: id }, label),
  );
}

function questionField(q, index) {
  const label = pick(q.label);
  const labelEl = textIn('span', label);
  const field = `answers.${q.id}`;
  const name = `q:${q.id}`;
  const base = `q-${index}`;
  if (q.type === 'text') {
    const id = `${base}-text`;
    return h(
      'div',
      { class: ['field', state.errors[field] ? 'has-error' : ''] },
      h('label', { for: id }, labelEl, required(q.required)),
      errorSlot(field),
      h('input', {
        id,
        name,
        type: 'text',
        'aria-describedby': describedBy(field),
        'aria-invalid': state.errors[field] ? 'true' : null,
        'aria-required': q.required ? 'true' : null,
        dataset: { field },
        maxlength: 2000,
      }),
    );
  }
  if (q.type === 'boolean') {
    const id = `${base}-yes`;
    return group({
      legend: labelEl,
      field,
      isRequired: q.required,
      children: choice('checkbox', name, 'yes', t('form.yes'), id),
    });
  }
  const options = q.options || [];
  if (q.type === 'choice' && options.length > 6) {
    const id = `${base}-select`;
    return h(
      'div',
      { class: ['field', state.errors[field] ? 'has-error' : ''] },
      h('label', { for: id }, labelEl, required(q.required)),
      errorSlot(field),
      h(
        'select',
        {
          id,
          name,
          'aria-describedby': describedBy(field),
          'aria-invalid': state.errors[field] ? 'true' : null,
          'aria-required': q.required ? 'true' : null,
          dataset: { field },
        },
        h('option', { value: '' }, t('form.select.placeholder')),
        options.map((o) => {
          const picked = pick(o.label);
          return h('option', { value: o.id, lang: picked.lang !== lang() ? picked.lang : null }, picked.text);
        }),
      ),
    );
  }
  const type = q.type === 'multi' ? 'checkbox' : 'radio';
  return group({
    legend: labelEl,
    field,
    isRequired: q.required,
    children: options.map((o, k) => choice(type, name, o.id, textIn('span', pick(o.label)), `${base}-${k}`)),
  });
}

function fullPanel(event) {
  if (!state.full) return null;
  const { mode, alternatives } = state.full;
  const other = Object.entries(alternatives || {}).find(([, remaining]) => remaining > 0);
  const waitlist = event.registration && event.registration.waitlist;
  const actions = [];
  if (other) {
    actions.push(
      h(
        'button',
        { type: 'button', class: 'button', id: 'full-other', on: { click: () => submitWith({ mode: other[0] }) } },
        t('form.full.other', { mode: modeAdv(other[0]), seats: tn('seats.left', other[1]) }),
      ),
    );
  }
  if (waitlist) {
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: other ? 'button button-secondary' : 'button',
          id: 'full-waitlist',
          'aria-describedby': 'full-waitlist-hint',
          on: { click: () => submitWith({ waitlist: true }) },
        },
        t('form.full.waitlist', { mode: modeAdj(mode) }),
      ),
    );
  }
  return h(
    'div',
    { class: 'notice notice-warning full-panel', id: 'full-panel', tabindex: '-1', role: 'alert' },
    h('h3', {}, t('form.full.title', { mode: modeAdj(mode) })),
    actions.length ? h('div', { class: 'actions' }, actions) : h('p', {}, t('form.full.none')),
    waitlist ? h('p', { class: 'hint', id: 'full-waitlist-hint' }, t('form.full.waitlist.hint')) : null,
  );
}

// "Your profession: Answer this question." — a question's problem needs the question to make sense.
function summaryText(field, message) {
  if (!field.startsWith('answers.')) return message;
  const q = (current.event.questions || []).find((x) => `answers.${x.id}` === field);
  return q ? `${pick(q.label).text}${colon()}${message}` : message;
}

function errorSummary() {
  const entries = Object.entries(state.errors);
  if (entries.length === 0) return null;
  return h(
    'div',
    { class: 'error-summary', id: 'error-summary', tabindex: '-1', role: 'alert' },
    h('h3', {}, tn('form.errors', entries.length)),
    h(
      'ul',
      {},
      entries.map(([field, message]) =>
        h(
          'li',
          {},
          field === 'event' || field === 'body' || field === 'language' || field === 'waitlist'
            ? message
            : h('a', { href: `#${errorId(field)}`, dataset: { focus: field } }, summaryText(field, message)),
        ),
      ),
    ),
  );
}

let current = { event: null, container: null };

// Draws the form for `event` in `container`, keeping what the person typed.
export function drawRegistrationForm(container, event) {
  // After a language switch the page gives a new container: keep what was typed in the old one.
  const previous = snapshotForm(container.querySelector('form') || (current.container && current.container.querySelector('form')));
  current = { event, container };
  const modes = modesOf(event);
  const waitlist = event.registration && event.registration.waitlist;
  const questions = event.questions || [];
  const form = h(
    'form',
    { class: 'registration-form', novalidate: true, 'aria-labelledby': 'register-title', on: { submit: onSubmit } },
    h('p', { class: 'hint' }, t('form.intro')),
    errorSummary(),
    state.notice ? h('div', { class: `notice notice-${state.notice.kind}`, role: 'alert', id: 'form-notice', tabindex: '-1' }, state.notice.text) : null,
    textField({ id: 'reg-name', name: 'name', label: t('form.name'), autocomplete: 'name', field: 'name' }),
    textField({
      id: 'reg-email',
      name: 'email',
      label: t('form.email'),
      type: 'email',
      autocomplete: 'email',
      hint: t('form.email.hint'),
      field: 'email',
    }),
    group({
      legend: t('form.mode'),
      field: 'mode',
      isRequired: true,
      children: modes.map((m) =>
        choice(
          'radio',
          'mode',
          m,
          t('form.mode.option', { mode: modeName(m), seats: seatsText(event.seats[m], waitlist) }),
          `reg-mode-${m}`,
          { checked: modes.length === 1 },
        ),
      ),
    }),
    questions.length
      ? h('fieldset', { class: 'questions' }, h('legend', { class: 'section-legend' }, t('form.questions')), questions.map(questionField))
      : null,
    group({
      legend: t('form.language'),
      field: 'language',
      isRequired: true,
      children: [
        choice('radio', 'language', 'en', h('span', { lang: 'en' }, 'English'), 'reg-lang-en', { checked: lang() === 'en' }),
        choice('radio', 'language', 'fr', h('span', { lang: 'fr' }, 'Français'), 'reg-lang-fr', { checked: lang() === 'fr' }),
      ],
    }),
    h(
      'div',
      { class: ['field', 'consent', state.errors.consent ? 'has-error' : ''] },
      errorSlot('consent'),
      h(
        'div',
        { class: 'choice' },
        h('input', {
          type: 'checkbox',
          id: 'reg-consent',
          name: 'consent',
          value: 'yes',
          'aria-describedby': describedBy('consent'),
          'aria-invalid': state.errors.consent ? 'true' : null,
          dataset: { field: 'consent' },
        }),
        h('label', { for: 'reg-consent' }, t('form.consent'), required(true)),
      ),
    ),
    fullPanel(event),
    h(
      'div',
      { class: 'form-actions' },
      h(
        'button',
        { type: 'submit', class: 'button button-large', id: 'reg-submit', 'aria-disabled': state.busy ? 'true' : null },
        state.busy ? t('form.submitting') : t('form.submit'),
      ),
    ),
  );
  replace(container, form);
  restoreForm(form, previous);
  form.addEventListener('click', (e) => {
    const link = e.target.closest('a[data-focus]');
    if (!link) return;
    e.preventDefault();
    const target = form.querySelector(`[data-field="${CSS.escape(link.dataset.focus)}"]`);
    const focusable = target && (target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea'));
    if (focusable) focusable.focus();
  });
}

function collect(form) {
  const data = new FormData(form);
  const answers = {};
  for (const q of current.event.questions || []) {
    const name = `q:${q.id}`;
    if (q.type === 'multi') {
      const picked = data.getAll(name);
      if (picked.length) answers[q.id] = picked;
    } else if (q.type === 'boolean') {
      answers[q.id] = data.get(name) === 'yes';
    } else {
      const v = (data.get(name) || '').toString();
      if (v.trim()) answers[q.id] = q.type === 'text' ? v.trim() : v;
    }
  }
  return {
    name: (data.get('name') || '').toString().trim(),
    email: (data.get('email') || '').toString().trim(),
    mode: (data.get('mode') || '').toString(),
    language: (data.get('language') || lang()).toString(),
    answers,
    waitlist: false,
    consent: data.get('consent') === 'yes',
  };
}

function checkLocally(body) {
  const errors = {};
  if (!body.name) errors.name = t('err.name.required');
  if (!body.email) errors.email = t('err.email.required');
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) errors.email = t('err.email.invalid');
  if (!body.mode) errors.mode = t('err.mode.required');
  for (const q of current.event.questions || []) {
    if (!q.required) continue;
    const a = body.answers[q.id];
    const missing = a === undefined || a === '' || (Array.isArray(a) && a.length === 0) || (q.type === 'boolean' && a !== true);
    if (missing) errors[`answers.${q.id}`] = q.type === 'boolean' ? t('err.answer.accept') : t('err.answer.required');
  }
  if (!body.consent) errors.consent = t('err.consent');
  return errors;
}

// The server's field problems in the page language (its own words when one is not known here).
export function fieldMessage(field, message) {
  const m = String(message || '');
  if (field === 'event') {
    if (m.includes('cancelled')) return t('err.event.cancelled');
    if (m.includes('not opened')) return t('err.event.not_yet');
    if (m.includes('over')) return t('err.event.over');
    return t('err.event.closed');
  }
  if (m.startsWith('is longer')) return t('err.too_long');
  if (m.includes('characters that are not allowed')) return t('err.characters');
  if (field === 'name') return m.includes('required') ? t('err.name.required') : m;
  if (field === 'email') return m.includes('required') ? t('err.email.required') : t('err.email.invalid');
  if (field === 'mode') return t('err.mode.required');
  if (field === 'consent') return t('err.consent');
  if (field.startsWith('answers.')) {
    if (m.includes('required')) return t('err.answer.required');
    if (m.includes('accepted')) return t('err.answer.accept');
    if (m.includes('option')) return t('err.answer.invalid');
  }
  return m;
}

function redraw(focus) {
  drawRegistrationForm(current.container, current.event);
  if (focus) {
    const el = current.container.querySelector(focus);
    if (el) el.focus();
  }
}

function onSubmit(e) {
  e.preventDefault();
  submitWith({});
}

async function submitWith(overrides) {
  if (state.busy) return;
  const form = current.container.querySelector('form');
  if (overrides.mode) {
    const radio = form.querySelector(`input[name="mode"][value="${overrides.mode}"]`);
    if (radio) radio.checked = true;
  }
  const body = { ...collect(form), waitlist: Boolean(overrides.waitlist) };
  const local = checkLocally(body);
  state.notice = null;
  if (Object.keys(local).length) {
    state.errors = local;
    state.full = null;
    redraw('#error-summary');
    return;
  }
  state.errors = {};
  const text = JSON.stringify(body);
  if (!state.attempt || state.attempt.body !== text) state.attempt = { body: text, key: newKey() };
  state.busy = true;
  redraw();
  announce(t('form.submitting'));
  const slug = current.event.slug;
  try {
    const created = await api(`/api/v1/events/${encodeURIComponent(slug)}/registrations`, {
      method: 'POST',
      body: text,
      headers: { 'Idempotency-Key': state.attempt.key },
    });
    state.busy = false;
    location.assign(`/manage/${encodeURIComponent(created.manage_token)}?new=1`);
    return;
  } catch (err) {
    state.busy = false;
    handleFailure(err, body);
  }
}

function handleFailure(err, body) {
  state.full = null;
  if (err.code === 'validation') {
    state.errors = {};
    for (const [field, message] of Object.entries(err.fields || {})) state.errors[field] = fieldMessage(field, message);
    if (Object.keys(state.errors).length === 0) state.notice = { kind: 'error', text: err.message };
    redraw(Object.keys(state.errors).length ? '#error-summary' : '#form-notice');
    return;
  }
  if (err.code === 'full') {
    const alternatives = err.body.alternatives || {};
    if (current.event.seats[body.mode]) current.event.seats[body.mode].remaining = 0;
    for (const [m, remaining] of Object.entries(alternatives)) if (current.event.seats[m]) current.event.seats[m].remaining = remaining;
    state.full = { mode: body.mode, alternatives };
    redraw('#full-panel');
    return;
  }
  if (err.code === 'already_registered') state.notice = { kind: 'warning', text: t('form.already') };
  else if (err.code === 'rate_limited') state.notice = { kind: 'warning', text: t('form.rate', { seconds: err.retryAfter || 60 }) };
  else if (err.status === 0) state.notice = { kind: 'error', text: t('common.error.network') };
  else if (err.status === 404) state.notice = { kind: 'error', text: t('event.not_found') };
  else state.notice = { kind: 'error', text: t('common.error.server') };
  redraw('#form-notice');
}

export function registrationHeading() {
  return h('h2', { id: 'register-title' }, t('form.title'));
}
