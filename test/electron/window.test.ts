import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { secureWebPreferences } from '../../electron/main/security';
import { DEFAULT_WINDOW_STATE, bringToFront, createMainWindow, loadWindowState, mainWindowOptions, saveWindowState } from '../../electron/main/window';
import { BrowserWindow, resetFakes } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

let dir: string;
beforeEach(() => {
  resetFakes();
  dir = mkdtempSync(join(tmpdir(), 'desk-window-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The checklist items a window must never lose; each assertion fails if one is switched. */
function expectLockedDown(prefs: Record<string, unknown> | undefined): void {
  expect(prefs).toBeDefined();
  expect(prefs?.sandbox).toBe(true);
  expect(prefs?.contextIsolation).toBe(true);
  expect(prefs?.nodeIntegration).toBe(false);
  expect(prefs?.nodeIntegrationInWorker).toBe(false);
  expect(prefs?.nodeIntegrationInSubFrames).toBe(false);
  expect(prefs?.webSecurity).toBe(true);
  expect(prefs?.allowRunningInsecureContent).toBe(false);
  expect(prefs?.webviewTag).toBe(false);
  expect(prefs?.experimentalFeatures).toBe(false);
}

describe('window options', () => {
  it('every window the shell creates is sandboxed, isolated and without Node', () => {
    const win = createMainWindow(join(dir, 'window-state.json'), '/app/out/preload/index.cjs') as unknown as BrowserWindow;
    expect(BrowserWindow.instances).toHaveLength(1);
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expectLockedDown(prefs);
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('the shared preferences are the locked-down ones', () => {
    expectLockedDown(secureWebPreferences('/p.cjs') as Record<string, unknown>);
    expectLockedDown(mainWindowOptions(DEFAULT_WINDOW_STATE, '/p.cjs').webPreferences as Record<string, unknown>);
  });

  it('stays hidden until the first paint is ready', () => {
    const win = createMainWindow(join(dir, 'window-state.json'), '/p.cjs') as unknown as BrowserWindow;
    expect(win.options.show).toBe(false);
    expect(win.show).not.toHaveBeenCalled();
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalled();
  });
});

describe('window state', () => {
  const screenArea = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('remembers size and position across a close', () => {
    const file = join(dir, 'window-state.json');
    const win = createMainWindow(file, '/p.cjs') as unknown as BrowserWindow;
    win.emit('close');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });

    const reopened = createMainWindow(file, '/p.cjs') as unknown as BrowserWindow;
    expect(reopened.options).toMatchObject({ x: 10, y: 20, width: 1000, height: 700 });
  });

  it('reopens maximised when it was closed maximised', () => {
    const file = join(dir, 'window-state.json');
    saveWindowState(file, { x: 0, y: 0, width: 1200, height: 800, maximized: true });
    const win = createMainWindow(file, '/p.cjs') as unknown as BrowserWindow;
    expect(win.maximize).toHaveBeenCalled();
  });

  it('uses the defaults for a missing or corrupt file', () => {
    expect(loadWindowState(join(dir, 'missing.json'), screenArea)).toEqual(DEFAULT_WINDOW_STATE);
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"width": "wide"');
    expect(loadWindowState(corrupt, screenArea)).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(corrupt, JSON.stringify({ width: 50, height: 50, maximized: false }));
    expect(loadWindowState(corrupt, screenArea)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('drops a position on a monitor that is no longer there', () => {
    const file = join(dir, 'window-state.json');
    saveWindowState(file, { x: 3000, y: 100, width: 1000, height: 700, maximized: false });
    expect(loadWindowState(file, screenArea)).toEqual({ width: 1000, height: 700, maximized: false });
    expect(loadWindowState(file, [...screenArea, { x: 1920, y: 0, width: 2560, height: 1440 }])).toMatchObject({ x: 3000, y: 100 });
  });
});

describe('bringToFront', () => {
  it('restores a minimised window and focuses it', () => {
    const win = new BrowserWindow({});
    win.minimized = true;
    bringToFront(win as never);
    expect(win.restore).toHaveBeenCalled();
    expect(win.show).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });
});
