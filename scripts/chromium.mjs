// The Chromium the end-to-end tests and the benchmark drive, found the way a developer expects:
// the one they named, else the one their system has, else Playwright's own download. Plain
// JavaScript so that the install hook can run it before anything is built.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { posix, win32 } from 'node:path';

/** Names a system Chromium goes by on PATH, most specific first. */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

/** Where a browser lives when its folder is not on PATH (macOS apps, Windows installs, snaps). */
function commonLocations(platform = process.platform, env = process.env) {
  if (platform === 'darwin') {
    return ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter((root) => typeof root === 'string' && root !== '');
    return roots.flatMap((root) => [win32.join(root, 'Chromium', 'Application', 'chrome.exe'), win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe')]);
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome'];
}

/** What to do when there is no browser at all: one line, naming something installable. */
export const NO_CHROMIUM =
  "no Chromium found: install Debian's `chromium` package (or Chromium/Chrome for your system), set CHROMIUM_PATH to a Chromium binary, or run `npx playwright install chromium`";

/** @param {string} path */
function isExecutableFile(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @returns {string | null} */
function playwrightDefault() {
  // Resolved lazily: the install hook may run where the dev dependencies are not installed.
  try {
    return createRequire(import.meta.url)('playwright-core').chromium.executablePath();
  } catch {
    return null;
  }
}

/**
 * @typedef {{ ok: true, path: string, source: 'CHROMIUM_PATH' | 'system' | 'playwright' } | { ok: false, reason: string }} ChromiumFound
 * @typedef {{ env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform, isExecutable?: (path: string) => boolean, playwrightPath?: string | null }} FindOptions
 */

/**
 * Pure over its inputs: the environment, the platform, a test for "an executable file is here",
 * and the path where Playwright's own Chromium would be (null when Playwright is not installed).
 * @param {FindOptions} [options]
 * @returns {ChromiumFound}
 */
export function findChromiumIn({ env = process.env, platform = process.platform, isExecutable = isExecutableFile, playwrightPath = null } = {}) {
  const named = env.CHROMIUM_PATH;
  if (named !== undefined && named !== '') {
    // A browser asked for by name is never swapped for another one behind the user's back.
    return isExecutable(named) ? { ok: true, path: named, source: 'CHROMIUM_PATH' } : { ok: false, reason: `CHROMIUM_PATH is set to ${named}, which is not an executable file` };
  }
  const pathDirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter((dir) => dir !== '');
  const names = platform === 'win32' ? CHROMIUM_NAMES.map((name) => `${name}.exe`) : CHROMIUM_NAMES;
  for (const name of names) {
    for (const dir of pathDirs) {
      const candidate = (platform === 'win32' ? win32 : posix).join(dir, name);
      if (isExecutable(candidate)) return { ok: true, path: candidate, source: 'system' };
    }
  }
  for (const candidate of commonLocations(platform, env)) if (isExecutable(candidate)) return { ok: true, path: candidate, source: 'system' };
  if (playwrightPath !== null && isExecutable(playwrightPath)) return { ok: true, path: playwrightPath, source: 'playwright' };
  return { ok: false, reason: NO_CHROMIUM };
}

/**
 * This machine's Chromium.
 * @param {Omit<FindOptions, 'playwrightPath'>} [options]
 * @returns {ChromiumFound}
 */
export function findChromium(options = {}) {
  return findChromiumIn({ ...options, playwrightPath: playwrightDefault() });
}

/**
 * This machine's Chromium, or an exit with the one line that says what to install: a stack
 * trace out of a test runner's config would bury it.
 * @returns {string}
 */
export function chromiumOrExit() {
  const found = findChromium();
  if (found.ok) return found.path;
  console.error(found.reason);
  process.exit(1);
}

/** Set to anything but "", "0" or "false", as Playwright itself reads it. */
function downloadsSkipped(env) {
  const value = env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** `playwright install chromium`, its output kept to one line: the last it wrote. */
function playwrightInstall() {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const result = spawnSync(process.execPath, [cli, 'install', 'chromium'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10 * 60_000 });
  if (result.error) return { ok: false, detail: result.error.message };
  const lastLine = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.split('\n').map((line) => line.trim()).filter((line) => line !== '').at(-1) ?? '';
  return result.status === 0 ? { ok: true, detail: lastLine } : { ok: false, detail: lastLine || `exit ${result.status ?? result.signal}` };
}

/**
 * The install hook: fetches Playwright's Chromium only where no Chromium can be found and
 * downloads are not switched off. It never throws (an install must not fail over a test
 * browser) and says what happened in one line.
 * @param {{ env?: NodeJS.ProcessEnv, find?: () => ChromiumFound, install?: () => { ok: boolean, detail: string }, log?: (line: string) => void }} [options]
 * @returns {'found' | 'named-missing' | 'skipped' | 'installed' | 'failed'}
 */
export function ensureChromium({ env = process.env, find = () => findChromium({ env }), install = playwrightInstall, log = (line) => console.log(line) } = {}) {
  try {
    const found = find();
    if (found.ok) return 'found';
    if (env.CHROMIUM_PATH !== undefined && env.CHROMIUM_PATH !== '') {
      log(`desk: ${found.reason}; no other browser is fetched in its place`);
      return 'named-missing';
    }
    if (downloadsSkipped(env)) {
      log(`desk: ${NO_CHROMIUM} (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD is set, so Playwright's is not fetched)`);
      return 'skipped';
    }
    const installed = install();
    const after = installed.ok ? find() : null;
    if (after?.ok) {
      log(`desk: no system Chromium found; fetched Playwright's Chromium (${after.path})`);
      return 'installed';
    }
    log(`desk: ${NO_CHROMIUM} (fetching Playwright's failed: ${installed.detail || 'no browser afterwards'})`);
    return 'failed';
  } catch (error) {
    log(`desk: ${NO_CHROMIUM} (fetching Playwright's failed: ${error instanceof Error ? error.message : String(error)})`);
    return 'failed';
  }
}
