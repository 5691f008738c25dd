/**
 * Registers the offline app shell (public/sw.js) in a browser and tells it which files make up
 * this build, so a reload during an outage still opens the desk from the cache.
 */
import { SYNC_WORKER_URL } from './sync/workerClient';
import { SEARCH_WORKER_URL } from './sync/searchClient';

export function installOfflineShell(): void {
  const web = location.protocol === 'http:' || location.protocol === 'https:';
  if (!web || !import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const sameOrigin = (u: string) => {
    const url = new URL(u, location.href);
    return url.origin === location.origin && !url.pathname.startsWith('/api/') && url.pathname !== '/health';
  };
  void navigator.serviceWorker
    .register('./sw.js')
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      const loaded = performance.getEntriesByType('resource').map((e) => e.name);
      const urls = [new URL('./', location.href).href, SYNC_WORKER_URL, SEARCH_WORKER_URL, ...loaded].filter(sameOrigin).map((u) => new URL(u, location.href).href);
      registration.active?.postMessage({ type: 'cache-shell', urls: [...new Set(urls)] });
    })
    .catch(() => undefined); // no offline shell: the desk still works online
}
