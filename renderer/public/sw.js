/*
 * The browser build's offline app shell. Electron serves the desk from app:// and needs none of
 * this; in a browser the page itself comes from the server, so without this a reload during an
 * outage would show the browser's error page instead of the cached queue and outbox.
 *
 * The page network first (a new release is picked up whenever the server answers), the cache
 * when it does not; the built files it names cache first (their names change with their
 * content). The API is never touched: data lives in IndexedDB and goes through the sync client.
 * The page sends the list of its current files; missing ones are stored, anything else is dropped.
 */
/* global self, caches, fetch, Request, URL */
const CACHE = 'desk-shell';
const SHELL = new URL('./', self.location.href).href;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function isShellRequest(request) {
  const url = new URL(request.url);
  return request.method === 'GET' && url.origin === self.location.origin && !url.pathname.startsWith('/api/') && url.pathname !== '/health';
}

self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache-shell' || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((u) => typeof u === 'string' && isShellRequest(new Request(u)));
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const stored = new Set((await cache.keys()).map((r) => r.url));
      // Built files have hashed names and never change: only the page itself is fetched again,
      // not the whole bundle once more on every load.
      await cache.addAll(urls.filter((u) => u === SHELL || !stored.has(u)));
      for (const url of stored) if (!urls.includes(url)) await cache.delete(url);
    })(),
  );
});

/** Vite's build output: content-hashed names, so a stored copy is never stale. */
function isBuiltFile(request) {
  return new URL(request.url).pathname.includes('/assets/');
}

self.addEventListener('fetch', (event) => {
  if (!isShellRequest(event.request)) return;
  event.respondWith(
    (async () => {
      const navigation = event.request.mode === 'navigate';
      const built = isBuiltFile(event.request);
      // A built file is served from the cache when it is there: no trip to the server, no
      // writing a megabyte of script into the cache again on every load.
      if (built) {
        const cached = await caches.match(event.request);
        if (cached) return cached;
      }
      try {
        const response = await fetch(event.request);
        if (response.ok && !navigation) {
          const cache = await caches.open(CACHE);
          await cache.put(event.request, response.clone());
        }
        return response;
      } catch (error) {
        // A link such as ?case=123 or #/case/123 opens the same shell.
        const cached = navigation ? await caches.match(SHELL) : await caches.match(event.request);
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
