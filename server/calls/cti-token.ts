/**
 * The phone-switch token changes only by a restart with another DESK_CTI_TOKEN (or another
 * `cti-token` file). The server keeps a salted scrypt hash of the token it last started with
 * (never the token) and, at each start, audits a token that differs from it: "who changed the
 * CTI token, when" then has an answer (the operator who restarted it, at that time).
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { auditAdmin } from '../http/access-audit';
import type { Store } from '../store/store';

const STATE = 'cti_token_hash';
/** Where the audit row says the change came from: the server's start with its configuration. */
export const CTI_TOKEN_ROUTE = 'server start';

const hashOf = (token: string, salt: Buffer): Buffer => scryptSync(token, salt, 32, { N: 1 << 14, r: 8, p: 1 });
const encode = (salt: Buffer, hash: Buffer): string => `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;

function matches(stored: string, token: string): boolean {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = hashOf(token, Buffer.from(salt, 'base64url'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Records the token's hash; audits a first token or a changed one. Returns what it found. */
export function auditCtiToken(store: Store, token: string, now: Date): 'first' | 'unchanged' | 'changed' {
  const stored = store.db.prepare<[string], string>('SELECT value FROM server_state WHERE name = ?').pluck().get(STATE);
  if (stored !== undefined && matches(stored, token)) return 'unchanged';
  const salt = randomBytes(16);
  const outcome = stored === undefined ? 'first' : 'changed';
  store.transaction(() => {
    store.db.prepare('INSERT INTO server_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(STATE, encode(salt, hashOf(token, salt)));
    auditAdmin(store, now, null, 'cti_token_change', CTI_TOKEN_ROUTE, { detail: { previous: outcome === 'first' ? 'none' : 'another token' } });
  });
  return outcome;
}
