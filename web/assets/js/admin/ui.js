// Building blocks of the organizer app: fields bound to JSON paths, their collection, and errors by path.
import { colon, lang, t, tn } from '../i18n.js';
import { h, uid } from '../dom.js';

// A labelled input whose value lives at `path` of the edited object ("venue.name", "questions[0].id").
export function field({ label, path, value, type = 'text', hint, required = false, options, kind, attrs = {}, lang: textLang }) {
  const id = attrs.id || uid('f');
  const hintId = hint ? `${id}-hint` : null;
  const common = {
    id,
    name: path,
    dataset: { path, kind: kind || (type === 'number' ? 'number' : type === 'datetime-local' ? 'datetime' : 'text') },
    'aria-describedby': hintId,
    'aria-required': required ? 'true' : null,
    lang: textLang,
    ...attrs,
    id,
  };
  let control;
  if (options) {
    control = h(
      'select',
      common,
      options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label)),
    );
  } else if (type === 'textarea') {
    control = h('textarea', { ...common, rows: attrs.rows || 3 });
    control.value = value ?? '';
  } else {
    control = h('input', { ...common, type, value: value ?? '' });
  }
  return h(
    'div',
    { class: 'field', dataset: { for: path } },
    h('label', { for: id }, label, required ? h('span', { class: 'req' }, ` ${t('common.required')}`) : null),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
  );
}

export function checkbox({ label, path, checked, value, kind = 'bool', hint }) {
  const id = uid('c');
  const hintId = hint ? `${id}-hint` : null;
  return h(
    'div',
    { class: 'choice', dataset: kind === 'bool' ? { for: path } : {} },
    h('input', { type: 'checkbox', id, name: path, value: value ?? 'true', checked, dataset: { path, kind }, 'aria-describedby': hintId }),
    h('label', { for: id }, label, hint ? h('span', { class: 'hint', id: hintId }, ` ${hint}`) : null),
  );
}

// Both languages of a bilingual text, side by side.
export function bilingual({ label, path, value, type = 'text', required = false, hint, rows }) {
  const v = value || {};
  return h(
    'div',
    { class: 'grid-2', dataset: { for: path } },
    field({ label: `${label} ${t('editor.in_en')}`, path: `${path}.en`, value: v.en, type, required, hint, attrs: rows ? { rows } : {}, lang: 'en' }),
    field({ label: `${label} ${t('editor.in_fr')}`, path: `${path}.fr`, value: v.fr, type, hint, attrs: rows ? { rows } : {}, lang: 'fr' }),
  );
}

function tokens(path) {
  const out = [];
  for (const part of path.split('.')) {
    const m = part.match(/^([^[]+)((?:\[\d+\])*)$/);
    if (!m) {
      out.push(part);
      continue;
    }
    out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export function setPath(obj, path, value) {
  const keys = tokens(path);
  let node = obj;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node[key] = value;
      return;
    }
    if (node[key] === undefined || node[key] === null) node[key] = typeof keys[i + 1] === 'number' ? [] : {};
    node = node[key];
  });
}

export function getPath(obj, path) {
  return tokens(path).reduce((node, key) => (node == null ? undefined : node[key]), obj);
}

// Wall time "2027-11-20T09:30" for a datetime-local input, from "2027-11-20T09:30:00-05:00".
export function toLocalInput(iso) {
  return iso ? String(iso).slice(0, 16) : '';
}

// Reads every [data-path] control of `root` into a new object; empty text becomes null (a JSON merge patch then clears it).
export function collect(root, { all = false } = {}) {
  const out = {};
  for (const el of root.querySelectorAll('[data-path]')) {
    if (!all && (el.disabled || el.closest('[hidden]'))) continue;
    const path = el.dataset.path;
    const kind = el.dataset.kind;
    if (kind === 'bool') {
      setPath(out, path, el.checked);
    } else if (kind === 'list') {
      const list = getPath(out, path) || [];
      if (el.checked) list.push(el.value);
      setPath(out, path, list);
    } else if (kind === 'number') {
      const n = el.value.trim() === '' ? 0 : Number(el.value);
      setPath(out, path, Number.isFinite(n) ? Math.trunc(n) : el.value);
    } else if (kind === 'tz') {
      const other = el.value === '__other' ? root.querySelector(`#${el.dataset.other}`) : null;
      const v = other ? other.value.trim() : el.value;
      setPath(out, path, v === '' ? null : v);
    } else if (kind === 'datetime') {
      setPath(out, path, el.value ? `${el.value.length === 16 ? `${el.value}:00` : el.value}` : null);
    } else {
      const v = el.value.trim();
      setPath(out, path, v === '' ? null : v);
    }
  }
  return out;
}

