// The organizer app: session, routes of its sections, the shared frame and error handling.
import './messages.js';
import { t } from '../i18n.js';
import { h, replace } from '../dom.js';
import { announce, failure, loading, redrawFrame, setTitle, startPage } from '../layout.js';
import { addRoute, match, navigate, startRouter } from './router.js';
import { currentUser, forget, loadSession, signOut } from './session.js';
import { notice } from './ui.js';
import login from './login.js';
import eventsList from './events-list.js';
import eventEditor from './event-editor.js';
import eventOverview from './event-overview.js';
import registrations from './registrations.js';
import checkinLinks from './checkin-links.js';
import report from './report.js';
import team from './team.js';
import deliveries from './deliveries.js';
import users from './users.js';
import audit from './audit.js';

// The sections, in route-matching order. A new section is one module under admin/ and one entry here;
// a section with `nav` also gets a link in the header; one with `adminOnly` is for admins alone.
const sections = [login, eventsList, eventEditor, eventOverview, registrations, checkinLinks, report, team, deliveries, users, audit];

const main = document.getElementById('main');
let flash = null;
let current = null;
let leaving = []; // what the shown section asked to stop when another one is drawn (live streams, timers)

for (const section of sections) for (const pattern of section.routes) addRoute(pattern, section);

function go(path, { message, replace: replaceEntry = false } = {}) {
  flash = message || null;
  navigate(path, { replace: replaceEntry });
}

function isAdmin() {
  const user = currentUser();
  return Boolean(user && user.role === 'admin');
}

function navItems(active) {
  return [
    ...sections
      .filter((s) => s.nav && currentUser() && (!s.adminOnly || isAdmin()))
      .map((s) => ({ href: s.nav.href, key: s.nav.key, current: active && (active === s || (s.nav.covers || []).includes(active.id)) })),
    { href: '/', key: 'admin.nav.public' },
  ];
}

function headerTools() {
  const user = currentUser();
  if (!user) return null;
  return [
    h('span', { class: 'header-user' }, t('admin.signed_in_as', { name: user.name || user.email })),
    h(
      'button',
      {
        type: 'button',
        class: 'button button-secondary button-small',
        id: 'logout',
        on: {
          click: async () => {
            try {
              await signOut();
            } catch {
              // Signed out here whatever the server answered.
            }
            go('/admin/login', { message: t('login.signed_out') });
          },
        },
      },
      t('admin.logout'),
    ),
  ];
}

function frame(active) {
  redrawFrame({ nav: navItems(active), navLabelKey: 'admin.nav' });
}

// What a section calls when the API says no.
function fail(err, container, retry) {
  if (err.status === 401) {
    forget();
    go(`/admin/login?next=${encodeURIComponent(location.pathname + location.search)}`, { message: t('login.expired'), replace: true });
    return;
  }
  if (err.status === 404) failure(container, t('admin.not_found'));
  else if (err.status === 403) failure(container, t('admin.forbidden'));
  else if (err.status === 0) failure(container, t('common.error.network'), retry);
  else failure(container, err.message || t('common.error.server'), retry);
}

async function route({ navigated = false, languageChanged = false } = {}) {
  for (const stop of leaving.splice(0)) {
    try {
      stop();
    } catch {
      // A section's clean-up never blocks the next one.
    }
  }
  const found = match(location.pathname);
  if (!found) {
    current = null;
    frame(null);
    setTitle(t('notfound.title'));
    replace(main, h('h1', { id: 'page-title', tabindex: '-1' }, t('notfound.title')), h('p', {}, h('a', { href: '/admin' }, t('overview.back'))));
    return;
  }
  const { section, params } = found;
  if (!section.public && !currentUser()) {
    go(`/admin/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    return;
  }
  if (section.id === 'login' && currentUser()) {
    go('/admin', { replace: true });
    return;
  }
  if (section.adminOnly && !isAdmin()) {
    current = section;
    frame(section);
    setTitle(t('admin.forbidden.title'));
    replace(main, h('h1', { id: 'page-title', tabindex: '-1' }, t('admin.forbidden.title')), h('p', { class: 'notice notice-info' }, t('admin.forbidden.admin')));
    return;
  }
  current = section;
  frame(section);
  setTitle(section.title ? section.title(params) : '');
  const message = flash;
  flash = null;
  const holder = h('div', { class: 'section', dataset: { section: section.id } });
  replace(main, message && section.id !== 'login' ? notice('success', message, 'flash') : null, holder);
  const ctx = {
    navigate: go,
    fail,
    flash: section.id === 'login' ? message : null,
    languageChanged,
    setTitle,
    announce,
    isAdmin,
    onLeave: (stop) => leaving.push(stop),
    signedIn: (path) => {
      go(path, { replace: true });
    },
  };
  if (!languageChanged) loading(holder);
  await section.render(holder, params, ctx);
  if (navigated) {
    const heading = document.getElementById('page-title');
    if (heading) heading.focus();
  }
  if (message && section.id !== 'login') announce(message);
}

async function boot() {
  loading(main);
  try {
    await loadSession();
  } catch {
    failure(main, t('common.error.network'), boot);
    return;
  }
  let started = false;
  startPage(
    {
      nav: navItems(null),
      navLabelKey: 'admin.nav',
      taglineKey: 'admin.tagline',
      homeHref: '/admin',
      headerTools,
      footer: () => h('p', {}, t('admin.footer')),
    },
    ({ languageChanged }) => {
      if (!started) {
        started = true;
        startRouter(route);
      } else if (languageChanged) {
        route({ languageChanged: true });
      }
    },
  );
}

boot();


