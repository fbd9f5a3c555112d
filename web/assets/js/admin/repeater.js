// Lists of similar items in the editor (questions, options, speakers, sessions, partners): add, remove, reorder.
import { t } from '../i18n.js';
import { h } from '../dom.js';
import { announce } from '../layout.js';
import { getPath, setPath } from './ui.js';

// "Dr. Amélie Roy" -> "dr-amelie-roy": an identifier made from a name or a label.
export function slugId(text) {
  return String(text || '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

function listOf(d, path) {
  let list = getPath(d, path);
  if (!Array.isArray(list)) {
    list = [];
    setPath(d, path, list);
  }
  return list;
}

// `onChange(mutate, focusSelector)` reads the form, applies `mutate` to the edited object and draws again.
export function repeater({ id, items, itemLabel, addLabel, blank, listPath, onChange, row }) {
  const count = items.length;
  const tool = (action, label, aria, i, disabled) =>
    h(
      'button',
      {
        type: 'button',
        class: ['button', 'button-small', action === 'remove' ? 'button-danger-quiet' : 'button-secondary'],
        'aria-label': aria,
        dataset: { action },
        disabled,
        on: {
          click: () => {
            const name = itemLabel(i);
            if (action === 'remove') {
              onChange((d) => listOf(d, listPath).splice(i, 1), count > 1 ? `#${id}-item-${Math.max(0, i - 1)} [data-action="remove"]` : `#${id}-add`);
              announce(t('editor.removed', { item: name }));
            } else {
              const j = action === 'up' ? i - 1 : i + 1;
              onChange((d) => {
                const list = listOf(d, listPath);
                [list[i], list[j]] = [list[j], list[i]];
              }, `#${id}-item-${j} [data-action="${action}"]:not([disabled]), #${id}-item-${j} [data-action="remove"]`);
              announce(itemLabel(j));
            }
          },
        },
      },
      label,
    );
  return h(
    'div',
    { class: 'repeater', id: `rep-${id}` },
    items.map((item, i) =>
      h(
        'fieldset',
        { class: 'repeat-item', id: `${id}-item-${i}` },
        h('legend', {}, itemLabel(i)),
        row(item, i),
        h(
          'div',
          { class: 'repeat-tools' },
          tool('up', t('editor.up'), t('editor.up.label', { item: itemLabel(i) }), i, i === 0),
          tool('down', t('editor.down'), t('editor.down.label', { item: itemLabel(i) }), i, i === count - 1),
          tool('remove', t('editor.remove'), t('editor.remove.label', { item: itemLabel(i) }), i, false),
        ),
      ),
    ),
    h(
      'div',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'button button-secondary button-small',
          id: `${id}-add`,
          on: {
            click: () => {
              onChange((d) => listOf(d, listPath).push(blank()), `#${id}-item-${count} input, #${id}-item-${count} select`);
              announce(t('editor.added', { item: itemLabel(count) }));
            },
          },
        },
        `+ ${addLabel}`,
      ),
    ),
  );
}
