// Service worker of the door page (scope /checkin): keeps the page, its scripts and styles and the
// QR scanner library, so that a volunteer can reopen the page at the venue without a network.
// Network first, with the saved copy when the network fails or is too slow. API calls are not touched:
// the page itself decides what to do offline.
const CACHE = 'ensemble-checkin-v1';
const TIMEOUT_MS = 4000;

const FILES = [
  '/checkin',
  '/assets/css/app.css',
  '/assets/img/logo.svg',
  '/assets/js/api.js',
  '/assets/js/dom.js',
  '/assets/js/format.js',
  '/assets/js/i18n.js',
  '/assets/js/layout.js',
  '/assets/js/live.js',
  '/assets/js/checkin/device.js',
  '/assets/js/checkin/door-api.js',
  '/assets/js/checkin/feedback.js',
  '/assets/js/checkin/main.js',
  '/assets/js/checkin/messages.js',
  '/assets/js/checkin/offline.js',
  '/assets/js/checkin/panels.js',
  '/assets/js/checkin/result-card.js',
  '/assets/js/checkin/scanner.js',
  '/assets/js/checkin/store.js',
  '/vendor/qr-scanner/qr-scanner.min.js',
  '/vendor/qr-scanner/qr-scanner-worker.min.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('ensemble-checkin-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function cacheKey(request) {
  const url = new URL(request.url);
  if (request.mode === 'navigate' && url.pathname === '/checkin') return '/checkin';
  return FILES.includes(url.pathname) ? url.pathname : null;
}

// The network's answer within TIMEOUT_MS (kept for next time), else the saved copy, else the network's late answer.
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(key, response.clone());
    return response;
  });
  fromNetwork.catch(() => {
    // Answered from the saved copy, or failed below.
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS, null));
  try {
    const fast = await Promise.race([fromNetwork, timeout]);
    if (fast) return fast;
  } catch {
    // Offline: the saved copy below.
  }
  const saved = await cache.match(key);
  if (saved) return saved;
  return fromNetwork;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  const key = cacheKey(request);
  if (!key) return;
  event.respondWith(networkFirst(request, key));
});