// The server's words about a field, in plain English or French when we know them (its own words otherwise).
const PROBLEMS = [
  [/^is required in English or French$/, 'is required in English or French', 'est obligatoire en anglais ou en français'],
  [/^is required$/, 'is required', 'est obligatoire'],
  [/^must be after starts_at$/, 'must be after the start', 'doit être après le début'],
  [/^must be after registration\.opens_at$/, 'must be after the opening of registration', 'doit être après l’ouverture des inscriptions'],
  [/^is used by another (question|option|speaker)$/, 'is already used', 'est déjà utilisé'],
  [/^is used by another event$/, 'is already used by another event', 'est déjà utilisée par un autre événement'],
  [/^must be 1 to 64 letters, digits, '_' or '-'$/, "must be 1 to 64 letters, digits, '_' or '-'", 'doit compter de 1 à 64 lettres, chiffres, « _ » ou « - »'],
  [/^must be an http or https address$/, 'must be a web address starting with https://', 'doit être une adresse web commençant par https://'],
  [/^must list at least one option$/, 'needs at least one option', 'doit avoir au moins une option'],
  [/^must list at least one of en, fr$/, 'needs at least one language', 'doit inclure au moins une langue'],
  [/^is required unless the format is online$/, 'is required unless the event is online', 'est obligatoire sauf pour un événement en ligne'],
  [/^must be an IANA time zone/, 'must be a time zone name such as America/Toronto', 'doit être un fuseau horaire, comme America/Toronto'],
  [/^is not the id of a speaker of this event$/, 'is not one of this event’s speakers', 'n’est pas une personne de cet événement'],
  [/^is not a valid email address$/, 'is not a valid email address', 'n’est pas une adresse courriel valide'],
  [/^must be at least 12 characters$/, 'must be at least 12 characters', 'doit compter au moins 12 caractères'],
  [/^must be in the future$/, 'must be in the future', 'doit être dans le futur'],
  [/^must be at most \d+ bytes of plain text$/, 'is too long or contains characters that are not allowed', 'est trop long ou contient des caractères non permis'],
  [/^must be 1 to 80 lower-case letters/, 'must be 1 to 80 lower-case letters, digits and dashes, with at least one letter', 'doit compter de 1 à 80 lettres minuscules, chiffres et tirets, dont au moins une lettre'],
];

export function translateProblem(message) {
  for (const [re, en, fr] of PROBLEMS) if (re.test(message)) return lang() === 'fr' ? fr : en;
  return message;
}

function labelOf(el) {
  const wrap = el.closest('.field, .choice');
  const label = wrap && wrap.querySelector('label');
  const parts = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    if (node.matches('fieldset.repeat-item, fieldset.editor-section')) {
      const legend = node.querySelector(':scope > legend');
      if (legend) parts.unshift(legend.textContent.trim());
    }
  }
  if (label) parts.push(label.textContent.replace(t('common.required'), '').trim());
  return parts.join(' › ');
}

// The control a server path points at: the same path, else the first control under it.
function controlFor(root, path) {
  const all = [...root.querySelectorAll('[data-path]')];
  return (
    all.find((el) => el.dataset.path === path) ||
    all.find((el) => el.dataset.path.startsWith(`${path}.`) || el.dataset.path.startsWith(`${path}[`)) ||
    null
  );
}

export function clearErrors(root) {
  for (const el of root.querySelectorAll('.field-error')) el.remove();
  for (const el of root.querySelectorAll('.has-error')) el.classList.remove('has-error');
  for (const el of root.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.startsWith('err-'));
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  }
}

// Puts each problem next to its control and lists them all in `summary`; returns how many.
export function showErrors(root, fields, summary) {
  clearErrors(root);
  const items = [];
  for (const [path, problem] of Object.entries(fields || {})) {
    const control = controlFor(root, path);
    const message = translateProblem(problem);
    if (!control) {
      items.push(h('li', {}, `${path}${colon()}${message}`));
      continue;
    }
    const id = `err-${uid('e')}`;
    const wrap = control.closest('.field, .choice') || control.parentElement;
    wrap.classList.add('has-error');
    const errorEl = h('p', { class: 'field-error', id }, message);
    if (wrap.classList.contains('choice')) wrap.before(errorEl);
    else control.before(errorEl);
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    items.push(
      h(
        'li',
        {},
        h(
          'a',
          {
            href: `#${control.id}`,
            on: {
              click: (e) => {
                e.preventDefault();
                control.focus();
              },
            },
          },
          `${labelOf(control)}${colon()}${message}`,
        ),
      ),
    );
  }
  if (summary) {
    summary.hidden = items.length === 0;
    summary.replaceChildren(
      ...(items.length ? [h('h2', {}, tn('editor.errors', items.length)), h('ul', {}, items)] : []),
    );
  }
  return items.length;
}

export function statusBadge(status) {
  return h('span', { class: `badge badge-${status}` }, t(`status.${status}`));
}

export function notice(kind, text, id) {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status', tabindex: '-1', id }, text);
}
