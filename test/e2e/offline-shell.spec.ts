import type { Request } from '@playwright/test';
import { loginAs, expect, test } from './fixtures';

test('a reload takes the built files from the offline shell, the page itself from the server', async ({ page, context, server }) => {
  const desk = await loginAs(page, server.team1[0]!);
  await expect.poll(() => page.evaluate(async () => (await (await caches.open('desk-shell')).keys()).length)).toBeGreaterThan(2);
  const stored = await page.evaluate(async () => (await (await caches.open('desk-shell')).keys()).map((r) => new URL(r.url).pathname));
  expect(stored.filter((p) => p.includes('/assets/')).length).toBeGreaterThan(2);

  // What the service worker itself asks the network for.
  const fromWorker: string[] = [];
  const onRequest = (request: Request) => {
    if (request.serviceWorker()) fromWorker.push(new URL(request.url()).pathname);
  };
  context.on('request', onRequest);
  await page.reload();
  await desk.ready();
  context.off('request', onRequest);

  // The page is fetched again (a new release is picked up), so the worker's requests are seen…
  expect(fromWorker.some((p) => !p.includes('/assets/'))).toBe(true);
  // …and none of them is for a built file: those have content-hashed names and come from the cache.
  expect(fromWorker.filter((p) => p.includes('/assets/'))).toEqual([]);
});
