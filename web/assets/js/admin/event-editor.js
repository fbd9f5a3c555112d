// Create or edit an event with all its fields: texts, time, venue, places, online access, questions, agenda, speakers, partners.
import { api } from '../api.js';
import { pick, t } from '../i18n.js';
import { h, replace, textIn } from '../dom.js';
import { bilingual, checkbox, collect, field, showErrors, toLocalInput } from './ui.js';
import { repeater, slugId } from './repeater.js';

export const TIMEZONES = [
  'America/St_Johns',
  'America/Halifax',
  'America/Toronto',
  'America/Winnipeg',
  'America/Regina',
  'America/Edmonton',
  'America/Vancouver',
  'America/Whitehorse',
  'UTC',
];

let draft = null; // the event being edited, in the API's shape
let editing = null; // {id, status, title} of the stored event; null for a new one
let draftKey = null;
let form = null;

function blankEvent() {
  return {
    title: {},
    summary: {},
    description: {},
    slug: '',
    format: 'in_person',
    timezone: 'America/Toronto',
    starts_at: '',
    ends_at: '',
    venue: { name: '', address: '', city: '', province: '', postal_code: '' },
    capacity: { in_person: 50, online: 0 },
    registration: { opens_at: null, closes_at: null, waitlist: true },
    languages: ['en', 'fr'],
    questions: [],
    sessions: [],
    speakers: [],
    partners: [],
    online: { provider: 'none', zoom_type: 'meeting' },
    recording_url: null,
  };
}

function section(id, legendKey, ...children) {
  return h('fieldset', { class: 'editor-section', id }, h('legend', {}, t(legendKey)), children);
}

function basics(d) {
  return section(
    'section-basics',
    'editor.basics',
    bilingual({ label: t('editor.title'), path: 'title', value: d.title, required: true }),
    bilingual({ label: t('editor.summary'), path: 'summary', value: d.summary, type: 'textarea', rows: 2 }),
    bilingual({ label: t('editor.description'), path: 'description', value: d.description, type: 'textarea', rows: 8, hint: t('editor.description.hint') }),
    h(
      'div',
      { class: 'grid-2' },
      field({ label: t('editor.slug'), path: 'slug', value: d.slug, hint: t('editor.slug.hint'), attrs: { autocomplete: 'off', spellcheck: 'false' } }),
      field({
        label: t('editor.format'),
        path: 'format',
        value: d.format,
        required: true,
        options: ['in_person', 'online', 'hybrid'].map((f) => ({ value: f, label: f === 'hybrid' ? t('format.hybrid.long') : t(`format.${f}`) })),
        attrs: { id: 'event-format' },
      }),
    ),
    h(
      'fieldset',
      { class: 'field group', dataset: { for: 'languages' } },
      h('legend', {}, t('editor.languages')),
      h(
        'div',
        { class: 'choices' },
        ['en', 'fr'].map((l) =>
          checkbox({ label: h('span', { lang: l }, l === 'en' ? 'English' : 'Français'), path: 'languages', value: l, kind: 'list', checked: (d.languages || []).includes(l) }),
        ),
      ),
    ),
  );
}

function timezoneField(d) {
  const known = TIMEZONES.includes(d.timezone);
  const otherId = 'tz-other';
  const select = field({
    label: t('editor.timezone'),
    path: 'timezone',
    value: known ? d.timezone : '__other',
    required: true,
    kind: 'tz',
    options: [...TIMEZONES.map((z) => ({ value: z, label: `${t(`tz.${z}`)} · ${z}` })), { value: '__other', label: t('editor.timezone.other') }],
    attrs: { 'data-other': otherId, id: 'event-timezone' },
  });
  const other = h(
    'div',
    { class: 'field', id: 'tz-other-wrap', hidden: known },
    h('label', { for: otherId }, t('editor.timezone.other.label')),
    h('input', { type: 'text', id: otherId, value: known ? '' : d.timezone || '', autocomplete: 'off', spellcheck: 'false' }),
  );
  select.querySelector('select').addEventListener('change', (e) => {
    other.hidden = e.target.value !== '__other';
    if (!other.hidden) other.querySelector('input').focus();
  });
  return [select, other];
}

