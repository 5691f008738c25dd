/**
 * Attacks on the HTTP edge, each reproduced against a real server and shown not to get through:
 * locking a colleague out through the reverse proxy, choosing one's own address with a forged
 * X-Forwarded-For, resetting an address's count with one's own successful logins, waiting for a
 * restart to wipe the locks, locking an account out from a few addresses, spreading guesses over
 * many addresses, keeping an account locked with a guess a minute from rotating addresses,
 * holding up everyone's logins with a flood from one address, logging in from another site's form, replaying phone-switch events, flooding the
 * webhook, the number leases and the live socket, reading the data files as another user,
 * framing the desk, and a demo server (published passwords) on the network.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/api';
import type { Contact } from '../../shared/contract';
import { loadConfig } from '../../server/cli/config';
import { DEMO_PASSWORD, seedDemoData } from '../../server/demo/seed';
import { DEFAULT_THROTTLE } from '../../server/auth/login-throttle';
import { LOGINS_IN_FLIGHT_PER_ADDRESS } from '../../server/auth/auth-service';
import { startServer, type RunningServer } from '../../server/http/app';
import { CLOSE_TOO_MANY_SOCKETS } from '../../server/http/live-socket';
import { backupDataDir } from '../../server/store/backup';
import { dataFile, openStore } from '../../server/store/store';
import { startTestServer, type TestServer } from '../support/server';
import { api, request, type Reply } from '../support/http';
import { connectLive, LiveClient } from '../support/live';
import { KNOBS } from './support/knobs';
import { reliabilityTally } from './support/summary';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

/** Records one attack and fails the test when it got through. */
function attack(succeeded: boolean, what: string): void {
  tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
  expect(succeeded, what).toBe(false);
}

const ATTACKER = '203.0.113.66';
const COLLEAGUE = '198.51.100.7';

type Attempt = Reply<{ token?: string; error?: { code: string } }>;

function attempt(url: string, email: string, password: string, forwardedFor?: string): Promise<Attempt> {
  return request(url, 'POST', ROUTES.login, { json: { email, password }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } });
}

const codeOf = (reply: Attempt): string | undefined => reply.body?.error?.code;

/**
 * Guesses wrong passwords as fast as the server allows (the test clock jumps over every wait it
 * names in Retry-After) until the server locks. Returns how many guesses were checked.
 */
async function guessUntilLocked(url: string, email: () => string, forwardedFor: () => string | undefined, advance: (ms: number) => void, max = 200): Promise<number> {
  let checked = 0;
  for (let tries = 0; tries < max; tries++) {
    const reply = await attempt(url, email(), 'wrong password', forwardedFor());
    if (reply.status === 401) {
      checked += 1;
      continue;
    }
    expect(reply.status).toBe(429);
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    if (codeOf(reply) === 'locked') return checked;
    advance(Number(reply.headers.get('retry-after')) * 1000);
  }
  return checked;
}

