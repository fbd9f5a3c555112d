// The full-screen answer to one scan: green (checked in), amber (already checked in, slow down) or red
// (not valid). A tap anywhere, Escape or "Next" closes it; it may also close by itself after a few seconds.
import { t } from '../i18n.js';
import { h } from '../dom.js';

const ICONS = { ok: '✓', warn: '!', bad: '✕' };
const SECONDS = { ok: 2.5, warn: 4.5, bad: 6 };

let open = null;

export function resultOpen() {
  return Boolean(open);
}

export function closeResult() {
  if (open) open.close();
}

// Resolves when the card is closed.
export function showResult({ kind, title, name, lines = [], flag, undo, autoclose = true }) {
  closeResult();
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const dialog = h('dialog', {
      class: ['door-result', `door-result-${kind}`],
      id: 'door-result',
      role: 'alertdialog',
      'aria-labelledby': 'door-result-title',
      'aria-describedby': 'door-result-text',
      dataset: { kind },
    });
    let timer = null;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      open = null;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener && opener.isConnected && opener !== document.body) opener.focus();
      resolve();
    };
    const next = h('button', { type: 'button', class: 'button door-result-next', on: { click: finish } }, t('door.result.next'));
    const undoButton = undo
      ? h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary door-result-undo',
            on: {
              click: () => {
                finish();
                undo();
              },
            },
          },
          t('door.result.undo'),
        )
      : null;
    dialog.append(
      h(
        'div',
        { class: 'door-result-body' },
        h('p', { class: 'door-result-icon', 'aria-hidden': 'true' }, ICONS[kind]),
        h('h2', { id: 'door-result-title' }, title),
        h(
          'div',
          { id: 'door-result-text' },
          name ? h('p', { class: 'door-result-name' }, name) : null,
          flag ? h('p', { class: 'door-result-flag' }, flag) : null,
          lines.filter(Boolean).map((line) => h('p', { class: 'door-result-line' }, line)),
        ),
        h('div', { class: 'door-result-actions' }, undoButton, next),
      ),
    );
    // A tap anywhere but on a button closes the card.
    dialog.addEventListener('click', (e) => {
      if (!e.target.closest('button')) finish();
    });
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish();
    });
    // Whoever moves to the undo button by keyboard keeps the card as long as they need.
    if (undoButton) undoButton.addEventListener('focus', () => clearTimeout(timer));
    document.body.append(dialog);
    dialog.showModal();
    next.focus();
    open = { close: finish };
    if (autoclose) timer = setTimeout(finish, SECONDS[kind] * 1000);
  });
}
