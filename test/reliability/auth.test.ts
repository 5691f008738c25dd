/**
 * Every door shut: no token → 401 on every route, a specialist on a lead route → 403, an expired
 * session → 401; failed logins slowed, then locked; passwords only as scrypt hashes; session
 * tokens random (256 bits), kept only as SHA-256; the phone switch's secret compared in constant
 * time — shown by spying on node:crypto as the server calls it.
 */
import * as crypto from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { ROUTES } from '../../shared/api';
import { DEFAULT_THROTTLE } from '../../server/auth/login-throttle';
import { startTestServer, type TestServer } from '../support/server';
import { isErrorBody, request } from '../support/http';
import { reliabilityTally } from './support/summary';
import { fixturesOf, PLACEHOLDER_FIXTURES, ROUTE_SPECS, type Fixtures } from './support/routes';
import { leadWithTwoFactor } from '../support/two-factor';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, default: actual, timingSafeEqual: vi.fn(actual.timingSafeEqual), scrypt: vi.fn(actual.scrypt) };
});

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
const scrypt = vi.mocked(crypto.scrypt);

/** Secrets must never be in the database file or its WAL, in any column or page. */
function rawFilesContain(dataDir: string, secret: string): boolean {
  return ['desk.sqlite', 'desk.sqlite-wal']
    .map((name) => join(dataDir, name))
    .filter((file) => existsSync(file))
    .some((file) => readFileSync(file).includes(Buffer.from(secret, 'utf8')));
}

describe('routes and roles', () => {
  let server: TestServer;
  let fixtures: Fixtures;
  let specialistToken: string;

  beforeAll(async () => {
    server = await startTestServer({ cases: 40 });
    fixtures = fixturesOf(server.store.db, server.ctiToken);
    specialistToken = await server.login(server.specialistEmails[0]);
  });
  afterAll(() => server.close());

  it('answers every route but the public ones 401 without a valid bearer token', async () => {
    const badHeaders: Array<Record<string, string>> = [
      {},
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      { authorization: `Bearer ${crypto.randomBytes(32).toString('base64url')}` },
      { authorization: `Bearer ${specialistToken} x` },
      { authorization: `bearer ${specialistToken}x` },
      { authorization: `Bearer ${'A'.repeat(201)}` },
    ];
    for (const spec of ROUTE_SPECS.filter((s) => s.access === 'token' || s.access === 'lead')) {
      for (const headers of badHeaders) {
        const answer = await request(server.url, spec.method, spec.path(fixtures), { headers, json: spec.method === 'GET' ? undefined : {} });
        tally.add({ badInputs: 1 });
        expect(answer.status, `${spec.method} ${spec.key} with ${JSON.stringify(headers)}`).toBe(401);
        expect(isErrorBody(answer.body)).toBe(true);
      }
    }
    // The phone switch: without the right secret in the URL, 401 too.
    for (const token of ['', 'x', server.ctiToken.slice(1), `${server.ctiToken}x`, server.ctiToken.toUpperCase()]) {
      const answer = await request(server.url, 'POST', `/api/v1/cti/${encodeURIComponent(token)}`, { json: { event: 'newCall', direction: 'in', callId: 'c' } });
      tally.add({ badInputs: 1 });
      expect(answer.status).toBe(401);
    }
  });

  it('answers a specialist 403 on every lead route, and lets them through elsewhere', async () => {
    for (const spec of ROUTE_SPECS.filter((s) => s.access === 'lead' || s.access === 'token')) {
      if (spec.key === 'logout') continue;
      const answer = await request(server.url, spec.method, spec.path(fixtures), { token: specialistToken, json: spec.method === 'GET' ? undefined : {} });
      if (spec.access === 'lead') {
        expect(answer.status, `${spec.method} ${spec.key}`).toBe(403);
        expect(answer.body).toMatchObject({ error: { code: 'forbidden' } });
      } else {
        expect([401, 403], `${spec.method} ${spec.key}`).not.toContain(answer.status);
      }
    }
  });

  it('serves exactly the methods the table lists: any other method on a route path is a 404', async () => {
    const paths = new Map<string, Set<string>>();
    for (const spec of ROUTE_SPECS) {
      const path = spec.path(PLACEHOLDER_FIXTURES);
      paths.set(path, (paths.get(path) ?? new Set()).add(spec.method));
    }
    for (const [path, methods] of paths) {
      for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
        const answer = await request(server.url, method, path, { json: method === 'GET' || method === 'DELETE' ? undefined : {} });
        if (methods.has(method)) expect(answer.status, `${method} ${path}`).not.toBe(404);
        else expect(answer.status, `${method} ${path}`).toBe(404);
      }
    }
  });
});