describe('login throttling behind a reverse proxy', () => {
  // The default rules with smaller numbers: fewer password hashes to wait for on a busy machine.
  const T = { ...DEFAULT_THROTTLE, freeFailures: 2, lockAfter: 4, addressFactor: 3, accountAddresses: 4 };
  let clock = Date.now();
  let server: TestServer;
  const advance = (ms: number): void => {
    clock += ms;
  };

  beforeAll(async () => {
    // The test client is the proxy: it connects from 127.0.0.1 and says whom it forwards.
    server = await startTestServer({ cases: 0, server: { now: () => new Date(clock), throttle: T, trustedProxies: ['127.0.0.1'] } });
  });
  afterAll(() => server.close());

  it('does not let failures through the proxy lock a colleague out', async () => {
    const victim = server.specialistEmails[0] ?? '';
    const checked = await guessUntilLocked(server.url, () => victim, () => ATTACKER, advance);
    expect(checked).toBe(T.lockAfter);
    const colleague = await attempt(server.url, victim, server.password, COLLEAGUE);
    attack(colleague.status !== 200, `the colleague was refused: ${colleague.status} ${colleague.text}`);
    // The attacker's own address stays locked, for the right password too.
    expect(codeOf(await attempt(server.url, victim, server.password, ATTACKER))).toBe('locked');
  }, KNOBS.testTimeoutMs);

  it('believes only the address the trusted proxy added, not one the client wrote in front of it', async () => {
    const victim = server.specialistEmails[1] ?? '';
    // The attacker sends "X-Forwarded-For: <colleague>"; the proxy appends the address it saw.
    const checked = await guessUntilLocked(server.url, () => victim, () => `${COLLEAGUE}, ${ATTACKER}`, advance);
    expect(checked).toBe(T.lockAfter);
    const colleague = await attempt(server.url, victim, server.password, COLLEAGUE);
    attack(colleague.status !== 200, `the forged address locked the colleague out: ${colleague.status}`);
    const addresses = server.store.db.prepare<[string], string>(`SELECT address FROM login_attempts WHERE scope = 'pair' AND account = ?`).pluck().all(victim);
    expect(addresses).toEqual([ATTACKER]);
  }, KNOBS.testTimeoutMs);

  it('does not lock an account from a few addresses, but stops guesses spread over many, and only for a short time', async () => {
    const victim = server.specialistEmails[2] ?? '';
    const { accountAddresses, accountLockMs } = T;
    const address = (i: number): string => `192.0.2.${10 + i}`;
    // One address short of the account-wide lock, each failing twice (more failures in all than lock a pair).
    for (let i = 0; i < accountAddresses - 1; i++) {
      for (let f = 0; f < 2; f++) expect((await attempt(server.url, victim, 'wrong password', address(i))).status).toBe(401);
    }
    const owner = await attempt(server.url, victim, server.password, COLLEAGUE);
    attack(owner.status !== 200, `a few addresses locked the owner out: ${owner.status}`);
    // One more address: now a guess from yet another address is not even checked…
    expect((await attempt(server.url, victim, 'wrong password', address(accountAddresses))).status).toBe(401);
    const spread = await attempt(server.url, victim, 'wrong password', address(accountAddresses + 1));
    attack(spread.status !== 429, `a guess spread over ${accountAddresses + 1} addresses was checked: ${spread.status}`);
    expect(codeOf(spread)).toBe('locked');
    expect(Number(spread.headers.get('retry-after'))).toBeLessThanOrEqual(accountLockMs / 1000);
    // …and the owner waits a minute at most.
    expect((await attempt(server.url, victim, server.password, COLLEAGUE)).status).toBe(429);
    advance(accountLockMs);
    expect((await attempt(server.url, victim, server.password, COLLEAGUE)).status).toBe(200);
  }, KNOBS.testTimeoutMs);

  it('does not let a guess a minute from rotating addresses keep the owner locked out', async () => {
    const victim = server.specialistEmails[4] ?? '';
    const { accountAddresses, accountLockMs, accountWindowMs } = T;
    const address = (i: number): string => `192.0.2.${100 + i}`;
    for (let i = 0; i < accountAddresses; i++) expect((await attempt(server.url, victim, 'wrong password', address(i))).status).toBe(401);
    expect(codeOf(await attempt(server.url, victim, server.password, COLLEAGUE))).toBe('locked');
    advance(accountLockMs);
    // Once the lock is over, the attacker fails once a minute from another address (the old ones
    // and new ones in turn); each time the owner tries right after.
    let lockedOut = 0;
    for (let minute = 0; minute < accountAddresses + 2; minute++) {
      expect((await attempt(server.url, victim, 'wrong password', address(minute % 2 ? minute : accountAddresses + minute))).status).toBe(401);
      const owner = await attempt(server.url, victim, server.password, COLLEAGUE);
      if (owner.status !== 200) lockedOut += 1;
      advance(60_000);
    }
    attack(lockedOut > 0, `the owner was locked out ${lockedOut} times in ${accountAddresses + 2} minutes after the lock`);
    expect(accountAddresses + 2 + 1).toBeLessThan(accountWindowMs / 60_000);
  }, KNOBS.testTimeoutMs);

  it('does not let a flood of logins from one address hold up everyone else', async () => {
    const flooder = '203.0.113.200';
    const flood = Array.from({ length: 40 }, (_, i) => attempt(server.url, `flood-${i}@softone.se`, 'wrong password', flooder));
    const colleague = attempt(server.url, server.specialistEmails[5] ?? '', server.password, COLLEAGUE);
    const answers = await Promise.all(flood);
    const checked = answers.filter((a) => a.status === 401).length;
    const refused = answers.filter((a) => a.status === 429);
    expect(checked + refused.length).toBe(answers.length);
    for (const reply of refused) {
      expect(codeOf(reply)).toBe('too_many_requests');
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // A few at a time are checked (the requests may arrive spread out); never the whole flood queued.
    expect(checked).toBeGreaterThanOrEqual(LOGINS_IN_FLIGHT_PER_ADDRESS);
    attack(checked > 10, `${checked} of 40 simultaneous logins from one address were queued for hashing`);
    expect((await colleague).status).toBe(200);
    expect(server.store.db.prepare<[string], number>('SELECT count(*) FROM audit_log WHERE action = ?').pluck().get('login_throttled')).toBeGreaterThanOrEqual(refused.length);
  }, KNOBS.testTimeoutMs);

  it('does not let the attacker reset the address by logging into an account of their own', async () => {
    const own = server.specialistEmails[3] ?? '';
    const address = '203.0.113.99';
    let checked = 0;
    let sinceOwnLogin = 0;
    let locked = false;
    for (let tries = 0; tries < 400 && checked < 95 && !locked; tries++) {
      // After every four guesses, the attacker logs into their own account from the same address.
      const ownLogin = sinceOwnLogin === 4;
      const reply = ownLogin
        ? await attempt(server.url, own, server.password, address)
        : await attempt(server.url, `guess-${checked}@softone.se`, 'wrong password', address);
      if (reply.status === 429) {
        if (codeOf(reply) === 'locked') locked = true;
        else advance(Number(reply.headers.get('retry-after')) * 1000);
        continue;
      }
      if (ownLogin) {
        expect(reply.status).toBe(200);
        sinceOwnLogin = 0;
        continue;
      }
      expect(reply.status).toBe(401);
      checked += 1;
      sinceOwnLogin += 1;
    }
    attack(!locked || checked >= 95, `${checked} guesses from one address were checked (locked: ${locked})`);
    expect(checked).toBe(T.lockAfter * T.addressFactor);
  }, KNOBS.testTimeoutMs);
});

describe('login throttling without a trusted proxy', () => {
  let clock = Date.now();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ cases: 0, server: { now: () => new Date(clock) } });
  });
  afterAll(() => server.close());

  it('ignores X-Forwarded-For from a client: a new forged address per guess buys nothing', async () => {
    const victim = server.specialistEmails[0] ?? '';
    let n = 0;
    const checked = await guessUntilLocked(
      server.url,
      () => victim,
      () => `10.${(n >> 8) & 255}.${n++ & 255}.1`,
      (ms) => void (clock += ms),
    );
    attack(checked > DEFAULT_THROTTLE.lockAfter, `${checked} guesses were checked with forged addresses`);
    const addresses = server.store.db.prepare<[], string>(`SELECT DISTINCT address FROM login_attempts WHERE scope != 'account'`).pluck().all();
    expect(addresses).toEqual(['127.0.0.1']);
  }, KNOBS.testTimeoutMs);
});

