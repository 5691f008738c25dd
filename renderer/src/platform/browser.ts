/**
 * DeskHost for a plain browser (`npm run web`, Playwright): the same shape the Electron preload
 * exposes as `window.desk`, built from Web APIs.
 */
import { DeskLinkSchema, parseCaseNumber, type DeskHost, type DeskLink, type DeskNotification, type HostInfo } from '../../../shared/index';
import { TOKEN_KEY } from './early';

const APP_TITLE = 'Desk';

/**
 * Reads `#/case/123`, `?case=123` or `?call=+46701234567&option=1` — the browser's stand-in for
 * the shell's `softone-desk://` deep links. Invalid input yields null and is ignored.
 */
export function parseLocationLink(search: string, hash: string): DeskLink | null {
  const hashCase = /^#\/case\/(\d{1,9})$/.exec(hash);
  const params = new URLSearchParams(search);
  const candidate: unknown = hashCase
    ? { kind: 'case', number: Number(hashCase[1]) }
    : params.has('case')
      ? { kind: 'case', number: parseCaseNumber(params.get('case') ?? '') }
      : params.has('call')
        ? { kind: 'call', from: params.get('call'), option: params.has('option') ? Number(params.get('option')) : null }
        : null;
  if (candidate === null) return null;
  const parsed = DeskLinkSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

const TITLE_INTERVAL_MS = 500;

/** "(12) Desk · 45 %": the badge and the first-sync progress a taskbar would show. */
export function composeTitle(badge: number, progress: number | null): string {
  const count = badge > 0 ? `(${badge}) ` : '';
  const pct = progress === null ? '' : ` · ${Math.round(progress * 100)} %`;
  return `${count}${APP_TITLE}${pct}`;
}

export function createBrowserHost(win: Window = window): DeskHost {
  const linkListeners = new Set<(link: DeskLink) => void>();
  // A link in the URL that opened the tab waits for the app to subscribe.
  let pendingLink = parseLocationLink(win.location.search, win.location.hash);
  let badge = 0;
  let progress: number | null = null;
  const emit = (link: DeskLink): void => {
    if (linkListeners.size === 0) pendingLink = link;
    for (const l of linkListeners) l(link);
  };
  win.addEventListener('hashchange', () => {
    const link = parseLocationLink('', win.location.hash);
    if (link) emit(link);
  });
  // Writing the title is not cheap (10-20 ms of the main thread per change, measured during a
  // first sync), and the count and the progress change with every page a first sync stores.
  // So changes are gathered and written at most every TITLE_INTERVAL_MS, in a task of their
  // own rather than inside the task that applied the page.
  let titleTimer: ReturnType<typeof setTimeout> | null = null;
  const renderTitle = (): void => {
    if (titleTimer !== null) return;
    titleTimer = setTimeout(() => {
      titleTimer = null;
      const title = composeTitle(badge, progress);
      if (win.document.title !== title) win.document.title = title;
    }, TITLE_INTERVAL_MS);
  };

  return {
    async info(): Promise<HostInfo> {
      return { kind: 'browser', serverUrl: win.location.origin, version: import.meta.env.VITE_APP_VERSION ?? 'dev' };
    },
    // Security: sessionStorage, not localStorage. The token lives as long as the tab (it
    // survives a reload, which offline work needs) and is gone when the browser closes, so a
    // shared or stolen machine does not keep a valid session on disk. No "remember me".
    async loadToken() {
      return win.sessionStorage.getItem(TOKEN_KEY);
    },
    async saveToken(token) {
      if (token === null) win.sessionStorage.removeItem(TOKEN_KEY);
      else win.sessionStorage.setItem(TOKEN_KEY, token);
    },
    onLink(listener) {
      linkListeners.add(listener);
      if (pendingLink) {
        const link = pendingLink;
        pendingLink = null;
        queueMicrotask(() => listener(link));
      }
      return () => linkListeners.delete(listener);
    },
    // A page cannot own a global shortcut; the in-app `/` and Ctrl+K focus the lookup instead.
    onFocusLookup() {
      return () => undefined;
    },
    async notify(n: DeskNotification) {
      if (!('Notification' in win) || Notification.permission !== 'granted') return;
      const notification = new Notification(n.title, { body: n.body, tag: n.tag });
      const caseNumber = n.caseNumber;
      if (caseNumber !== undefined) {
        notification.onclick = () => {
          win.focus();
          emit({ kind: 'case', number: caseNumber });
        };
      }
    },
    async setBadge(count) {
      badge = count;
      renderTitle();
    },
    async setProgress(fraction) {
      progress = fraction;
      renderTitle();
    },
    async openExternal(url) {
      const protocol = new URL(url).protocol;
      if (protocol !== 'https:' && protocol !== 'http:' && protocol !== 'mailto:') return;
      win.open(url, '_blank', 'noopener,noreferrer');
    },
  } satisfies DeskHost;
}

/** Asks once, on a user gesture (login), so call notifications can show while the tab is hidden. */
export function requestNotificationPermission(): void {
  if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission();
}
