// Upcoming events: the public list, with times in the event's zone and the viewer's.
import { api } from '../api.js';
import { lang, t, tn } from '../i18n.js';
import { h, replace } from '../dom.js';
import { announce, failure, loading, setTitle, startPage } from '../layout.js';
import { eventCard } from '../cards.js';

const main = document.getElementById('main');
let events = null;

async function load() {
  const results = document.getElementById('results');
  loading(results);
  try {
    const data = await api(`/api/v1/events?upcoming=true&lang=${lang()}`);
    events = data.events || [];
    draw();
  } catch {
    failure(results, t('common.error.load'), load);
  }
}

function draw() {
  const results = document.getElementById('results');
  if (!results || !events) return;
  if (events.length === 0) {
    replace(
      results,
      h('p', { class: 'count' }, t('list.empty')),
      h('p', {}, h('a', { href: '/past' }, t('list.empty.past'))),
    );
    announce(t('list.empty'));
    return;
  }
  announce(tn('list.count', events.length));
  replace(
    results,
    h('p', { class: 'count' }, tn('list.count', events.length)),
    h('ul', { class: 'card-list' }, events.map((e) => h('li', {}, eventCard(e)))),
  );
}

startPage(
  {
    nav: [
      { href: '/', key: 'site.nav.upcoming', current: true },
      { href: '/past', key: 'site.nav.past' },
    ],
  },
  ({ languageChanged }) => {
    setTitle(t('list.title'));
    replace(
      main,
      h('div', { class: 'page-intro' }, h('h1', {}, t('list.title')), h('p', { class: 'lead' }, t('list.intro'))),
      h('section', { id: 'results' }),
    );
    if (languageChanged && events) draw();
    else load();
  },
);
