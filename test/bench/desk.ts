/**
 * The desk side of the benchmark: a real Chromium profile on disk (persistent context, as the
 * desktop app has) with the probe installed, and one function per measurement. Timing happens
 * inside the page (see probe.ts), so Playwright's own round trips are never in a figure.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { findChromium } from '../../scripts/chromium.mjs';
import { BUILT_IN_WATCHES, installProbe, NAME_SHIM, type Seen } from './probe';

/** The same browser the end-to-end tests drive, so that the smoke run measures what the bench does. */
function chromiumPath(): string {
  const found = findChromium();
  if (!found.ok) throw new Error(found.reason);
  return found.path;
}
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Desk {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openDesk(profileDir: string): Promise<Desk> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
  });
  await context.addInitScript({ content: NAME_SHIM });
  await context.addInitScript(installProbe, BUILT_IN_WATCHES);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: () => context.close() };
}

/** "156.0.8078.108": the user agent string is reduced to "156.0.0.0", the browser itself is not. */
export async function browserVersion(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { product } = await cdp.send('Browser.getVersion');
    return product.replace(/^\D*\//, '');
  } finally {
    await cdp.detach();
  }
}

/** Milliseconds between keys when typing the credentials, as a person types. */
const TYPING_DELAY_MS = 30;

/**
 * Opens the desk and logs in. The credentials are typed key by key, not pasted: the app does
 * its start-up work (calendars, see renderer/src/model/calendarWarmup.ts) while a person
 * types, and a login a few milliseconds after the page appeared would count that work as the
 * bootstrap's.
 */
export async function submitLogin(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.locator('form.login-card').waitFor();
  await page.locator('input[name=email]').fill('');
  await page.locator('input[name=email]').pressSequentially(email, { delay: TYPING_DELAY_MS });
  await page.locator('input[name=password]').pressSequentially(password, { delay: TYPING_DELAY_MS });
  await page.locator('button[type=submit]').click();
}

export interface BootstrapTimes {
  firstPageMs: number;
  totalMs: number;
  longestTaskMs: number;
}

/** After `submitLogin`: login → first queue row painted, → cursor set (everything in IndexedDB). */
export async function measureBootstrap(page: Page, timeoutMs: number): Promise<BootstrapTimes> {
  return page.evaluate(async (timeout) => {
    const probe = window.__deskBench;
    const firstRow = await probe.until('firstRow', timeout);
    const synced = await probe.until('synced', timeout);
    const start = probe.submitAt ?? 0;
    const during = probe.longTasks.filter((t) => t.start + t.duration >= start && t.start <= synced.paintedAt);
    return {
      firstPageMs: firstRow.paintedAt - start,
      totalMs: synced.paintedAt - start,
      longestTaskMs: Math.max(0, ...during.map((t) => t.duration)),
    };
  }, timeoutMs);
}

/**
 * Waits until the desk has finished the work it does after a bootstrap (storing the queue's
 * sort orders, see renderer/src/cache/compact.ts), so what is measured next has the browser to itself.
 */
export async function untilSettled(page: Page, dbName: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const stored = await page.evaluate(
      (name) =>
        new Promise<boolean>((resolve) => {
          const req = indexedDB.open(name);
          req.onerror = () => resolve(false);
          req.onsuccess = () => {
            const db = req.result;
            const get = db.transaction('meta').objectStore('meta').get('orders');
            get.onsuccess = () => {
              db.close();
              resolve(get.result !== undefined);
            };
            get.onerror = () => {
              db.close();
              resolve(false);
            };
          };
        }),
      dbName,
    );
    if (stored) return;
    if (Date.now() > end) throw new Error('the desk did not finish its work after the bootstrap');
    await page.waitForTimeout(200);
  }
}

/** The desk's cursor as shown in the page, null before the first sync is done. */
export async function deskCursor(page: Page): Promise<number | null> {
  const raw = await page.getByTestId('connection').getAttribute('data-cursor');
  return raw ? Number(raw) : null;
}

async function backToQueue(page: Page): Promise<void> {
  if ((await page.getByTestId('case-detail').count()) > 0) {
    await page.keyboard.press('Escape');
    await page.getByTestId('case-detail').waitFor({ state: 'detached' });
  }
}