describe('login throttling across a restart', () => {
  let clock = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-attack-restart-'));
  let running: RunningServer | null = null;
  afterAll(async () => {
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a lock when the server restarts', async () => {
    const store = openStore(dataFile(dataDir));
    const seed = await seedDemoData(store, { cases: 0 });
    running = await startServer({ store, port: 0, now: () => new Date(clock) });
    const victim = seed.specialistEmails[0] ?? '';
    const checked = await guessUntilLocked(running.url, () => victim, () => undefined, (ms) => void (clock += ms));
    expect(checked).toBe(DEFAULT_THROTTLE.lockAfter);
    await running.close();
    running = await startServer({ dataDir, port: 0, now: () => new Date(clock) });
    const afterRestart = await attempt(running.url, victim, DEMO_PASSWORD);
    attack(afterRestart.status !== 429, `the restart forgot the lock: ${afterRestart.status}`);
    expect(codeOf(afterRestart)).toBe('locked');
    expect(Number(afterRestart.headers.get('retry-after'))).toBeGreaterThan(0);
    clock += DEFAULT_THROTTLE.lockMs;
    expect((await attempt(running.url, victim, DEMO_PASSWORD)).status).toBe(200);
  }, KNOBS.testTimeoutMs);
});

describe('hardening', () => {
  let server: TestServer;
  let contact: Contact;
  const limits = { ctiPerMinute: 600, leasesPerMinute: 5, outstandingNumbers: 60 };

  beforeAll(async () => {
    server = await startTestServer({ cases: 20, server: { limits, live: { socketsPerSession: 3 }, ctiOptions: '1=hantverk;2=handel' } });
    const id = server.store.db.prepare<[], string>('SELECT id FROM contacts WHERE phone IS NOT NULL LIMIT 1').pluck().get() ?? '';
    contact = server.store.contacts.get(id) as Contact;
  });
  afterAll(() => server.close());

  it('refuses a login another site makes a browser send as a form or as text', async () => {
    const email = server.leadEmail;
    const forms: Array<[string, string]> = [
      ['application/x-www-form-urlencoded', new URLSearchParams({ email, password: server.password }).toString()],
      ['text/plain', JSON.stringify({ email, password: server.password })],
      ['text/plain;charset=UTF-8', JSON.stringify({ email, password: server.password })],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="email"\r\n\r\n${email}\r\n--x--\r\n`],
    ];
    for (const [contentType, body] of forms) {
      const reply = await api(server).raw('POST', ROUTES.login, body, contentType);
      expect(reply.status, contentType).toBe(415);
      attack(reply.status === 200, `a ${contentType} login was accepted`);
    }
    expect((await attempt(server.url, email, server.password)).status).toBe(200);
  }, KNOBS.testTimeoutMs);

  it('announces and audits a replayed phone-switch event once', async () => {
    const listener = await connectLive(server.url, await server.login(server.leadEmail));
    const audited = (): number =>
      server.store.db.prepare<[string], number>(`SELECT count(*) FROM audit_log WHERE contact_id = ? AND action = 'call'`).pluck().get(contact.id) ?? 0;
    const before = audited();
    const callId = `replay-${randomUUID()}`;
    const event = { event: 'newCall', from: contact.phone, to: '+46812345001', direction: 'in', callId, user: [] };
    const cti = api(server);
    for (let i = 0; i < 500; i++) expect((await cti.post(ROUTES.cti(server.ctiToken), event)).status).toBe(200);
    for (const next of ['answer', 'hangup']) {
      for (let i = 0; i < 20; i++) expect((await cti.post(ROUTES.cti(server.ctiToken), { ...event, event: next, user: 'Erik' })).status).toBe(200);
    }
    // A call after the replays: once it is in, everything before it is too (a socket keeps order).
    const marker = `marker-${randomUUID()}`;
    await cti.post(ROUTES.cti(server.ctiToken), { ...event, callId: marker });
    await listener.until(() => listener.of('call').some((m) => m.call.callId === marker));
    const banners = listener.of('call').filter((m) => m.call.callId === callId);
    attack(banners.length !== 3, `${banners.length} banners for one call (new, answered, ended)`);
    expect(banners.map((m) => m.call.state)).toEqual(['ringing', 'answered', 'ended']);
    // One audit row per announcement to the one listening desk, plus the marker's.
    attack(audited() - before !== 4, `${audited() - before} audit rows for 4 announcements`);
    listener.close();
  }, KNOBS.testTimeoutMs);

  it('limits the phone-switch webhook per address', async () => {
    const limited = await startTestServer({ cases: 0, server: { limits: { ctiPerMinute: 20 } } });
    try {
      const answers: number[] = [];
      for (let i = 0; i < 25; i++) {
        const token = i % 2 === 0 ? limited.ctiToken : 'wrong-token-wrong-token';
        const reply = await api(limited).post(ROUTES.cti(token), { event: 'newCall', from: '+46701234567', to: '', direction: 'in', callId: `flood-${i}` });
        answers.push(reply.status);
        if (reply.status === 429) expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      const served = answers.filter((s) => s !== 429).length;
      attack(served > 20, `${served} webhook requests in a minute were served`);
      expect(answers.slice(20)).toEqual([429, 429, 429, 429, 429]);
    } finally {
      await limited.close();
    }
  }, KNOBS.testTimeoutMs);

  it('limits case-number leases per specialist and the unused numbers a desk may hold', async () => {
    const specialist = api(server, await server.login(server.specialistEmails[0]));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await specialist.post(ROUTES.numbers, { clientId: randomUUID(), size: 1 })).status);
    attack(statuses.filter((s) => s === 200).length > limits.leasesPerMinute, `leases: ${statuses.join(', ')}`);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    // Another specialist, one desk: numbers pile up to the cap and no further.
    const hoarder = api(server, await server.login(server.specialistEmails[1]));
    const clientId = randomUUID();
    let held = 0;
    for (let i = 0; i < 5; i++) {
      const reply = await hoarder.post(ROUTES.numbers, { clientId, size: 20 });
      if (reply.status === 200) held += 20;
      else expect(reply.body.error).toMatchObject({ code: 'too_many_numbers', field: 'size' });
    }
    attack(held > limits.outstandingNumbers, `${held} unused numbers held by one desk`);
    expect(held).toBe(limits.outstandingNumbers);
    expect(server.store.numbers.outstanding(clientId)).toBe(limits.outstandingNumbers);
  }, KNOBS.testTimeoutMs);

  it('caps the live sockets of one session', async () => {
    const token = await server.login(server.specialistEmails[2]);
    const open = [await connectLive(server.url, token), await connectLive(server.url, token), await connectLive(server.url, token)];
    const extra = new LiveClient(server.url);
    await extra.opened();
    extra.send({ type: 'auth', token });
    await extra.until(() => extra.closed !== null || extra.of('hello').length > 0);
    attack(extra.closed === null, 'a fourth socket of one session was accepted');
    expect(extra.closed).toMatchObject({ code: CLOSE_TOO_MANY_SOCKETS });
    expect(extra.closed?.reason).toMatch(/live sockets/);
    expect(open.every((s) => s.closed === null)).toBe(true);
    // Another session of the same specialist has its own sockets.
    const other = await connectLive(server.url, await server.login(server.specialistEmails[2]));
    expect(other.closed).toBeNull();
    for (const s of [...open, other]) s.close();
  }, KNOBS.testTimeoutMs);

  it('sends headers that keep the desk and the API out of other sites frames', async () => {
    for (const path of [ROUTES.health, ROUTES.me, '/nowhere']) {
      const reply = await request(server.url, 'GET', path);
      const framable = reply.headers.get('x-frame-options') !== 'DENY' || !/frame-ancestors 'none'/.test(reply.headers.get('content-security-policy') ?? '');
      attack(framable, `${path} may be framed`);
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    }
  }, KNOBS.testTimeoutMs);
});

describe('data files at rest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'desk-attack-modes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const mode = (path: string): number => statSync(path).mode & 0o777;

  it('keeps the data folder, the database, its WAL and backups from other users of the machine, also when an older version left them open', async () => {
    const dataDir = join(dir, 'data');
    // As an older server left it: a 0755 folder holding a 0644 database.
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const seeded = openStore(dataFile(dataDir));
    await seedDemoData(seeded, { cases: 5 });
    seeded.close();
    chmodSync(dataFile(dataDir), 0o644);
    const running = await startServer({ dataDir, port: 0 });
    try {
      await api(running).post(ROUTES.login, { email: 'nobody@softone.se', password: 'wrong password' });
      const backup = await backupDataDir(dataDir);
      const files = [dataFile(dataDir), `${dataFile(dataDir)}-wal`, `${dataFile(dataDir)}-shm`, backup.file];
      const open = [
        ...[dataDir, join(dataDir, 'backups')].filter((d) => mode(d) !== 0o700).map((d) => `${d} ${mode(d).toString(8)}`),
        ...files.filter((f) => mode(f) !== 0o600).map((f) => `${f} ${mode(f).toString(8)}`),
      ];
      attack(open.length > 0, `readable by others: ${open.join(', ')}`);
    } finally {
      await running.close();
    }
  }, KNOBS.testTimeoutMs);
});

describe('demo mode', () => {
  it('refuses to serve its published passwords on a network address', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'desk.example.com']) {
      let started = true;
      try {
        loadConfig({ DESK_DEMO: '1', DESK_HOST: host });
      } catch (error) {
        started = false;
        expect(String(error)).toMatch(/DESK_HOST/);
      }
      attack(started, `demo mode accepted DESK_HOST=${host}`);
    }
    for (const host of ['127.0.0.1', '::1', 'localhost']) expect(loadConfig({ DESK_DEMO: '1', DESK_HOST: host }).demo).toBe(true);
  }, KNOBS.testTimeoutMs);
});