describe('sessions expire', () => {
  let server: TestServer;
  let clock = Date.now();

  beforeAll(async () => {
    server = await startTestServer({ cases: 20, server: { sessionHours: 1, now: () => new Date(clock) } });
  });
  afterAll(() => server.close());

  it('accepts a token until its expiry and answers 401 on every route after it, socket included', async () => {
    const token = await server.login();
    const fixtures = fixturesOf(server.store.db, server.ctiToken);
    clock += 59 * 60_000;
    expect((await request(server.url, 'GET', ROUTES.me, { token })).status).toBe(200);
    clock += 60_001;
    for (const spec of ROUTE_SPECS.filter((s) => s.access === 'token' || s.access === 'lead')) {
      const answer = await request(server.url, spec.method, spec.path(fixtures), { token, json: spec.method === 'GET' ? undefined : {} });
      expect(answer.status, `${spec.method} ${spec.key}`).toBe(401);
    }
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}${ROUTES.live}`);
    const closed = new Promise<number>((resolveClose) => socket.on('close', (code) => resolveClose(code)));
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token })));
    expect(await closed).toBe(4401);
  });
});

describe('failed logins', () => {
  let clock = Date.now();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ cases: 0, server: { now: () => new Date(clock) } });
  });
  afterAll(() => server.close());

  const attempt = (email: string, password: string) => request(server.url, 'POST', ROUTES.login, { json: { email, password } });

  it('are slowed down after a few and then locked, even for the right password (default limits)', async () => {
    const email = server.specialistEmails[0] ?? '';
    const { freeFailures, baseDelayMs, lockAfter, lockMs } = DEFAULT_THROTTLE;
    for (let i = 0; i < freeFailures; i++) expect((await attempt(email, 'wrong password')).status).toBe(401);
    // From here every further failure doubles the wait before the next attempt is even checked.
    for (let failures = freeFailures; failures < lockAfter; failures++) {
      const wait = baseDelayMs * 2 ** (failures - freeFailures);
      const early = await attempt(email, server.password);
      expect(early.status).toBe(429);
      expect(early.body).toMatchObject({ error: { code: 'too_many_attempts' } });
      expect(Number(early.headers.get('retry-after'))).toBe(Math.ceil(wait / 1000));
      clock += wait;
      expect((await attempt(email, 'wrong password')).status).toBe(401);
    }
    const locked = await attempt(email, server.password);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: { code: 'locked' } });
    expect(Number(locked.headers.get('retry-after'))).toBe(Math.ceil(lockMs / 1000));
    // The lock is per account: a colleague in the same office still gets in.
    expect((await attempt(server.specialistEmails[1] ?? '', server.password)).status).toBe(200);
    clock += lockMs;
    expect((await attempt(email, server.password)).status).toBe(200);
  });

  it('spend the same scrypt work on an unknown e-mail as on a known one', async () => {
    // The stand-in hash for unknown e-mails is made once, on the first such login.
    await attempt('first-unknown@softone.se', 'whatever password');
    scrypt.mockClear();
    expect((await attempt('nobody@softone.se', 'whatever password')).status).toBe(401);
    expect(scrypt).toHaveBeenCalledTimes(1);
    scrypt.mockClear();
    expect((await attempt(server.specialistEmails[2] ?? '', 'whatever password')).status).toBe(401);
    expect(scrypt).toHaveBeenCalledTimes(1);
  });
});

describe('failed logins from one address', () => {
  let clock = Date.now();
  let server: TestServer;
  const throttle = { freeFailures: 2, lockAfter: 3, addressFactor: 2, baseDelayMs: 1000, lockMs: 60_000 };

  beforeAll(async () => {
    server = await startTestServer({ cases: 0, server: { now: () => new Date(clock), throttle } });
  });
  afterAll(() => server.close());

  it('are counted across e-mails and lock the address (an office is allowed more than one person)', async () => {
    const attempt = (email: string, password: string) => request(server.url, 'POST', ROUTES.login, { json: { email, password } });
    const free = throttle.freeFailures * throttle.addressFactor;
    const lockAt = throttle.lockAfter * throttle.addressFactor;
    for (let i = 0; i < free; i++) expect((await attempt(`guess${i}@softone.se`, 'wrong password')).status).toBe(401);
    for (let failures = free; failures < lockAt; failures++) {
      expect((await attempt(`guess${failures}@softone.se`, 'wrong password')).status).toBe(429);
      clock += throttle.baseDelayMs * 2 ** (failures - free);
      expect((await attempt(`guess${failures}@softone.se`, 'wrong password')).status).toBe(401);
    }
    const locked = await attempt(server.leadEmail, server.password);
    expect(locked.body).toMatchObject({ error: { code: 'locked' } });
    clock += throttle.lockMs;
    expect((await attempt(server.leadEmail, server.password)).status).toBe(200);
  });
});

describe('secrets at rest and on the wire', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ cases: 20 });
  });
  afterAll(() => server.close());

  it('stores passwords only as salted scrypt hashes that verify, never as text', async () => {
    const enrolled = await leadWithTwoFactor(server);
    const lead = enrolled.token;
    const password = `Ny-${crypto.randomBytes(9).toString('base64url')}-lösenord`;
    const created = await request(server.url, 'POST', ROUTES.specialists, {
      token: lead,
      json: { email: 'ny.specialist@softone.se', name: 'Ny Specialist', role: 'specialist', teams: [1], office: 'SE', language: 'sv', password },
    });
    expect(created.status).toBe(201);
    const rows = server.store.db.prepare<[], { email: string; password_hash: string }>('SELECT email, password_hash FROM specialists').all();
    // The demo accounts share one stored hash: recomputing it once per distinct (password, hash)
    // proves as much as once per row, without a dozen 128 MiB scrypt runs on a busy machine.
    const verified = new Set<string>();
    for (const { email, password_hash: hash } of rows) {
      const match = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]{22}==)\$([A-Za-z0-9+/]{86}==)$/.exec(hash);
      expect(match, email).not.toBeNull();
      const [, n, r, p, salt, key] = match ?? [];
      expect(Number(n)).toBeGreaterThanOrEqual(2 ** 17);
      // Recomputing the hash from the known password proves it is scrypt of that password.
      const known = email === 'ny.specialist@softone.se' ? password : email === enrolled.email ? enrolled.password : server.password;
      if (verified.has(`${known}\u0000${hash}`)) continue;
      verified.add(`${known}\u0000${hash}`);
      const derived = await new Promise<Buffer>((resolveKey, reject) =>
        crypto.scrypt(known, Buffer.from(salt ?? '', 'base64'), 64, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 }, (error, k) =>
          error ? reject(error) : resolveKey(k),
        ),
      );
      expect(derived.toString('base64')).toBe(key);
    }
    // Salted: the same password does not give the same hash twice.
    const created2 = await request(server.url, 'POST', ROUTES.specialists, {
      token: lead,
      json: { email: 'tvilling@softone.se', name: 'Tvilling', role: 'specialist', teams: [2], office: 'SE', language: 'sv', password },
    });
    expect(created2.status).toBe(201);
    const twins = server.store.db.prepare<[], string>(`SELECT password_hash FROM specialists WHERE email IN ('ny.specialist@softone.se', 'tvilling@softone.se')`).pluck().all();
    expect(new Set(twins).size).toBe(2);
    for (const secret of [password, server.password]) expect(rawFilesContain(server.dataDir, secret)).toBe(false);
  });

  it('issues random 256-bit session tokens and keeps only their SHA-256', async () => {
    const tokens = await Promise.all(Array.from({ length: 12 }, () => server.login()));
    const bytes = tokens.map((t) => Buffer.from(t, 'base64url'));
    for (const [i, token] of tokens.entries()) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(bytes[i]?.length).toBe(32);
      expect(bytes[i]?.toString('base64url')).toBe(token);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    // 12 × 256 bits: the share of one bits of random tokens is 0.5 ± 0.007 (one sigma).
    const ones = bytes.reduce((sum, b) => sum + [...b].reduce((s, byte) => s + byte.toString(2).replace(/0/g, '').length, 0), 0);
    expect(Math.abs(ones / (tokens.length * 256) - 0.5)).toBeLessThan(0.05);
    // No byte position is the same in every token (a counter or a fixed prefix would be).
    for (let position = 0; position < 32; position++) expect(new Set(bytes.map((b) => b[position])).size).toBeGreaterThan(1);
    const stored = new Set(server.store.db.prepare<[], string>('SELECT token_hash FROM sessions').pluck().all());
    for (const token of tokens) {
      expect(stored.has(crypto.createHash('sha256').update(token).digest('hex'))).toBe(true);
      expect(stored.has(token)).toBe(false);
      expect(rawFilesContain(server.dataDir, token)).toBe(false);
    }
  });

  it('compares the phone-switch secret in constant time, and answers 401 to wrong secrets of every length', async () => {
    const secret = server.ctiToken;
    const body = { event: 'newCall', from: '+46701234567', to: '', direction: 'in', callId: 'timing' };
    const lengths = [...Array.from({ length: secret.length + 8 }, (_, i) => i + 1), 64, 100, 101, 150, 200, 255, 256, 499, 500, 501, 1000, 4000, 10_000];
    for (const length of lengths) {
      // Wrong at the last character only, too: a byte-by-byte comparison would take longest there.
      const candidates = length === secret.length ? [`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, 'A'.repeat(length)] : [crypto.randomBytes(length).toString('base64url').slice(0, length)];
      for (const token of candidates) {
        timingSafeEqual.mockClear();
        const answer = await request(server.url, 'POST', ROUTES.cti(token), { json: body });
        tally.add({ badInputs: 1 });
        expect(answer.status, `a wrong secret of ${length} characters`).toBe(401);
        expect(isErrorBody(answer.body)).toBe(true);
        if (length <= 500) {
          // Both sides hashed first: equal-length buffers whatever the guess, so the time says nothing.
          expect(timingSafeEqual).toHaveBeenCalledTimes(1);
          const [a, b] = timingSafeEqual.mock.calls[0] ?? [];
          expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
        }
      }
    }
    timingSafeEqual.mockClear();
    const right = await request(server.url, 'POST', ROUTES.cti(secret), { json: body });
    expect(right.status).toBe(200);
    expect(right.body).toEqual({});
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });
});

beforeEach(() => {
  timingSafeEqual.mockClear();
});
