/**
 * `npm start` builds the customer centre only when its bundle is missing or older than one of its
 * sources (the centre's folder, shared/, its vite config, its tsconfig), so a second start does
 * not build again. A project tree in a temporary folder with chosen modification times.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { centreBuildNeeded, ensureCentreBuilt } from '../../scripts/centre-build.mjs';

let root: string;
const T0 = new Date('2026-12-01T10:00:00Z');
const later = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

function file(path: string, at: Date): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, 'x');
  utimesSync(full, at, at);
}

/** Folders carry their own times too (a deleted file makes its folder newer): set them old. */
function ageFolders(at: Date): void {
  for (const folder of ['renderer', 'renderer/centre', 'renderer/centre/src', 'renderer/centre/locales', 'renderer/centre/locales/sv', 'renderer/centre/dist', 'renderer/centre/dist/assets', 'shared']) {
    try {
      utimesSync(join(root, folder), at, at);
    } catch {
      // Not in this tree.
    }
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'desk-centre-build-'));
  file('renderer/centre/src/App.tsx', T0);
  file('renderer/centre/locales/sv/account.json', T0);
  file('shared/centre.ts', T0);
  file('renderer/centre.vite.config.ts', T0);
  file('tsconfig.centre.json', T0);
  ageFolders(T0);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function built(at: Date): void {
  file('renderer/centre/dist/index.html', at);
  file('renderer/centre/dist/assets/index.js', at);
  ageFolders(T0);
}

describe('centreBuildNeeded', () => {
  it('is "missing" before the first build', () => {
    expect(centreBuildNeeded(root)).toBe('missing');
  });

  it('is fresh when the bundle is newer than every source (the bundle\'s own files do not count)', () => {
    built(later(5));
    file('renderer/centre/dist/assets/index.js', later(60));
    expect(centreBuildNeeded(root)).toBeNull();
  });

  it('is stale when a source of the centre, of shared/, its vite config or its tsconfig changed after the build', () => {
    for (const source of ['renderer/centre/src/App.tsx', 'renderer/centre/locales/sv/account.json', 'shared/centre.ts', 'renderer/centre.vite.config.ts', 'tsconfig.centre.json']) {
      built(later(5));
      file(source, later(10));
      ageFolders(T0);
      expect(centreBuildNeeded(root), source).toBe('stale');
      file(source, T0);
      ageFolders(T0);
    }
  });
});

describe('ensureCentreBuilt', () => {
  it('builds when missing, then not again on the second start', () => {
    const build = vi.fn(() => built(later(5)));
    const log = vi.fn();
    expect(ensureCentreBuilt(root, { build, log })).toBe('built');
    expect(build).toHaveBeenCalledWith(root);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('customer centre'));
    expect(ensureCentreBuilt(root, { build, log })).toBe('fresh');
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('passes a failed build on, for start.mjs to say so', () => {
    expect(() => ensureCentreBuilt(root, { build: () => { throw new Error('vite said no'); }, log: () => {} })).toThrow('vite said no');
  });
});
