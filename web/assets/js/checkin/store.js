// What the door page keeps on the phone, in IndexedDB: the link, the saved list, queued scans and
// the scans that need attention. Without IndexedDB (a blocked or private profile) it lives in memory.
const DB_NAME = 'ensemble-checkin';
const VERSION = 1;
const STORES = { meta: 'key', roster: 'event_id', queue: 'nonce', attention: 'nonce' };

let opening = null;
const memory = Object.fromEntries(Object.keys(STORES).map((name) => [name, new Map()]));

function open() {
  if (!opening) {
    opening = new Promise((resolve) => {
      let request;
      try {
        request = indexedDB.open(DB_NAME, VERSION);
      } catch {
        resolve(null);
        return;
      }
      request.onupgradeneeded = () => {
        const db = request.result;
        for (const [name, keyPath] of Object.entries(STORES)) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    });
  }
  return opening;
}

function run(store, mode, work) {
  return open().then(
    (db) =>
      new Promise((resolve, reject) => {
        if (!db) {
          resolve(work(null, memory[store]));
          return;
        }
        const tx = db.transaction(store, mode);
        let result;
        const request = work(tx.objectStore(store), null);
        if (request) request.onsuccess = () => (result = request.result);
        tx.oncomplete = () => resolve(result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      }),
  );
}

export function get(store, key) {
  return run(store, 'readonly', (os, mem) => (os ? os.get(key) : mem.get(key)));
}

export function all(store) {
  return run(store, 'readonly', (os, mem) => (os ? os.getAll() : [...mem.values()]));
}

export function put(store, value) {
  const keyPath = STORES[store];
  return run(store, 'readwrite', (os, mem) => (os ? os.put(value) : mem.set(value[keyPath], value) && undefined));
}

export function remove(store, key) {
  return run(store, 'readwrite', (os, mem) => (os ? os.delete(key) : mem.delete(key) && undefined));
}

export function clear(store) {
  return run(store, 'readwrite', (os, mem) => (os ? os.clear() : mem.clear()));
}
