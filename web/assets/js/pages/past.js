// Past events, most recent first, with the recording where the organizers shared one.
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
    const data = await api(`/api/v1/events?past=true&lang=${lang()}`);
    events = (data.events || []).slice().sort((a, b) => new Date(b.starts_at) - new Date(a.starts_at));
    draw();
  } catch {
    failure(results, t('common.error.load'), load);
  }
}

function draw() {
  const results = document.getElementById('results');
  if (!results || !events) return;
  if (events.length === 0) {
    replace(results, h('p', { class: 'count' }, t('past.empty')));
    announce(t('past.empty'));
    return;
  }
  announce(tn('past.count', events.length));
  replace(
    results,
    h('p', { class: 'count' }, tn('past.count', events.length)),
    h('ul', { class: 'card-list' }, events.map((e) => h('li', {}, eventCard(e, { past: true })))),
  );
}

startPage(
  {
    nav: [
      { href: '/', key: 'site.nav.upcoming' },
      { href: '/past', key: 'site.nav.past', current: true },
    ],
  },
  ({ languageChanged }) => {
    setTitle(t('past.title'));
    replace(
      main,
      h('div', { class: 'page-intro' }, h('h1', {}, t('past.title')), h('p', { class: 'lead' }, t('past.intro'))),
      h('section', { id: 'results' }),
    );
    if (languageChanged && events) draw();
    else load();
  },
);
