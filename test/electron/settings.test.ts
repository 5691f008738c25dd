import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LOOKUP_SHORTCUT, loadSettings } from '../../electron/main/settings';
import { registerLookupShortcut } from '../../electron/main/shortcut';
import { globalShortcut, resetFakes } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

let dir: string;
let file: string;
beforeEach(() => {
  resetFakes();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'log').mockImplementation(() => {});
  dir = mkdtempSync(join(tmpdir(), 'desk-settings-'));
  file = join(dir, 'settings.json');
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('loadSettings', () => {
  it('defaults: embedded server, default shortcut, no updates', () => {
    expect(loadSettings(file, {})).toEqual({ serverUrl: null, lookupShortcut: DEFAULT_LOOKUP_SHORTCUT, updateFeedUrl: null });
  });

  it('reads the settings file, and the environment overrides it', () => {
    writeFileSync(file, JSON.stringify({ serverUrl: 'https://desk.softone.se', lookupShortcut: 'Alt+F9' }));
    expect(loadSettings(file, {})).toEqual({ serverUrl: 'https://desk.softone.se', lookupShortcut: 'Alt+F9', updateFeedUrl: null });
    expect(loadSettings(file, { DESK_SERVER_URL: 'http://10.0.0.5:8787', DESK_UPDATE_FEED_URL: 'https://updates.softone.se/desk' })).toEqual({
      serverUrl: 'http://10.0.0.5:8787',
      lookupShortcut: 'Alt+F9',
      updateFeedUrl: 'https://updates.softone.se/desk',
    });
  });

  it('an empty shortcut turns it off', () => {
    expect(loadSettings(file, { DESK_LOOKUP_SHORTCUT: '' }).lookupShortcut).toBeNull();
  });

  it('ignores an invalid file or value rather than failing to start', () => {
    writeFileSync(file, '{ not json');
    expect(loadSettings(file, {}).serverUrl).toBeNull();
    writeFileSync(file, JSON.stringify({ serverUrl: 'file:///etc/passwd' }));
    expect(loadSettings(file, {}).serverUrl).toBeNull();
    expect(loadSettings(file, { DESK_SERVER_URL: 'javascript:alert(1)' }).serverUrl).toBeNull();
  });

  it('takes update feeds over HTTPS only: they deliver code', () => {
    expect(loadSettings(file, { DESK_UPDATE_FEED_URL: 'http://updates.example/desk' }).updateFeedUrl).toBeNull();
  });
});

describe('registerLookupShortcut', () => {
  it('registers the configured accelerator', () => {
    const onPress = vi.fn();
    expect(registerLookupShortcut('CommandOrControl+Alt+F', onPress)).toBe(true);
    expect(globalShortcut.register).toHaveBeenCalledWith('CommandOrControl+Alt+F', onPress);
  });

  it('reports a shortcut taken by another program', () => {
    globalShortcut.register.mockReturnValueOnce(false);
    expect(registerLookupShortcut('CommandOrControl+Alt+F', vi.fn())).toBe(false);
  });

  it('survives an accelerator Electron cannot parse', () => {
    globalShortcut.register.mockImplementationOnce(() => {
      throw new Error('conversion failure');
    });
    expect(registerLookupShortcut('Hyper+Banana', vi.fn())).toBe(false);
  });

  it('registers nothing when turned off', () => {
    expect(registerLookupShortcut(null, vi.fn())).toBe(false);
    expect(globalShortcut.register).not.toHaveBeenCalled();
  });
});