/**
 * Each number typed into the lookup and submitted with Enter: the desk's own measure
 * (`desk:lookup-cache`, Enter to the record) and Enter to the detail painted. Then the same
 * numbers fetched from the server in the page, as a desk without a cache would.
 */
export interface LookupTimes {
  cache: number[];
  /** Enter to the frame showing the detail painted. */
  render: number[];
  /** Of that: the desk's own work — Enter to the detail in the DOM, plus that frame's rendering. */
  work: number[];
  server: number[];
}

export async function measureLookups(page: Page, numbers: readonly number[]): Promise<LookupTimes> {
  await backToQueue(page);
  await page.evaluate(() => performance.clearMeasures('desk:lookup-cache'));
  const { render, work } = await enterToPaint(page, numbers);
  const cache = await page.evaluate(() => performance.getEntriesByName('desk:lookup-cache').map((e) => e.duration));
  if (cache.length !== numbers.length) throw new Error(`expected ${numbers.length} cache lookups, the desk measured ${cache.length}`);
  const server = await page.evaluate(async (nums) => {
    const token = sessionStorage.getItem('desk.token') ?? '';
    const out: number[] = [];
    for (const num of nums) {
      const t0 = performance.now();
      const res = await fetch(`/api/cases/by-number/${num}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`server lookup ${num}: ${res.status}`);
      await res.json();
      out.push(performance.now() - t0);
    }
    return out;
  }, numbers);
  return { cache, render, work, server };
}

/**
 * Each number typed into the page's lookup (`fill`) and submitted with Enter, then Escape:
 * Enter to the frame showing `[data-testid=case-detail][data-number=N]` painted, and of that
 * the page's own work (Enter to the element in the DOM, plus that frame's rendering).
 */
async function enterToPaint(page: Page, numbers: readonly number[]): Promise<{ render: number[]; work: number[] }> {
  const input = page.getByTestId('lookup');
  const render: number[] = [];
  const work: number[] = [];
  for (const n of numbers) {
    await page.evaluate((num) => window.__deskBench.watch('detail', { selector: `[data-testid=case-detail][data-number="${num}"]` }), n);
    await input.fill(String(n));
    await input.press('Enter');
    const sample = await page.evaluate(async () => {
      const seen: Seen = await window.__deskBench.until('detail', 10_000);
      const enter = window.__deskBench.keyAt.Enter ?? Number.NaN;
      return { render: seen.paintedAt - enter, work: seen.at - enter + (seen.paintedAt - seen.frameAt) };
    });
    render.push(sample.render);
    work.push(sample.work);
    await backToQueue(page);
  }
  return { render, work };
}

/**
 * The least any page can do for "Enter to the case painted", measured as the desk's lookups
 * are (same browser, same numbers, same steps): a page with nothing but a lookup field and one
 * element prepared out of sight, whose Enter handler only marks that element shown (attributes
 * and a class) and empties the field. What is left is the browser's own path, from the key to
 * the handler and from the change to the next frame painted (60 Hz in headless Chromium).
 */
const REVEAL_FLOOR_PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; font: 14px system-ui, sans-serif; }
main { position: relative; height: 600px; }
.case { position: absolute; inset: 0; contain: strict; background: #fff; }
.case.prepared { visibility: hidden; }
</style></head><body>
<input data-testid="lookup" autocomplete="off">
<main><article id="case" class="case prepared"><h1>Case <span id="number"></span></h1><p>Caller, entitlement, service level</p></article></main>
<script>
const input = document.querySelector('input');
const shown = document.getElementById('case');
input.addEventListener('input', () => { document.getElementById('number').textContent = input.value; });
input.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter') return;
  shown.className = 'case';
  shown.dataset.testid = 'case-detail';
  shown.dataset.number = input.value;
  input.value = '';
});
addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  shown.className = 'case prepared';
  delete shown.dataset.testid;
  delete shown.dataset.number;
});
</script></body></html>`;

/** Enter to painted on the reveal-floor page, in a new tab of the desk's browser. */
export async function measureRevealFloor(context: BrowserContext, numbers: readonly number[]): Promise<number[]> {
  const page = await context.newPage();
  try {
    const url = 'http://reveal-floor.invalid/';
    await page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: REVEAL_FLOOR_PAGE }));
    await page.goto(url);
    return (await enterToPaint(page, numbers)).render;
  } finally {
    await page.close();
  }
}

/** Clicks through teams, views, filters and sorts; each sample is the input to the next paint. */
export async function measureQueueSwitches(page: Page, rounds: number): Promise<number[]> {
  await backToQueue(page);
  return page.evaluate(async (n) => {
    type Step = { sel: string; value?: string };
    const team = (t: string): Step => ({ sel: `[data-testid=team-switch] button[data-team="${t}"]` });
    const test = (id: string, value?: string): Step => ({ sel: `[data-testid=${id}]`, ...(value === undefined ? {} : { value }) });
    const steps: Step[] = [
      team('2'), team('both'), test('sort-number'), test('sort-number'), test('filter-status', 'all'), test('sort-age'),
      test('view-unassigned'), test('filter-category', 'bug'), test('filter-level', '2'), test('sort-urgency'), team('1'),
      test('filter-status', 'closed'), test('view-all'), test('filter-assignee', 'unassigned'), test('filter-office', 'FI'),
      test('filter-category', ''), test('view-bugs12'), test('filter-level', ''), test('filter-assignee', 'anyone'),
      test('filter-office', ''), test('view-breached'), test('filter-status', 'open'), test('view-mine'), test('view-all'),
    ];
    const out: number[] = [];
    for (let round = 0; round < n; round++) {
      for (const step of steps) {
        const el = document.querySelector(step.sel);
        if (!el) throw new Error(`queue control ${step.sel} not found`);
        const t0 = performance.now();
        if (step.value !== undefined && el instanceof HTMLSelectElement) {
          el.value = step.value;
          el.dispatchEvent(new Event('change', { bubbles: true }));
        } else (el as HTMLElement).click();
        out.push((await window.__deskBench.nextPaint()).paintedAt - t0);
      }
    }
    return out;
  }, rounds);
}

/** IndexedDB usage of the profile's origin (MB = 10^6 bytes). */
export async function storageMb(page: Page): Promise<number> {
  return page.evaluate(async () => ((await navigator.storage.estimate()).usage ?? 0) / 1e6);
}

/** The page's JS heap after a full garbage collection (MB = 10^6 bytes). */
export async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / 1e6;
  } finally {
    await cdp.detach();
  }
}