function when(d) {
  return section(
    'section-when',
    'editor.when',
    timezoneField(d),
    h(
      'div',
      { class: 'grid-2' },
      field({ label: t('editor.starts_at'), path: 'starts_at', type: 'datetime-local', value: toLocalInput(d.starts_at), required: true }),
      field({ label: t('editor.ends_at'), path: 'ends_at', type: 'datetime-local', value: toLocalInput(d.ends_at), required: true }),
    ),
  );
}

function venue(d) {
  const v = d.venue || {};
  return h(
    'div',
    { id: 'venue-wrap', hidden: d.format === 'online' },
    section(
      'section-venue',
      'editor.venue',
      field({ label: t('editor.venue.name'), path: 'venue.name', value: v.name, required: true }),
      field({ label: t('editor.venue.address'), path: 'venue.address', value: v.address, attrs: { autocomplete: 'off' } }),
      h(
        'div',
        { class: 'grid-2' },
        field({ label: t('editor.venue.city'), path: 'venue.city', value: v.city }),
        field({ label: t('editor.venue.province'), path: 'venue.province', value: v.province }),
        field({ label: t('editor.venue.postal_code'), path: 'venue.postal_code', value: v.postal_code }),
      ),
    ),
  );
}

function places(d) {
  const c = d.capacity || {};
  const r = d.registration || {};
  return section(
    'section-places',
    'editor.places',
    h(
      'div',
      { class: 'grid-2' },
      h('div', { id: 'cap-in-person', hidden: d.format === 'online' }, field({ label: t('editor.capacity.in_person'), path: 'capacity.in_person', type: 'number', value: c.in_person ?? 0, attrs: { min: 0, inputmode: 'numeric' } })),
      h('div', { id: 'cap-online', hidden: d.format === 'in_person' }, field({ label: t('editor.capacity.online'), path: 'capacity.online', type: 'number', value: c.online ?? 0, attrs: { min: 0, inputmode: 'numeric' } })),
    ),
    h(
      'div',
      { class: 'grid-2' },
      field({ label: t('editor.opens_at'), path: 'registration.opens_at', type: 'datetime-local', value: toLocalInput(r.opens_at), hint: t('editor.opens_at.hint') }),
      field({ label: t('editor.closes_at'), path: 'registration.closes_at', type: 'datetime-local', value: toLocalInput(r.closes_at), hint: t('editor.closes_at.hint') }),
    ),
    h('div', { class: 'field' }, checkbox({ label: t('editor.waitlist'), path: 'registration.waitlist', checked: r.waitlist !== false })),
  );
}

function online(d) {
  const o = d.online || {};
  const provider = o.provider || 'none';
  const wrap = h(
    'div',
    { id: 'online-wrap', hidden: d.format === 'in_person' },
    section(
      'section-online',
      'editor.online',
      field({
        label: t('editor.provider'),
        path: 'online.provider',
        value: provider,
        options: ['none', 'manual', 'zoom'].map((p) => ({ value: p, label: t(`editor.provider.${p}`) })),
        attrs: { id: 'online-provider' },
      }),
      h(
        'div',
        { id: 'zoom-wrap', hidden: provider !== 'zoom' },
        field({
          label: t('editor.zoom_type'),
          path: 'online.zoom_type',
          value: o.zoom_type || 'meeting',
          options: ['meeting', 'webinar'].map((z) => ({ value: z, label: t(`editor.zoom_type.${z}`) })),
        }),
      ),
      h(
        'div',
        { id: 'manual-wrap', hidden: provider !== 'manual', class: 'grid-2' },
        field({ label: t('editor.join_url'), path: 'online.join_url', type: 'url', value: o.join_url, hint: t('editor.join_url.hint'), attrs: { autocomplete: 'off' } }),
        field({ label: t('editor.passcode'), path: 'online.passcode', value: o.passcode, attrs: { autocomplete: 'off' } }),
      ),
    ),
  );
  wrap.querySelector('#online-provider').addEventListener('change', (e) => {
    wrap.querySelector('#zoom-wrap').hidden = e.target.value !== 'zoom';
    wrap.querySelector('#manual-wrap').hidden = e.target.value !== 'manual';
  });
  return wrap;
}

