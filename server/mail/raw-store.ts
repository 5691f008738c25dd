/**
 * Raw messages as received, by content hash under `<data>/mail/` (folders 0700, files 0600, as
 * the rest of the data folder): the same message read twice is one file, and a file written
 * before a crash is simply found again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, securePrivateDir } from '../store/file-modes';

export function contentHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class RawMailStore {
  constructor(private readonly root: string) {}

  pathOf(hash: string): string {
    return join(this.root, hash.slice(0, 2), hash);
  }

  /** Deletes a raw source (an anonymised person's mail); answers whether it was there. */
  remove(hash: string): boolean {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error('not a SHA-256 hex digest');
    try {
      unlinkSync(this.pathOf(hash));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** Keeps `bytes` (once) and answers its hash. */
  put(bytes: Buffer): string {
    const hash = contentHash(bytes);
    const file = this.pathOf(hash);
    if (existsSync(file)) return hash;
    securePrivateDir(this.root);
    const dir = join(this.root, hash.slice(0, 2));
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes, { mode: PRIVATE_FILE_MODE });
    renameSync(tmp, file);
    return hash;
  }
}
