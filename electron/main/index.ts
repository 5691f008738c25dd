/**
 * Entry of the Electron main process: wires the one-concern modules together and does nothing
 * else. Order matters: scheme privileges, the sandbox and the single-instance lock must be set
 * before `ready`; the server must be known before the window loads (its URL is in the CSP).
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, session, type BrowserWindow } from 'electron';
import { createBadge } from './badge';
import { EVENTS } from './channels';
import { claimSingleInstance, createLinkRouter, findDeskLinkInArgv, registerProtocolClient } from './deeplink';
import { registerHostApi } from './host-api';
import { log } from './log';
import { createNotifier } from './notifications';
import { APP_ORIGIN, APP_START_URL, contentSecurityPolicy, registerAppScheme, serveApp } from './protocol';
import { hardenApp, originOf, restrictPermissions } from './security';
import { resolveServer, stopServerOnQuit } from './server';
import { loadSettings } from './settings';
import { registerLookupShortcut, unregisterShortcuts } from './shortcut';
import { createTokenStore } from './token';
import { startUpdater } from './updater';
import { bringToFront, createMainWindow } from './window';

const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_ROOT = fileURLToPath(new URL('../renderer', import.meta.url));

// A separate profile (tests, a second account on one login) without touching the default one.
if (process.env.DESK_USER_DATA_DIR) app.setPath('userData', resolve(process.env.DESK_USER_DATA_DIR));

// electron-vite's dev server, trusted only in a development build.
const devServerUrl = app.isPackaged ? null : (process.env.ELECTRON_RENDERER_URL ?? null);
const devOrigin = devServerUrl === null ? null : originOf(devServerUrl);
const trustedOrigins: readonly string[] = devOrigin === null ? [APP_ORIGIN] : [APP_ORIGIN, devOrigin];

registerAppScheme();
hardenApp(trustedOrigins);
// Windows shows notifications only for an app with an identity; the same id as the installer's.
app.setAppUserModelId('se.softone.desk');

let mainWindow: BrowserWindow | null = null;
const router = createLinkRouter(bringToFront);

if (!claimSingleInstance(router)) {
  // Our command line (a deep link, maybe) went to the running desk; nothing more to do here.
  app.quit();
} else {
  const launchLink = findDeskLinkInArgv(process.argv);
  if (launchLink !== null) router.deliver(launchLink);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.whenReady().then(start).catch((error: unknown) => {
    log('error', 'main', 'desk could not start', { error: String(error) });
    dialog.showErrorBox('SoftOne Desk', `Desk could not start.\n\n${String(error)}`);
    app.exit(1);
  });
}

function openWindow(): BrowserWindow {
  const win = createMainWindow(join(app.getPath('userData'), 'window-state.json'), PRELOAD);
  mainWindow = win;
  router.attach(win);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(devServerUrl ?? APP_START_URL);
  return win;
}

function showWindow(): void {
  bringToFront(mainWindow ?? openWindow());
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const settings = loadSettings(join(userData, 'settings.json'));
  const server = await resolveServer(settings.serverUrl, trustedOrigins);
  stopServerOnQuit(server);

  serveApp(RENDERER_ROOT, contentSecurityPolicy(server.url));
  restrictPermissions(session.defaultSession, trustedOrigins);
  const badge = createBadge(() => mainWindow, showWindow);
  const notifier = createNotifier((number) => router.deliver({ kind: 'case', number }), showWindow);
  registerHostApi(
    {
      info: { kind: 'electron', serverUrl: server.url, version: app.getVersion() },
      tokens: createTokenStore(join(userData, 'session-token.bin')),
      notifier,
      badge,
    },
    { isAppContents: (contents) => mainWindow !== null && contents.id === mainWindow.webContents.id, trustedOrigins },
  );
  openWindow();
  app.on('activate', () => {
    if (mainWindow === null) openWindow();
  });

  registerLookupShortcut(settings.lookupShortcut, () => {
    showWindow();
    if (mainWindow !== null && !mainWindow.webContents.isLoading()) mainWindow.webContents.send(EVENTS.focusLookup);
  });
  app.on('will-quit', unregisterShortcuts);
  registerProtocolClient();
  void startUpdater(settings.updateFeedUrl, app.isPackaged);
}
