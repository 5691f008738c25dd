/**
 * The session token, encrypted with `safeStorage` (Keychain, DPAPI, libsecret/kwallet) in a file
 * in the user-data folder. Never in localStorage: anything in the page's storage is readable by
 * any script that ever runs in the page, and by anyone who copies the profile folder.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { safeStorage } from 'electron';
import { log } from './log';

export interface TokenStore {
  load(): Promise<string | null>;
  save(token: string | null): Promise<void>;
}

/**
 * Linux without a keyring falls back to "basic_text": a key hard-coded in Chromium, which is
 * obfuscation, not encryption. Then the token lives in memory only and the specialist signs in
 * again after a restart.
 */
async function canEncrypt(): Promise<boolean> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

export function createTokenStore(file: string): TokenStore {
  let memoryOnly: string | null = null;

  async function writeEncrypted(token: string): Promise<void> {
    const encrypted = await safeStorage.encryptStringAsync(token);
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.tmp`;
    // 0600: other accounts on a shared machine cannot even read the ciphertext.
    await writeFile(temp, encrypted, { mode: 0o600 });
    await rename(temp, file);
  }

  return {
    async load() {
      if (memoryOnly !== null) return memoryOnly;
      let encrypted: Buffer;
      try {
        encrypted = await readFile(file);
      } catch {
        return null;
      }
      try {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(encrypted);
        if (shouldReEncrypt) await writeEncrypted(result);
        return result;
      } catch (error) {
        // Another user's or machine's key (a copied profile): useless here, so forget it.
        log('warn', 'token', 'stored token unreadable; signing in again', { error: String(error) });
        await rm(file, { force: true });
        return null;
      }
    },
    async save(token) {
      memoryOnly = null;
      if (token === null) {
        await rm(file, { force: true });
        return;
      }
      if (!(await canEncrypt())) {
        log('warn', 'token', 'no OS keyring: session kept in memory only');
        memoryOnly = token;
        await rm(file, { force: true });
        return;
      }
      await writeEncrypted(token);
    },
  };
}
