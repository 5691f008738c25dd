/**
 * Passwords are stored only as scrypt hashes; secrets are compared in constant time.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ThrottledError } from '../http/errors';

/**
 * scrypt N=2^17, r=8, p=1 (128 MiB per hash; OWASP's minimum for scrypt): about 0.57 s per hash
 * on the 2-core reference machine. The parameters travel inside each hash, so a hash made with
 * older ones still verifies, and `needsRehash` tells the login to store a new one.
 */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, keyLength: 64 };
const SECONDS_PER_HASH = 0.6;
/** Node refuses scrypt above `maxmem`; 128·N·r is 128 MiB here, so leave room above it. */
const SCRYPT_MAXMEM = 256 * 1024 * 1024;
/**
 * At most two hashes at once (the machine has two cores): a burst of logins waits its turn
 * instead of taking 128 MiB each and every thread of libuv's pool (which file I/O shares).
 */
const MAX_CONCURRENT = 2;
/**
 * Password checks waiting beyond those running (about 6 s of work): more are refused at once
 * with a 429, so a flood of logins cannot queue minutes of hashing ahead of everyone. Hashing a
 * new password (a change, a reset, a new account) waits its turn instead: those need a session.
 */
export const MAX_WAITING_CHECKS = 20;

let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(work: () => Promise<T>, refuseWhenBusy = false): Promise<T> {
  if (refuseWhenBusy && running >= MAX_CONCURRENT && waiting.length >= MAX_WAITING_CHECKS) {
    const seconds = Math.ceil(((waiting.length / MAX_CONCURRENT) * SECONDS_PER_HASH) + 1);
    throw new ThrottledError('too_many_requests', 'the server is busy checking passwords: try again shortly', seconds);
  }
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions, refuseWhenBusy = false): Promise<Buffer> {
  return limited(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
      }),
    refuseWhenBusy,
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: SCRYPT_MAXMEM });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Parameters a stored hash may carry: anything else (a tampered row) verifies as false, never as an error. */
const plausible = (n: number, r: number, p: number): boolean =>
  Number.isInteger(Math.log2(n)) && n >= 2 && n <= 2 ** 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16 && 128 * n * r * p <= SCRYPT_MAXMEM;

/** Throws a 429 (`ThrottledError`) at once when `MAX_WAITING_CHECKS` checks already wait. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!plausible(params.N, params.r, params.p)) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { ...params, maxmem: SCRYPT_MAXMEM }, true);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash made with weaker parameters than today's: the login that verified it stores a new one. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p, , key] = stored.split('$');
  if (scheme !== 'scrypt') return true;
  return Number(n) < SCRYPT.N || Number(r) < SCRYPT.r || Number(p) < SCRYPT.p || Buffer.from(key ?? '', 'base64').length < SCRYPT.keyLength;
}

/** Unknown e-mails are checked against this, so a login takes as long whether the account exists or not. */
let dummyHash: Promise<string> | null = null;
export const dummyPasswordHash = (): Promise<string> => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Compares two secrets in constant time (the phone switch's token). Both sides are hashed first
 * so the comparison takes as long whatever the lengths.
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
