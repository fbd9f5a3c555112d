// Small pieces shared by the organizer sections: dates, tables, a message area and error texts.
import { t } from '../i18n.js';
import { h, replace } from '../dom.js';
import { clock, shortDate, viewerZone } from '../format.js';
import { notice } from './ui.js';

// "Nov 20, 2027 9:42" in the given zone (the viewer's by default).
export function when(iso, tz = viewerZone()) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${shortDate(d, tz)} ${clock(d, tz)}`;
}

// A scrollable table with a caption (visually hidden unless `showCaption`), header cells and rows.
// With `stack`, a phone shows each row as a block whose cells carry their column's name; the explicit
// roles keep it a table for screen readers whatever its display.
export function dataTable({ id, caption, showCaption = false, head, rows, className, stack = false }) {
  const captionId = `${id}-caption`;
  const names = head.map((cell) => (cell instanceof Node ? cell.textContent : String(cell)));
  if (stack) {
    for (const tr of rows) {
      tr.setAttribute('role', 'row');
      [...tr.children].forEach((cell, i) => {
        cell.setAttribute('role', cell.tagName === 'TH' ? 'rowheader' : 'cell');
        if (names[i] && cell.tagName !== 'TH') cell.dataset.label = names[i];
      });
    }
  }
  const role = (name) => (stack ? name : null);
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: '0', id: `${id}-wrap` },
    h(
      'table',
      { id, class: [className, stack ? 'stack' : ''], role: role('table') },
      h('caption', { id: captionId, class: showCaption ? null : 'visually-hidden' }, caption),
      h('thead', { role: role('rowgroup') }, h('tr', { role: role('row') }, head.map((cell) => (cell instanceof Node ? cell : h('th', { scope: 'col', role: role('columnheader') }, cell))))),
      h('tbody', { role: role('rowgroup') }, rows),
    ),
  );
}

// A place for the result of an action; `say` focuses it so that screen readers read it.
export function messageArea(id) {
  const el = h('div', { class: 'section-messages' });
  return {
    el,
    say(kind, text) {
      replace(el, notice(kind, text, id));
      document.getElementById(id).focus();
    },
    clear() {
      replace(el);
    },
  };
}

// The words for an API error that is not about a form field.
export function explain(err) {
  if (err.status === 0) return t('common.error.network');
  if (err.code === 'rate_limited') return t('common.error.rate', { seconds: err.retryAfter || 60 });
  if (err.status === 403) return t('admin.forbidden');
  if (err.status === 404) return t('admin.not_found');
  if (err.status === 409) return t('admin.conflict', { message: err.message });
  if (err.status >= 500) return t('common.error.server');
  return err.message || t('common.error.server');
}

// Back link to the event's overview, the page heading and the event's title under it.
export function eventHeading(event, titleText, pickedTitle, back) {
  return [
    h('p', { class: 'breadcrumb' }, h('a', { href: `/admin/events/${event.id}` }, `← ${back}`)),
    h('h1', { id: 'page-title', tabindex: '-1' }, titleText),
    h('p', { class: 'lead', lang: pickedTitle.lang !== document.documentElement.lang ? pickedTitle.lang : null }, pickedTitle.text),
  ];
}