/**
 * The reference: the rows the desk's bootstrap stored — every case (full record) and every
 * customer, contact, specialist and grant, each once — read back from its cache and written by
 * plain IndexedDB code the usual way, one record per row keyed by id (no secondary index, the
 * cheapest layout a row store can have), in transactions of 10,000 puts that are not awaited
 * one by one, into a fresh database that is deleted afterwards.
 */
export async function rawIdbRowsPerSecond(page: Page, dbName: string): Promise<{ rows: number; rowsPerSecond: number }> {
  return page.evaluate(async (name) => {
    const done = (req: IDBRequest | IDBTransaction) =>
      new Promise<void>((resolve, reject) => {
        if (req instanceof IDBTransaction) {
          req.oncomplete = () => resolve();
          req.onerror = req.onabort = () => reject(req.error);
        } else {
          req.onsuccess = () => resolve();
          req.onerror = () => reject(req.error);
        }
      });
    const openDb = (dbName: string, upgrade?: (db: IDBDatabase) => void) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const req = upgrade ? indexedDB.open(dbName, 1) : indexedDB.open(dbName);
        if (upgrade) req.onupgradeneeded = () => upgrade(req.result);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    type Row = { id: string; version?: number };
    const source = await openDb(name);
    const tx = source.transaction(['caseSlices', 'rowChunks'], 'readonly');
    const slices = tx.objectStore('caseSlices').getAll();
    const chunks = tx.objectStore('rowChunks').getAll();
    await done(tx);
    source.close();
    const data: Record<string, Map<string, Row>> = { cases: new Map(), customers: new Map(), contacts: new Map(), specialists: new Map(), grants: new Map() };
    for (const slice of slices.result as Array<{ cases: Row[] }>) {
      for (const c of slice.cases) if ((data.cases?.get(c.id)?.version ?? 0) <= (c.version ?? 0)) data.cases?.set(c.id, c);
    }
    for (const chunk of chunks.result as Array<{ parts: string[] }>) {
      for (const part of chunk.parts) {
        const delta = JSON.parse(part) as Record<string, Row[]>;
        for (const store of ['customers', 'contacts', 'specialists', 'grants']) for (const item of delta[store] ?? []) data[store]?.set(item.id, item);
      }
    }
    const rawName = `${name}:raw-reference`;
    await done(indexedDB.deleteDatabase(rawName));
    const raw = await openDb(rawName, (db) => {
      for (const store of Object.keys(data)) db.createObjectStore(store, { keyPath: 'id' });
    });
    let rows = 0;
    const t0 = performance.now();
    for (const [store, byId] of Object.entries(data)) {
      const items = [...byId.values()];
      for (let i = 0; i < items.length; i += 10_000) {
        const write = raw.transaction(store, 'readwrite');
        const os = write.objectStore(store);
        for (const item of items.slice(i, i + 10_000)) os.put(item);
        await done(write);
      }
      rows += items.length;
    }
    const ms = performance.now() - t0;
    raw.close();
    await done(indexedDB.deleteDatabase(rawName));
    return { rows, rowsPerSecond: (rows / ms) * 1000 };
  }, dbName);
}

