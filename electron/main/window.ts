/**
 * The one desk window: opens where it was closed (size, position, maximised — kept in a JSON
 * file in the user-data folder) and comes forward when a call rings.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BrowserWindow, app, screen, type BrowserWindowConstructorOptions, type Rectangle } from 'electron';
import { z } from 'zod';
import { log } from './log';
import { secureWebPreferences } from './security';

export const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };
/** Enough of the window on screen to grab its title bar. */
const MIN_VISIBLE = { width: 100, height: 50 };

function isReachable(bounds: Rectangle, workAreas: readonly Rectangle[]): boolean {
  return workAreas.some((area) => {
    const width = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const height = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    return width >= MIN_VISIBLE.width && height >= MIN_VISIBLE.height;
  });
}

/**
 * The saved state, or the default. A position on a monitor that has since been unplugged is
 * dropped (the window is centred instead), or the desk would open out of reach.
 */
export function loadWindowState(file: string, workAreas: readonly Rectangle[]): WindowState {
  let saved: WindowState;
  try {
    saved = WindowStateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
  const { x, y, ...size } = saved;
  if (x === undefined || y === undefined) return size;
  return isReachable({ x, y, width: saved.width, height: saved.height }, workAreas) ? saved : size;
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  // Write-then-rename: a crash mid-write leaves the old file, never half a JSON document.
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(state));
  renameSync(temp, file);
}

export function mainWindowOptions(state: WindowState, preloadPath: string): BrowserWindowConstructorOptions {
  return {
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 800,
    minHeight: 560,
    title: 'SoftOne Desk',
    // Shown on ready-to-show, so the specialist never sees an empty white frame.
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath),
  };
}

export function createMainWindow(stateFile: string, preloadPath: string): BrowserWindow {
  const state = loadWindowState(stateFile, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow(mainWindowOptions(state, preloadPath));
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    try {
      saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (error) {
      log('warn', 'window', 'window position not saved', { error: String(error) });
    }
  });
  return win;
}

/** A ring or a shortcut must put the desk in front of the softphone, even from the tray. */
export function bringToFront(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  if (process.platform === 'win32') {
    // Windows refuses focus to a background process; a brief always-on-top is the accepted way
    // to surface the window without the user clicking the taskbar.
    win.setAlwaysOnTop(true);
    win.setAlwaysOnTop(false);
  }
  if (process.platform === 'darwin') app.focus({ steal: true });
  win.focus();
}
