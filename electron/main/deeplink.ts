/**
 * Deep links from softphones and second launches: `softone-desk://case/<number>` and
 * `softone-desk://call?from=<number>&option=<1|2>`. Anything a URL handler passes in is hostile
 * until proven otherwise, so the raw text is matched against two exact shapes (not fed to `URL`,
 * whose normalisation turns `case/1/../2` into `case/2`), every value is validated with the
 * shared zod schema, and whatever fails is dropped with one log line.
 */
import { app, type BrowserWindow } from 'electron';
import { DESK_PROTOCOL, DeskLinkSchema, type DeskLink } from '../../shared/host';
import { phoneCandidates } from '../../shared/numbers';
import { EVENTS } from './channels';
import { excerpt, log } from './log';

/** Longer than any real link; bounds the work and the log line. */
const MAX_LINK_LENGTH = 512;
const MAX_QUERY_PARAMS = 10;
/** A link that arrives before the window can show it waits; a burst of rings keeps the last few. */
const MAX_PENDING_LINKS = 10;

const CASE_LINK = new RegExp(`^${DESK_PROTOCOL}://case/([1-9][0-9]{0,8})/?$`, 'i');
const CALL_LINK = new RegExp(`^${DESK_PROTOCOL}://call/?\\?([^#]*)$`, 'i');
/** What a softphone puts in `from`: digits, an optional leading "+", common separators. */
const PHONE_TEXT = /^\+?[0-9][0-9 ()\-.]{2,39}$/;

function refuse(raw: string, reason: string): null {
  log('warn', 'deeplink', 'link refused', { reason, link: excerpt(raw) });
  return null;
}

export function parseDeskLink(raw: string): DeskLink | null {
  if (raw.length > MAX_LINK_LENGTH) return refuse(raw, 'too long');
  const text = raw.trim();
  const caseMatch = CASE_LINK.exec(text);
  if (caseMatch?.[1] !== undefined) {
    const parsed = DeskLinkSchema.safeParse({ kind: 'case', number: Number(caseMatch[1]) });
    return parsed.success ? parsed.data : refuse(raw, 'invalid case number');
  }
  const callMatch = CALL_LINK.exec(text);
  if (callMatch?.[1] !== undefined) return parseCallQuery(raw, callMatch[1]);
  return refuse(raw, 'not a case or call link');
}

function parseCallQuery(raw: string, query: string): DeskLink | null {
  const params = new Map<string, string>();
  const pairs = query.split('&').filter((pair) => pair !== '');
  if (pairs.length > MAX_QUERY_PARAMS) return refuse(raw, 'too many parameters');
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return refuse(raw, 'malformed parameter');
    let key: string;
    let value: string;
    try {
      // decodeURIComponent, not URLSearchParams: softphones send "from=+46…" unencoded and a
      // form decoder would turn that "+" into a space.
      key = decodeURIComponent(pair.slice(0, eq));
      value = decodeURIComponent(pair.slice(eq + 1));
    } catch {
      return refuse(raw, 'malformed percent-encoding');
    }
    // Two values for one key is ambiguous; which one a reader picks is how spoofing starts.
    if (params.has(key)) return refuse(raw, `repeated parameter ${excerpt(key, 20)}`);
    params.set(key, value);
  }

  const fromText = params.get('from');
  if (fromText === undefined) return refuse(raw, 'missing from');
  if (!PHONE_TEXT.test(fromText)) return refuse(raw, 'from is not a phone number');
  const from = phoneForLink(fromText);
  if (from === null) return refuse(raw, 'from is not a valid phone number');

  const optionText = params.get('option');
  let option: number | null = null;
  if (optionText !== undefined) {
    if (optionText !== '1' && optionText !== '2') return refuse(raw, 'option must be 1 or 2');
    option = Number(optionText);
  }
  const parsed = DeskLinkSchema.safeParse({ kind: 'call', from, option });
  return parsed.success ? parsed.data : refuse(raw, 'invalid call link');
}

/**
 * An international number is passed on as E.164. A national one ("070-123 45 67") means
 * different numbers in Sweden and Finland, and the shell does not know the specialist's office,
 * so it is passed on as bare digits for the renderer to read in both countries, as the server does.
 * Either way it must be a valid number in at least one of the two countries.
 */
function phoneForLink(text: string): string | null {
  const [first] = phoneCandidates(text);
  if (first === undefined) return null;
  if (text.startsWith('+') || text.startsWith('00')) return first;
  return text.replace(/[^0-9]/g, '');
}

/** The link in a launch's command line (Windows and Linux pass the URL as an argument). */
export function findDeskLinkInArgv(argv: readonly string[]): DeskLink | null {
  const prefix = `${DESK_PROTOCOL}:`;
  const arg = argv.find((a) => a.toLowerCase().startsWith(prefix));
  return arg === undefined ? null : parseDeskLink(arg);
}

export interface LinkRouter {
  /** Shows the link in the window, or keeps it until the window has loaded. */
  deliver(link: DeskLink): void;
  /** Brings the window forward (a second launch without a link). */
  raise(): void;
  /** The window links go to; pending links are sent once it has loaded. */
  attach(win: BrowserWindow): void;
}

export function createLinkRouter(bringToFront: (win: BrowserWindow) => void): LinkRouter {
  let window: BrowserWindow | null = null;
  const pending: DeskLink[] = [];

  function flush(): void {
    if (window === null || window.isDestroyed() || window.webContents.isLoading()) return;
    for (const link of pending.splice(0)) window.webContents.send(EVENTS.link, link);
  }

  function raise(): void {
    if (window !== null && !window.isDestroyed()) bringToFront(window);
  }

  return {
    deliver(link) {
      pending.push(link);
      if (pending.length > MAX_PENDING_LINKS) pending.shift();
      raise();
      flush();
    },
    raise,
    attach(win) {
      window = win;
      // The preload buffers links until the app subscribes, but it must exist first: a link
      // sent while the document is still loading could reach the previous document.
      win.webContents.on('did-finish-load', flush);
      win.on('closed', () => {
        if (window === win) window = null;
      });
      flush();
    },
  };
}

/**
 * Only one Desk per user: a softphone that opens a link launches a second process, which hands
 * its command line to the running one and quits. Returns false in that second process.
 */
export function claimSingleInstance(router: LinkRouter): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', (_event, argv) => {
    const link = findDeskLinkInArgv(argv);
    if (link === null) router.raise();
    else router.deliver(link);
  });
  // macOS delivers links as an event, also for the launch that started the app.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeskLink(url);
    if (link !== null) router.deliver(link);
  });
  return true;
}

/**
 * Registers `softone-desk:` with the OS. Installers (nsis, deb, dmg) register it too; this covers
 * AppImage and repairs a registration another program took over. A development build does not
 * register: it would steal the links from the installed app on the same machine.
 */
export function registerProtocolClient(): void {
  if (!app.isPackaged) {
    log('info', 'deeplink', 'development build: softone-desk links not registered with the OS');
    return;
  }
  if (!app.isDefaultProtocolClient(DESK_PROTOCOL) && !app.setAsDefaultProtocolClient(DESK_PROTOCOL)) {
    log('warn', 'deeplink', 'could not register as the softone-desk link handler');
  }
}