/** Reload with everything cached: navigation start to a painted queue with the whole cache in memory. */
export async function measureColdStart(page: Page, timeoutMs: number): Promise<number> {
  await page.reload();
  return page.evaluate(async (timeout) => (await window.__deskBench.until('ready', timeout)).paintedAt, timeoutMs);
}

/** Opens a case by lookup and leaves the detail on screen. */
export async function openCase(page: Page, n: number): Promise<void> {
  await backToQueue(page);
  const input = page.getByTestId('lookup');
  await input.fill(String(n));
  await input.press('Enter');
  await page.locator(`[data-testid=case-detail][data-number="${n}"]`).waitFor();
}

/**
 * Edits the open case's title in `from` and waits until `to` (which shows the same case) paints
 * it: save click to paint, on one clock (timeOrigin + now is wall time in both pages).
 */
export async function measurePropagation(from: Page, to: Page, edits: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < edits; i++) {
    const title = `Bench edit ${i} ${Date.now().toString(36)}`;
    await to.evaluate((t) => window.__deskBench.watch('edit', { selector: '#case-title', text: t }), title);
    await from.getByTestId('edit-open').click();
    await from.getByTestId('edit-title').fill(title);
    const savedAt = await from.evaluate(() => {
      const at = performance.timeOrigin + performance.now();
      (document.querySelector('[data-testid=edit-save]') as HTMLElement).click();
      return at;
    });
    const shownAt = await to.evaluate(async () => performance.timeOrigin + (await window.__deskBench.until('edit', 15_000)).paintedAt);
    out.push(shownAt - savedAt);
    await from.getByTestId('case-pending').waitFor({ state: 'detached' });
  }
  return out;
}

/**
 * With the desk offline, `makeChanges` changes things elsewhere and returns the server's seq
 * after them; then the desk goes online and we wait for its cursor to reach that seq and the
 * page to paint it: the online event to that paint.
 */
export async function measureCatchup(desk: Desk, makeChanges: () => Promise<number>, timeoutMs: number): Promise<number> {
  const { page, context } = desk;
  await context.setOffline(true);
  await page.locator('[data-testid=connection][data-state=offline]').waitFor();
  const target = await makeChanges();
  await page.evaluate((seq) => {
    window.__deskBench.onlineAt = null;
    window.__deskBench.watch('caughtUp', { selector: '[data-testid=connection]', attr: 'data-cursor', atLeast: seq });
  }, target);
  const armedAt = await page.evaluate(() => performance.now());
  await context.setOffline(false);
  return page.evaluate(
    async ({ timeout, armed }) => {
      const seen = await window.__deskBench.until('caughtUp', timeout);
      return seen.paintedAt - (window.__deskBench.onlineAt ?? armed);
    },
    { timeout: timeoutMs, armed: armedAt },
  );
}
