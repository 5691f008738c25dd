import { describe, expect, it, vi } from 'vitest';
import { ensureChromium, findChromiumIn, NO_CHROMIUM, type ChromiumFound } from '../../scripts/chromium.mjs';

/** A filesystem of exactly these executables. */
const only =
  (...paths: string[]) =>
  (path: string): boolean =>
    paths.includes(path);

const PLAYWRIGHT = '/home/dev/.cache/ms-playwright/chromium-1234/chrome-linux/chrome';

describe('findChromiumIn', () => {
  it('takes CHROMIUM_PATH first, over a system Chromium', () => {
    const found = findChromiumIn({ env: { CHROMIUM_PATH: '/opt/my/chrome', PATH: '/usr/bin' }, platform: 'linux', isExecutable: only('/opt/my/chrome', '/usr/bin/chromium') });
    expect(found).toEqual({ ok: true, path: '/opt/my/chrome', source: 'CHROMIUM_PATH' });
  });

  it('does not swap a CHROMIUM_PATH that is not there for another browser', () => {
    const found = findChromiumIn({ env: { CHROMIUM_PATH: '/opt/gone/chrome', PATH: '/usr/bin' }, platform: 'linux', isExecutable: only('/usr/bin/chromium'), playwrightPath: PLAYWRIGHT });
    expect(found).toEqual({ ok: false, reason: expect.stringContaining('/opt/gone/chrome') });
  });

  it('finds a system Chromium on PATH, in PATH order, under any of its names', () => {
    const env = { PATH: '/home/dev/bin::/usr/local/bin:/usr/bin' };
    expect(findChromiumIn({ env, platform: 'linux', isExecutable: only('/usr/bin/chromium', '/usr/local/bin/chromium') })).toEqual({ ok: true, path: '/usr/local/bin/chromium', source: 'system' });
    expect(findChromiumIn({ env, platform: 'linux', isExecutable: only('/usr/bin/google-chrome') })).toEqual({ ok: true, path: '/usr/bin/google-chrome', source: 'system' });
    // Chromium anywhere on PATH beats Chrome earlier on PATH: the tests are written against Chromium.
    expect(findChromiumIn({ env, platform: 'linux', isExecutable: only('/home/dev/bin/google-chrome', '/usr/bin/chromium-browser') })).toEqual({
      ok: true,
      path: '/usr/bin/chromium-browser',
      source: 'system',
    });
  });

  it('looks in the usual places when PATH does not lead to one', () => {
    expect(findChromiumIn({ env: { PATH: '/nowhere' }, platform: 'linux', isExecutable: only('/snap/bin/chromium') })).toEqual({ ok: true, path: '/snap/bin/chromium', source: 'system' });
    expect(findChromiumIn({ env: {}, platform: 'darwin', isExecutable: only('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome') })).toMatchObject({ ok: true, source: 'system' });
    const windows = findChromiumIn({ env: { Path: 'C:\\Windows', LOCALAPPDATA: 'C:\\Users\\dev\\AppData\\Local' }, platform: 'win32', isExecutable: only('C:\\Users\\dev\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe') });
    expect(windows).toMatchObject({ ok: true, source: 'system' });
  });

  it("falls back to Playwright's own Chromium only when it has been downloaded", () => {
    const env = { PATH: '/usr/bin' };
    expect(findChromiumIn({ env, platform: 'linux', isExecutable: only(PLAYWRIGHT), playwrightPath: PLAYWRIGHT })).toEqual({ ok: true, path: PLAYWRIGHT, source: 'playwright' });
    expect(findChromiumIn({ env, platform: 'linux', isExecutable: only('/usr/bin/chromium', PLAYWRIGHT), playwrightPath: PLAYWRIGHT })).toMatchObject({ source: 'system' });
    expect(findChromiumIn({ env, platform: 'linux', isExecutable: only(), playwrightPath: PLAYWRIGHT })).toEqual({ ok: false, reason: NO_CHROMIUM });
  });

  it('says in one line what to install when there is nothing', () => {
    const found = findChromiumIn({ env: {}, platform: 'linux', isExecutable: only(), playwrightPath: null });
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.reason).not.toContain('\n');
    expect(found.reason).toMatch(/^no Chromium found: install Debian's `chromium` package/);
    expect(found.reason).toContain('CHROMIUM_PATH');
  });
});

describe('ensureChromium (the install hook)', () => {
  const found: ChromiumFound = { ok: true, path: '/usr/bin/chromium', source: 'system' };
  const missing: ChromiumFound = { ok: false, reason: NO_CHROMIUM };

  function hook(env: NodeJS.ProcessEnv, finds: ChromiumFound[], install: () => { ok: boolean; detail: string } = () => ({ ok: true, detail: '' })) {
    const lines: string[] = [];
    const installs = vi.fn(install);
    const find = vi.fn(() => finds.shift() ?? missing);
    const outcome = ensureChromium({ env, find, install: installs, log: (line) => lines.push(line) });
    return { outcome, lines, installs };
  }

  it('fetches nothing where a Chromium is found, and says nothing', () => {
    const { outcome, lines, installs } = hook({}, [found]);
    expect(outcome).toBe('found');
    expect(installs).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('fetches nothing when PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD is set, and says what to install', () => {
    for (const value of ['1', 'true']) {
      const { outcome, lines, installs } = hook({ PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: value }, [missing]);
      expect(outcome).toBe('skipped');
      expect(installs).not.toHaveBeenCalled();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(NO_CHROMIUM);
    }
    expect(hook({ PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '0' }, [missing, found]).outcome).toBe('installed');
  });

  it('fetches nothing in place of a CHROMIUM_PATH that is not there', () => {
    const { outcome, lines, installs } = hook({ CHROMIUM_PATH: '/opt/gone' }, [{ ok: false, reason: 'CHROMIUM_PATH is set to /opt/gone, which is not an executable file' }]);
    expect(outcome).toBe('named-missing');
    expect(installs).not.toHaveBeenCalled();
    expect(lines).toHaveLength(1);
  });

  it("fetches Playwright's Chromium where there is none, and checks that it is there afterwards", () => {
    const installedPath: ChromiumFound = { ok: true, path: PLAYWRIGHT, source: 'playwright' };
    const { outcome, lines, installs } = hook({}, [missing, installedPath]);
    expect(outcome).toBe('installed');
    expect(installs).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([expect.stringContaining(PLAYWRIGHT)]);
    expect(hook({}, [missing, missing]).outcome).toBe('failed');
  });

  it('never throws where the download is blocked: one line, naming what to install', () => {
    const refused = hook({}, [missing], () => ({ ok: false, detail: 'Error: getaddrinfo ENOTFOUND cdn.playwright.dev' }));
    expect(refused.outcome).toBe('failed');
    expect(refused.lines).toHaveLength(1);
    expect(refused.lines[0]).toContain(NO_CHROMIUM);
    expect(refused.lines[0]).toContain('ENOTFOUND');
    const thrown = hook({}, [missing], () => {
      throw new Error('spawn EACCES');
    });
    expect(thrown.outcome).toBe('failed');
    expect(thrown.lines).toEqual([expect.stringContaining('EACCES')]);
  });
});
