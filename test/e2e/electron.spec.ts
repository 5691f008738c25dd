/**
 * Smoke test of the real Electron shell: builds with electron-vite, launches the app with
 * Playwright's `_electron`, and checks what unit tests can only check against a fake — that the
 * page is served from app://desk, the bridge is the DeskHost object and nothing more, and that
 * new windows and navigation away are refused. Runs where an Electron binary can run;
 * elsewhere it is skipped with the reason printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { build } from 'electron-vite';
import type { DeskHost, HostInfo } from '../../shared/host';
import { electronBinary } from '../../scripts/electron-binary.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Resolves with the first line the shell's main process writes to stderr (its warnings) that contains `text`. */
function warning(app: ElectronApplication, text: string): Promise<string> {
  const stderr = app.process().stderr;
  if (!stderr) return Promise.reject(new Error('the shell has no stderr to read'));
  return new Promise((resolve) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      const hit = lines.find((line) => line.includes(text));
      if (hit === undefined) return;
      stderr.off('data', onData);
      resolve(hit);
    };
    stderr.on('data', onData);
  });
}
const binary = electronBinary();
const skipReason = binary.ok ? '' : `Electron smoke test skipped: ${binary.reason}.`;
if (!binary.ok) console.log(skipReason);

test.describe('Electron shell', () => {
  test.skip(!binary.ok, skipReason);
  test.describe.configure({ timeout: 180_000 });

  let userData: string;
  test.beforeAll(async () => {
    await build({ root });
  });
  test.beforeEach(() => {
    userData = mkdtempSync(join(tmpdir(), 'desk-electron-e2e-'));
  });
  test.afterEach(() => rmSync(userData, { recursive: true, force: true }));

  test('opens the desk from app://desk with a locked-down bridge', async () => {
    if (!binary.ok) return;
    const app = await electron.launch({
      executablePath: binary.path,
      args: [root],
      cwd: root,
      env: { ...process.env, DESK_USER_DATA_DIR: userData, DESK_LOOKUP_SHORTCUT: '' },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toMatch(/^app:\/\/desk\//);

      const bridge = await page.evaluate(() => {
        const scope = window as unknown as { desk?: DeskHost; require?: unknown; process?: unknown };
        return { keys: Object.keys(scope.desk ?? {}).sort(), require: typeof scope.require, process: typeof scope.process };
      });
      expect(bridge.keys).toEqual(['info', 'loadToken', 'notify', 'onFocusLookup', 'onLink', 'openExternal', 'saveToken', 'setBadge', 'setProgress']);
      expect(bridge.require).toBe('undefined');
      expect(bridge.process).toBe('undefined');

      const info = await page.evaluate(() => (window as unknown as { desk: DeskHost }).desk.info());
      expect(info.kind).toBe('electron' satisfies HostInfo['kind']);
      expect(info.serverUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      await page.evaluate(() => window.open('https://example.com/', '_blank'));
      expect(app.windows()).toHaveLength(1);

      // The shell's own word that it refused the navigation, rather than half a second of hoping.
      const refused = warning(app, '"message":"navigation blocked"');
      await page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await refused;
      expect(page.url()).toMatch(/^app:\/\/desk\//);
    } finally {
      await app.close();
    }
  });
});
