// The frame every page shares: skip link, header with the language switch, footer, announcements, dialogs.
import { otherLang, setLang, t, translateDocument } from './i18n.js';
import { h, replace } from './dom.js';

let renderPage = () => {};
let options = {};

export function setTitle(text) {
  document.title = text ? `${text} · ${t(options.siteNameKey || 'site.name')}` : t(options.siteNameKey || 'site.name');
}

// Says `message` to screen-reader users without moving focus.
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

function languageButton() {
  const next = otherLang();
  return h(
    'button',
    {
      type: 'button',
      class: 'lang-switch',
      id: 'lang-switch',
      lang: next,
      'aria-label': t('lang.switch.label'),
      on: {
        click: () => {
          setLang(next);
          drawFrame();
          renderPage({ languageChanged: true });
          document.getElementById('lang-switch')?.focus();
        },
      },
    },
    t('lang.switch'),
  );
}

function navigation() {
  if (!options.nav) return null;
  const items = options.nav.map((item) =>
    h(
      'li',
      {},
      h('a', { href: item.href, 'aria-current': item.current ? 'page' : null }, t(item.key)),
    ),
  );
  return h('nav', { class: 'site-nav', 'aria-label': t(options.navLabelKey || 'site.nav') }, h('ul', {}, items));
}

function drawFrame() {
  translateDocument();
  const header = document.querySelector('header.site-header');
  const nav = navigation();
  if (header) {
    replace(
      header,
      h(
        'div',
        { class: 'wrap header-inner' },
        h(
          'a',
          { class: 'brand', href: options.homeHref || '/' },
          h('img', { src: '/assets/img/logo.svg', alt: '', width: 36, height: 36, class: 'brand-mark' }),
          h('span', { class: 'brand-text' }, h('span', { class: 'brand-name' }, t(options.siteNameKey || 'site.name')),
            h('span', { class: 'brand-tagline' }, t(options.taglineKey || 'site.tagline'))),
        ),
        h('div', { class: 'header-tools' }, options.headerTools ? options.headerTools() : null, languageButton()),
      ),
      nav ? h('div', { class: 'wrap' }, nav) : null,
    );
  }
  const footer = document.querySelector('footer.site-footer');
  if (footer) {
    replace(
      footer,
      h(
        'div',
        { class: 'wrap' },
        options.footer
          ? options.footer()
          : [
              h('p', {}, t('site.footer.programme')),
              h('p', {}, t('site.footer.privacy')),
              h('p', {}, h('a', { href: '/admin' }, t('site.footer.organizers'))),
            ],
      ),
    );
  }
  let skip = document.querySelector('.skip-link');
  if (!skip) {
    skip = h('a', { class: 'skip-link', href: '#main' });
    document.body.prepend(skip);
  }
  skip.textContent = t('site.skip');
  if (!document.getElementById('announcer')) {
    document.body.append(h('div', { id: 'announcer', class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' }));
  }
}

// Draws the frame and the page; draws both again when the language changes.
export function startPage(pageOptions, render) {
  options = pageOptions || {};
  renderPage = render;
  drawFrame();
  renderPage({ languageChanged: false });
}

// Draws the frame again (for example after signing in, when the header's tools change).
export function redrawFrame(pageOptions) {
  if (pageOptions) options = { ...options, ...pageOptions };
  drawFrame();
}

export function loading(container) {
  replace(container, h('p', { class: 'loading', role: 'status' }, t('common.loading')));
}

export function failure(container, message, retry) {
  replace(
    container,
    h(
      'div',
      { class: 'notice notice-error', role: 'alert' },
      h('p', {}, message),
      retry ? h('button', { type: 'button', class: 'button', on: { click: retry } }, t('common.retry')) : null,
    ),
  );
}

// A modal question with two answers; resolves true when the first is chosen.
export function confirmDialog({ title, text, yes, no, danger = false }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = 'confirm-title';
    const textId = 'confirm-text';
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': textId });
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    };
    const keep = h('button', { type: 'button', class: 'button button-secondary', on: { click: () => finish(false) } }, no);
    const go = h(
      'button',
      { type: 'button', class: ['button', danger ? 'button-danger' : ''], on: { click: () => finish(true) } },
      yes,
    );
    dialog.append(
      h('h2', { id: titleId }, title),
      h('p', { id: textId }, text),
      h('div', { class: 'dialog-actions' }, go, keep),
    );
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    keep.focus();
  });
}
