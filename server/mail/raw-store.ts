/**
 * Raw messages as received, by content hash under `<data>/mail/` (folders 0700, files 0600, as
 * the rest of the data folder): the same message read twice is one file, and a file written
 * before a crash is simply found again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
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