function optionRows(q, qi) {
  return repeater({
    id: `q${qi}-options`,
    items: q.options || [],
    itemLabel: (i) => t('editor.option', { n: i + 1 }),
    addLabel: t('editor.option.add'),
    blank: () => ({ id: '', label: {} }),
    listPath: `questions[${qi}].options`,
    onChange: refreshAll,
    row: (o, i) => {
      const base = `questions[${qi}].options[${i}]`;
      return [
        bilingual({ label: t('editor.option.label'), path: `${base}.label`, value: o.label }),
        field({ label: t('editor.option.id'), path: `${base}.id`, value: o.id, hint: t('editor.question.id.hint'), attrs: { spellcheck: 'false', 'data-from': `${base}.label.en` } }),
      ];
    },
  });
}

function questions(d) {
  return section(
    'section-questions',
    'editor.questions',
    h('p', { class: 'hint' }, t('editor.questions.hint')),
    repeater({
      id: 'questions',
      items: d.questions || [],
      itemLabel: (i) => t('editor.question', { n: i + 1 }),
      addLabel: t('editor.question.add'),
      blank: () => ({ id: '', label: {}, type: 'text', required: false, options: [] }),
      listPath: 'questions',
      onChange: refreshAll,
      row: (q, i) => {
        const base = `questions[${i}]`;
        const withOptions = q.type === 'choice' || q.type === 'multi';
        const optionsWrap = h('div', { class: 'options-list', hidden: !withOptions }, h('p', { class: 'label' }, t('editor.options')), optionRows(q, i));
        const type = field({
          label: t('editor.question.type'),
          path: `${base}.type`,
          value: q.type || 'text',
          options: ['text', 'choice', 'multi', 'boolean'].map((k) => ({ value: k, label: t(`editor.question.type.${k}`) })),
        });
        type.querySelector('select').addEventListener('change', (e) => {
          optionsWrap.hidden = !(e.target.value === 'choice' || e.target.value === 'multi');
        });
        return [
          bilingual({ label: t('editor.question.label'), path: `${base}.label`, value: q.label, required: true }),
          h(
            'div',
            { class: 'grid-2' },
            field({ label: t('editor.question.id'), path: `${base}.id`, value: q.id, required: true, hint: t('editor.question.id.hint'), attrs: { spellcheck: 'false', 'data-from': `${base}.label.en` } }),
            type,
          ),
          h('div', { class: 'field' }, checkbox({ label: t('editor.question.required'), path: `${base}.required`, checked: Boolean(q.required) })),
          optionsWrap,
        ];
      },
    }),
  );
}

function speakers(d) {
  return section(
    'section-speakers',
    'editor.speakers',
    repeater({
      id: 'speakers',
      items: d.speakers || [],
      itemLabel: (i) => t('editor.speaker', { n: i + 1 }),
      addLabel: t('editor.speaker.add'),
      blank: () => ({ id: '', name: '', bio: {}, affiliation: '' }),
      listPath: 'speakers',
      onChange: refreshAll,
      row: (s, i) => {
        const base = `speakers[${i}]`;
        return [
          h(
            'div',
            { class: 'grid-2' },
            field({ label: t('editor.speaker.name'), path: `${base}.name`, value: s.name, required: true, attrs: { 'data-refresh': 'sessions' } }),
            field({ label: t('editor.speaker.id'), path: `${base}.id`, value: s.id, required: true, hint: t('editor.speaker.id.hint'), attrs: { spellcheck: 'false', 'data-from': `${base}.name`, 'data-refresh': 'sessions' } }),
          ),
          field({ label: t('editor.speaker.affiliation'), path: `${base}.affiliation`, value: s.affiliation }),
          bilingual({ label: t('editor.speaker.bio'), path: `${base}.bio`, value: s.bio, type: 'textarea', rows: 2 }),
        ];
      },
    }),
  );
}

