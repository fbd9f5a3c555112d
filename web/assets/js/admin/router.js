// Client-side routes of the organizer app under /admin, with the browser's history.
const routes = [];
let onChange = () => {};

function compile(pattern) {
  const keys = [];
  const source = pattern.replace(/:(\w+)/g, (whole, key) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${source}/?$`), keys };
}

export function addRoute(pattern, section) {
  routes.push({ ...compile(pattern), section, pattern });
}

export function match(pathname) {
  for (const route of routes) {
    const m = pathname.match(route.regex);
    if (!m) continue;
    const params = {};
    route.keys.forEach((key, i) => {
      params[key] = decodeURIComponent(m[i + 1]);
    });
    return { section: route.section, params };
  }
  return null;
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState({}, '', path);
  else history.pushState({}, '', path);
  onChange({ navigated: true });
}

// Follows links inside the app without reloading; others (CSV, public pages) load normally.
export function startRouter(changed) {
  onChange = changed;
  window.addEventListener('popstate', () => onChange({ navigated: true }));
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest('a[href]');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith('/admin')) return;
    if (!match(url.pathname)) return;
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
  onChange({ navigated: false });
}
