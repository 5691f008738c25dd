/**
 * A stand-in for the `electron` module, which cannot run on this machine (no Electron binary).
 * Only what the main-process modules call is faked; each fake records its calls so a test can
 * check what the shell asked Electron to do. Use with:
 *   vi.mock('electron', () => import('./fake-electron'));
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  id = FakeWebContents.nextId++;
  loading = false;
  mainFrame = { processId: 7, routingId: 1, parent: null, url: 'app://desk/' };
  send = vi.fn();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  isLoading = (): boolean => this.loading;
  setWindowOpenHandler = vi.fn((handler: (details: { url: string }) => { action: string }) => {
    this.windowOpenHandler = handler;
  });
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  webContents = new FakeWebContents();
  minimized = false;
  destroyed = false;
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn(() => void (this.minimized = false));
  maximize = vi.fn();
  setAlwaysOnTop = vi.fn();
  setProgressBar = vi.fn();
  setOverlayIcon = vi.fn();
  loadURL = vi.fn(async () => {});
  isMinimized = (): boolean => this.minimized;
  isDestroyed = (): boolean => this.destroyed;
  isMaximized = (): boolean => false;
  getNormalBounds = (): { x: number; y: number; width: number; height: number } => ({ x: 10, y: 20, width: 1000, height: 700 });
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  paths: Record<string, string> = { userData: '/tmp/desk-fake-user-data' };
  singleInstanceLock = true;
  requestSingleInstanceLock = vi.fn(() => this.singleInstanceLock);
  quit = vi.fn();
  exit = vi.fn();
  focus = vi.fn();
  enableSandbox = vi.fn();
  setBadgeCount = vi.fn(() => true);
  setAppUserModelId = vi.fn();
  isDefaultProtocolClient = vi.fn(() => false);
  setAsDefaultProtocolClient = vi.fn(() => true);
  getPath = vi.fn((name: string) => this.paths[name] ?? `/tmp/desk-fake-${name}`);
  setPath = vi.fn((name: string, value: string) => void (this.paths[name] = value));
  getAppPath = vi.fn(() => '/opt/desk');
  getLocale = vi.fn(() => 'sv-SE');
  getVersion = vi.fn(() => '0.1.0');
  whenReady = vi.fn(async () => {});
}
export const app = new FakeApp();

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle: vi.fn((channel: string, handler: InvokeHandler) => {
    if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcMain.handlers.set(channel, handler);
  }),
};

export const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => undefined) });
export const contextBridge = { exposeInMainWorld: vi.fn() };

export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
export const shell = { openExternal: vi.fn(async () => {}) };
export const dialog = { showErrorBox: vi.fn() };
export const screen = { getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]) };
export const globalShortcut = { register: vi.fn((_accelerator: string, _callback: () => void) => true), unregisterAll: vi.fn() };

const fakeSession = {
  setPermissionRequestHandler: vi.fn(),
  setPermissionCheckHandler: vi.fn(),
  setDevicePermissionHandler: vi.fn(),
};
export const session = { defaultSession: fakeSession };

/** Reversible but not plaintext: enough to tell "went through safeStorage" from "written as is". */
const SEAL = Buffer.from('fake-os-keyring:');
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  isAsyncEncryptionAvailable: vi.fn(async () => safeStorage.available),
  getSelectedStorageBackend: vi.fn(() => safeStorage.backend),
  encryptStringAsync: vi.fn(async (text: string) => Buffer.concat([SEAL, Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)])),
  decryptStringAsync: vi.fn(async (data: Buffer) => {
    if (!data.subarray(0, SEAL.length).equals(SEAL)) throw new Error('Error while decrypting the ciphertext');
    return { result: Buffer.from(data.subarray(SEAL.length).map((b) => b ^ 0x5a)).toString('utf8'), shouldReEncrypt: false };
  }),
};

export class Notification extends EventEmitter {
  static supported = true;
  static instances: Notification[] = [];
  static isSupported = (): boolean => Notification.supported;
  show = vi.fn();
  close = vi.fn(() => void this.emit('close', {}));
  constructor(readonly options: { title: string; body: string }) {
    super();
    Notification.instances.push(this);
  }
}

export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  setToolTip = vi.fn();
  setTitle = vi.fn();
  setContextMenu = vi.fn();
  constructor(readonly image: unknown) {
    super();
    Tray.instances.push(this);
  }
}
export const Menu = { buildFromTemplate: vi.fn((template: unknown[]) => ({ template })) };
export const nativeImage = {
  createFromBitmap: vi.fn((buffer: Buffer, size: { width: number; height: number }) => ({
    buffer,
    size,
    resize: (to: { width: number; height: number }) => ({ buffer, size: to }),
  })),
};

/**
 * utilityProcess.fork, played by a real Node child process: the server tests then exercise the
 * packaged code path's start, health wait and stop against a real process.
 */
export const utilityProcess = {
  fork: vi.fn((modulePath: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string }) => {
    const child = spawn(process.execPath, [modulePath, ...args], { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const utility = Object.assign(new EventEmitter(), {
      pid: child.pid,
      stdout: child.stdout,
      stderr: child.stderr,
      kill: () => child.kill('SIGKILL'),
    });
    child.once('exit', (code) => utility.emit('exit', code ?? 1));
    return utility;
  }),
};

/** Clears recorded calls and registered state between tests. */
export function resetFakes(): void {
  vi.clearAllMocks();
  ipcMain.handlers.clear();
  app.removeAllListeners();
  app.isPackaged = false;
  app.singleInstanceLock = true;
  BrowserWindow.instances = [];
  Notification.instances = [];
  Notification.supported = true;
  Tray.instances = [];
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  ipcRenderer.removeAllListeners();
}

export default { app, BrowserWindow, ipcMain, ipcRenderer, contextBridge, protocol, shell, dialog, screen, globalShortcut, session, safeStorage, Notification, Tray, Menu, nativeImage, utilityProcess };
