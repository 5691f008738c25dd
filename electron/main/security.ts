/**
 * The Electron security checklist, in one place, with the reason for each choice. The renderer
 * shows data typed by customers (case texts, e-mails); if any of it ever runs as script, these
 * settings decide whether that script owns a web page or the specialist's computer.
 */
import { app, shell, type Session, type WebContents, type WebPreferences } from 'electron';
import { CALL_SCHEMES, isCallLink } from '../../shared/calls';
import { excerpt, log } from './log';

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    // The renderer runs in Chromium's OS-level sandbox: a renderer exploit cannot touch files
    // or start programs. The preload then gets only a small, audited `require`.
    sandbox: true,
    // The preload's world is separate from the page's: page script cannot reach the preload's
    // objects or tamper with the built-ins it uses, only the API passed through contextBridge.
    contextIsolation: true,
    // No Node.js in the page, in workers or in frames: `require('child_process')` must not exist
    // where customer-written text is rendered.
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    // Same-origin policy and CORS stay on: the page reaches only the Desk server that lets it.
    webSecurity: true,
    allowRunningInsecureContent: false,
    // <webview> embeds arbitrary pages with their own preferences; Desk has no use for one.
    webviewTag: false,
    // Experimental web platform features have not had the review shipped ones have.
    experimentalFeatures: false,
    // A file dropped on the window must not replace the app with that file.
    navigateOnDragDrop: false,
    // A page that opens alert() in a loop cannot lock the specialist out of the window.
    safeDialogs: true,
  };
}

/** Schemes `openExternal` may hand to the OS. `file:`, `smb:`, `ms-*:`… can run programs. */
const EXTERNAL_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:', ...CALL_SCHEMES]);
const MAX_EXTERNAL_URL_LENGTH = 2048;

export function isAllowedExternalUrl(raw: string): boolean {
  if (raw.length > MAX_EXTERNAL_URL_LENGTH) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (!EXTERNAL_PROTOCOLS.has(url.protocol)) return false;
  // "https://support.softone.se@evil.example" reads as SoftOne but goes elsewhere.
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'mailto:') return url.pathname !== '';
  // A call link names a number (or a SIP address) and nothing else (shared/calls.ts).
  if (CALL_SCHEMES.includes(url.protocol)) return isCallLink(url);
  return url.hostname !== '';
}

/** Opens an allow-listed URL in the user's browser or mail client; refuses everything else. */
export async function openExternalSafely(raw: string): Promise<boolean> {
  if (!isAllowedExternalUrl(raw)) {
    log('warn', 'security', 'external URL refused', { url: excerpt(raw) });
    return false;
  }
  await shell.openExternal(raw);
  return true;
}

/** "app://desk", "http://localhost:5173": scheme and host, as Chromium compares origins. */
export function originOf(raw: string): string | null {
  try {
    const url = new URL(raw);
    // `URL.origin` is "null" for schemes Node does not know (app:), so build it from the parts.
    return url.host === '' ? null : `${url.protocol}//${url.host}`;
  } catch {
    return null;
  }
}

/**
 * Navigation, redirects, new windows and <webview> are the ways a page leaves the app's origin
 * and keeps the preload's API. Only navigation inside the app itself is allowed; a link to the
 * web is given to the browser (if allow-listed) instead of opening inside Desk.
 */
export function hardenWebContents(contents: WebContents, trustedOrigins: readonly string[]): void {
  const isInApp = (url: string): boolean => {
    const origin = originOf(url);
    return origin !== null && trustedOrigins.includes(origin);
  };
  const blockLeavingApp = (event: Electron.Event<{ url: string }>): void => {
    if (isInApp(event.url)) return;
    event.preventDefault();
    log('warn', 'security', 'navigation blocked', { url: excerpt(event.url) });
    if (isAllowedExternalUrl(event.url)) void shell.openExternal(event.url);
  };
  contents.on('will-navigate', blockLeavingApp);
  contents.on('will-redirect', blockLeavingApp);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('warn', 'security', 'webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    else log('warn', 'security', 'window.open blocked', { url: excerpt(url) });
    return { action: 'deny' };
  });
}

/** Applied before any window exists, so no webContents ever runs without it. */
export function hardenApp(trustedOrigins: readonly string[]): void {
  // Forces the sandbox on every renderer, including any a future change forgets to configure.
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, trustedOrigins));
}

/** Permissions the desk asks for: notifications. Camera, microphone, location, USB… are refused. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

export function restrictPermissions(session: Session, trustedOrigins: readonly string[]): void {
  const allowed = (permission: string, url: string): boolean =>
    ALLOWED_PERMISSIONS.has(permission) && trustedOrigins.includes(originOf(url) ?? '');
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = allowed(permission, details.requestingUrl);
    if (!granted) log('warn', 'security', 'permission refused', { permission, url: excerpt(details.requestingUrl) });
    callback(granted);
  });
  // Chromium checks before it asks; without this handler the check answers from defaults.
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowed(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
}
