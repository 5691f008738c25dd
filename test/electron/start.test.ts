import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronBinary } from '../../scripts/electron-binary.mjs';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'desk-electron-pkg-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function installBinary(executable: boolean): string {
  writeFileSync(join(dir, 'path.txt'), 'electron');
  mkdirSync(join(dir, 'dist'));
  const binary = join(dir, 'dist', 'electron');
  writeFileSync(binary, '#!/bin/sh\n');
  chmodSync(binary, executable ? 0o755 : 0o644);
  return binary;
}

describe('electronBinary', () => {
  it('no binary downloaded', () => {
    expect(electronBinary({ electronDir: dir, env: {}, platform: 'linux' })).toMatchObject({ ok: false, reason: expect.stringContaining('never downloaded') });
  });

  it('binary named but missing', () => {
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(electronBinary({ electronDir: dir, env: { DISPLAY: ':0' }, platform: 'linux' })).toMatchObject({ ok: false, reason: expect.stringContaining('missing') });
  });

  it.skipIf(process.platform === 'win32')('binary present but not executable', () => {
    installBinary(false);
    expect(electronBinary({ electronDir: dir, env: { DISPLAY: ':0' }, platform: 'linux' }).ok).toBe(false);
  });

  it('Linux without a display', () => {
    installBinary(true);
    expect(electronBinary({ electronDir: dir, env: {}, platform: 'linux' })).toMatchObject({ ok: false, reason: expect.stringContaining('display') });
  });

  it('a runnable binary', () => {
    const binary = installBinary(true);
    expect(electronBinary({ electronDir: dir, env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux' })).toEqual({ ok: true, path: binary });
    expect(electronBinary({ electronDir: dir, env: {}, platform: 'darwin' })).toEqual({ ok: true, path: binary });
  });

  it('no electron package at all', () => {
    expect(electronBinary({ electronDir: null }).ok).toBe(false);
  });
});

describe('npm start', () => {
  it.skipIf(electronBinary().ok)('where no Electron can run, says so in one paragraph naming `npm run web`, exit 1', () => {
    const script = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 15_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm run web');
    expect(result.stderr).toContain('not available on this machine');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