function sessions(d) {
  const people = (d.speakers || []).filter((s) => s.id);
  return section(
    'section-sessions',
    'editor.sessions',
    repeater({
      id: 'sessions',
      items: d.sessions || [],
      itemLabel: (i) => t('editor.session', { n: i + 1 }),
      addLabel: t('editor.session.add'),
      blank: () => {
        const list = d.sessions || [];
        const last = list[list.length - 1];
        const start = last ? last.ends_at : d.starts_at;
        return { title: {}, starts_at: start || '', ends_at: '', room: '', speakers: [] };
      },
      listPath: 'sessions',
      onChange: refreshAll,
      row: (s, i) => {
        const base = `sessions[${i}]`;
        return [
          bilingual({ label: t('editor.session.title'), path: `${base}.title`, value: s.title, required: true }),
          h(
            'div',
            { class: 'grid-2' },
            field({ label: t('editor.session.starts_at'), path: `${base}.starts_at`, type: 'datetime-local', value: toLocalInput(s.starts_at), required: true }),
            field({ label: t('editor.session.ends_at'), path: `${base}.ends_at`, type: 'datetime-local', value: toLocalInput(s.ends_at), required: true }),
          ),
          field({ label: t('editor.session.room'), path: `${base}.room`, value: s.room }),
          h(
            'fieldset',
            { class: 'field group', dataset: { for: `${base}.speakers` } },
            h('legend', {}, t('editor.session.speakers')),
            people.length
              ? h(
                  'div',
                  { class: 'choices' },
                  people.map((p) => checkbox({ label: `${p.name || p.id} (${p.id})`, path: `${base}.speakers`, value: p.id, kind: 'list', checked: (s.speakers || []).includes(p.id) })),
                )
              : h('p', { class: 'hint' }, t('editor.session.speakers.none')),
          ),
        ];
      },
    }),
  );
}

function partners(d) {
  return section(
    'section-partners',
    'editor.partners',
    repeater({
      id: 'partners',
      items: d.partners || [],
      itemLabel: (i) => t('editor.partner', { n: i + 1 }),
      addLabel: t('editor.partner.add'),
      blank: () => ({ name: '', role: 'partner', url: '' }),
      listPath: 'partners',
      onChange: refreshAll,
      row: (p, i) => {
        const base = `partners[${i}]`;
        return h(
          'div',
          { class: 'grid-2' },
          field({ label: t('editor.partner.name'), path: `${base}.name`, value: p.name, required: true }),
          field({
            label: t('editor.partner.role'),
            path: `${base}.role`,
            value: p.role || 'partner',
            options: ['host', 'partner', 'collaborator', 'sponsor'].map((r) => ({ value: r, label: t(`editor.role.${r}`) })),
          }),
          field({ label: t('editor.partner.url'), path: `${base}.url`, type: 'url', value: p.url }),
        );
      },
    }),
  );
}

function recording(d) {
  return section('section-recording', 'editor.recording', field({ label: t('editor.recording_url'), path: 'recording_url', type: 'url', value: d.recording_url, hint: t('overview.recording.hint') }));
}

// The whole edited object from the form, hidden parts included (so switching format back loses nothing).
function readDraft() {
  const d = collect(form, { all: true });
  for (const key of ['questions', 'sessions', 'speakers', 'partners']) d[key] = (d[key] || []).filter(Boolean);
  d.languages = d.languages || [];
  return d;
}

// The body sent to the server: the visible fields, with what the format or provider excludes cleared.
function body() {
  const b = collect(form);
  for (const key of ['questions', 'sessions', 'speakers', 'partners']) b[key] = (b[key] || []).filter(Boolean);
  b.languages = b.languages || [];
  b.title = b.title || {};
  b.capacity = b.capacity || {};
  if (b.format === 'online') {
    b.venue = null;
    b.capacity.in_person = 0;
  }
  if (b.format === 'in_person') {
    b.capacity.online = 0;
    b.online = { provider: 'none', zoom_type: 'meeting', join_url: null, passcode: null };
  } else {
    b.online = b.online || { provider: 'none' };
    if (b.online.provider !== 'manual') {
      b.online.join_url = null;
      b.online.passcode = null;
    }
    if (b.online.provider !== 'zoom') b.online.zoom_type = b.online.zoom_type || 'meeting';
  }
  for (const q of b.questions) {
    if (q.type !== 'choice' && q.type !== 'multi') q.options = [];
    q.options = (q.options || []).filter(Boolean);
  }
  for (const s of b.sessions) s.speakers = s.speakers || [];
  return b;
}

function refreshAll(mutate, focusSelector) {
  const d = readDraft();
  if (mutate) mutate(d);
  draft = d;
  draw();
  if (focusSelector) form.querySelector(focusSelector)?.focus();
}

let container = null;
let ctxRef = null;

