import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenStore } from '../../electron/main/token';
import { resetFakes, safeStorage } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const TOKEN = 'desk-session.eyJzdWIiOiJhbm5hIn0.c2lnbmF0dXJl';
let dir: string;
let file: string;

beforeEach(() => {
  resetFakes();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  dir = mkdtempSync(join(tmpdir(), 'desk-token-'));
  file = join(dir, 'profile', 'session-token.bin');
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Every byte the store left on disk, to look for the token in any form. */
function everythingOnDisk(): string {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [readFileSync(join(d, e.name), 'latin1')]));
  return walk(dir).join('\n');
}

describe('token store', () => {
  it('writes the token only through safeStorage, never as plaintext', async () => {
    const store = createTokenStore(file);
    await store.save(TOKEN);
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledWith(TOKEN);
    expect(existsSync(file)).toBe(true);
    const disk = everythingOnDisk();
    expect(disk).not.toContain(TOKEN);
    expect(disk).not.toContain('eyJzdWIiOiJhbm5hIn0');
    expect(Buffer.from(disk, 'latin1').toString('base64')).not.toContain(Buffer.from(TOKEN).toString('base64'));
  });

  it('reads it back after a restart', async () => {
    await createTokenStore(file).save(TOKEN);
    await expect(createTokenStore(file).load()).resolves.toBe(TOKEN);
    expect(safeStorage.decryptStringAsync).toHaveBeenCalled();
  });

  it('is readable only by the user', async () => {
    await createTokenStore(file).save(TOKEN);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('forgets the token on sign-out', async () => {
    const store = createTokenStore(file);
    await store.save(TOKEN);
    await store.save(null);
    expect(existsSync(file)).toBe(false);
    await expect(store.load()).resolves.toBeNull();
  });

  it('keeps the token in memory only when the OS has no keyring', async () => {
    safeStorage.available = false;
    const store = createTokenStore(file);
    await store.save(TOKEN);
    await expect(store.load()).resolves.toBe(TOKEN);
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
    expect(existsSync(file)).toBe(false);
    await expect(createTokenStore(file).load()).resolves.toBeNull();
  });

  it.runIf(process.platform === 'linux')('treats the basic_text fallback on Linux as no keyring', async () => {
    safeStorage.backend = 'basic_text';
    await createTokenStore(file).save(TOKEN);
    expect(existsSync(file)).toBe(false);
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
  });

  it('drops a file it cannot decrypt (a profile copied from another machine)', async () => {
    await createTokenStore(file).save(TOKEN);
    writeFileSync(file, Buffer.from('encrypted with another key'));
    await expect(createTokenStore(file).load()).resolves.toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('re-encrypts when the OS says the key has rotated', async () => {
    await createTokenStore(file).save(TOKEN);
    safeStorage.decryptStringAsync.mockImplementationOnce(async () => ({ result: TOKEN, shouldReEncrypt: true }));
    await expect(createTokenStore(file).load()).resolves.toBe(TOKEN);
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledTimes(2);
  });

  it('has no token before the first sign-in', async () => {
    await expect(createTokenStore(file).load()).resolves.toBeNull();
  });
});