function draw() {
  const d = draft;
  const summary = h('div', { class: 'error-summary', id: 'editor-errors', tabindex: '-1', role: 'alert', hidden: true });
  const saveLabel = editing ? t('editor.save.update') : t('editor.save.create');
  form = h(
    'form',
    { id: 'event-editor', novalidate: true, 'aria-labelledby': 'page-title' },
    summary,
    basics(d),
    when(d),
    venue(d),
    places(d),
    online(d),
    questions(d),
    speakers(d),
    sessions(d),
    partners(d),
    recording(d),
    h(
      'div',
      { class: 'editor-actions' },
      h('button', { type: 'submit', class: 'button', id: 'save-event' }, saveLabel),
      h('a', { href: editing ? `/admin/events/${editing.id}` : '/admin/events', class: 'button button-secondary' }, t('editor.cancel')),
    ),
  );
  form.querySelector('#event-format').addEventListener('change', (e) => {
    const f = e.target.value;
    form.querySelector('#venue-wrap').hidden = f === 'online';
    form.querySelector('#cap-in-person').hidden = f === 'online';
    form.querySelector('#cap-online').hidden = f === 'in_person';
    form.querySelector('#online-wrap').hidden = f === 'in_person';
  });
  // Identifiers follow the name or label they belong to until someone types one.
  form.addEventListener('change', (e) => {
    const path = e.target.dataset && e.target.dataset.path;
    if (!path) return;
    const idInput = form.querySelector(`[data-from="${CSS.escape(path)}"]`);
    if (idInput && !idInput.value.trim()) idInput.value = slugId(e.target.value);
    if (e.target.dataset.refresh === 'sessions' || (idInput && idInput.dataset.refresh === 'sessions')) refreshSessions();
  });
  form.addEventListener('submit', save);
  const title = editing ? t('editor.edit', { title: editing.title.text }) : t('editor.new');
  ctxRef.setTitle(title);
  replace(
    container,
    h('p', { class: 'breadcrumb' }, h('a', { href: editing ? `/admin/events/${editing.id}` : '/admin/events' }, `← ${editing ? editing.title.text : t('overview.back')}`)),
    editing
      ? h('h1', { id: 'page-title', tabindex: '-1' }, t('editor.edit.prefix'), textIn('span', editing.title))
      : h('h1', { id: 'page-title', tabindex: '-1' }, title),
    h('p', { class: 'hint' }, t('editor.intro')),
    form,
  );
}

function refreshSessions() {
  const d = readDraft();
  draft = d;
  const old = form.querySelector('#section-sessions');
  if (old) old.replaceWith(sessions(d));
}

async function save(e) {
  e.preventDefault();
  const button = form.querySelector('#save-event');
  if (button.getAttribute('aria-disabled') === 'true') return;
  const summary = form.querySelector('#editor-errors');
  const payload = body();
  button.setAttribute('aria-disabled', 'true');
  button.textContent = t('editor.saving');
  try {
    const saved = editing
      ? await api(`/api/v1/events/${editing.id}`, { method: 'PATCH', body: payload })
      : await api('/api/v1/events', { method: 'POST', body: payload });
    draft = null;
    draftKey = null;
    ctxRef.navigate(`/admin/events/${saved.id}`, { message: editing ? t('editor.saved') : t('editor.created') });
  } catch (err) {
    button.removeAttribute('aria-disabled');
    button.textContent = editing ? t('editor.save.update') : t('editor.save.create');
    if (err.code === 'validation') {
      showErrors(form, err.fields, summary);
      summary.focus();
    } else if (err.code === 'conflict') {
      showErrors(form, {}, summary);
      summary.hidden = false;
      summary.replaceChildren(h('p', {}, t('editor.conflict', { message: err.message })));
      summary.focus();
    } else {
      ctxRef.fail(err, container, () => save(e));
    }
  }
}

export default {
  id: 'event-editor',
  routes: ['/admin/events/new', '/admin/events/:id/edit'],
  title: () => t('editor.new'),
  async render(main, params, ctx) {
    container = main;
    ctxRef = ctx;
    const key = params.id || 'new';
    if (ctx.languageChanged && draftKey === key && form) {
      draft = readDraft();
      draw();
      return;
    }
    draftKey = key;
    if (!params.id) {
      editing = null;
      draft = blankEvent();
      draw();
      return;
    }
    try {
      const [settings, event] = await Promise.all([
        api(`/api/v1/events/${encodeURIComponent(params.id)}/settings`),
        api(`/api/v1/events/${encodeURIComponent(params.id)}`),
      ]);
      editing = { id: event.id, status: event.status, title: pick(event.title) };
      draft = settings;
      draw();
    } catch (err) {
      ctx.fail(err, main, () => this.render(main, params, ctx));
    }
  },
};
