import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/api';
import { DEFAULT_THROTTLE } from '../../../server/auth/login-throttle';
import { startTestServer, type TestServer } from '../../support/server';
import { api } from '../../support/http';
import { connectLive } from '../../support/live';
import { leadWithTwoFactor } from '../../support/two-factor';

describe('auth', () => {
  let server: TestServer;
  // The server's clock, moved by the tests: the throttle's waits are walked through in no time,
  // and a busy machine cannot make an attempt late.
  let clock = Date.now();

  beforeAll(async () => {
    server = await startTestServer({ cases: 20, server: { now: () => new Date(clock) } });
    // Enrolled while the server's clock still reads the time an authenticator app does.
    await leadWithTwoFactor(server);
  });
  afterAll(() => server.close());

  it('logs in with the right password and returns a session for the account', async () => {
    const reply = await api(server).post(ROUTES.login, { email: server.specialistEmails[0], password: server.password });
    expect(reply.status).toBe(200);
    expect(reply.body.specialist.email).toBe(server.specialistEmails[0]);
    expect(reply.body.specialist.role).toBe('specialist');
    // 256 random bits, base64url.
    expect(reply.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(reply.body.expiresAt)).toBeGreaterThan(Date.now() + 11 * 3_600_000);
    const me = await api(server, reply.body.token).get(ROUTES.me);
    expect(me.status).toBe(200);
    expect(me.body.specialist.email).toBe(server.specialistEmails[0]);
  });

  it('stores passwords only as scrypt hashes and tokens only as SHA-256', async () => {
    const token = await server.login();
    const hashes = server.store.db.prepare('SELECT password_hash FROM specialists').pluck().all() as string[];
    expect(hashes.every((h) => h.startsWith('scrypt$') && !h.includes(server.password))).toBe(true);
    const stored = server.store.db.prepare('SELECT token_hash FROM sessions').pluck().all() as string[];
    expect(stored).not.toContain(token);
    expect(stored.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
  });

  it('refuses a wrong password and an unknown e-mail alike', async () => {
    const wrong = await api(server).post(ROUTES.login, { email: server.specialistEmails[1], password: 'not-the-password' });
    const unknown = await api(server).post(ROUTES.login, { email: 'nobody@example.com', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('takes the login as JSON only (any charset), and refuses every other body with 415 before reading it', async () => {
    const body = JSON.stringify({ email: server.specialistEmails[7], password: server.password });
    expect((await api(server).raw('POST', ROUTES.login, body, 'application/json; charset=utf-8')).status).toBe(200);
    expect((await api(server).raw('POST', ROUTES.login, body, 'Application/JSON')).status).toBe(200);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json-patch+json', 'application/jsonx']) {
      const refused = await api(server).raw('POST', ROUTES.login, body, type);
      expect(refused.status, type).toBe(415);
      expect(refused.body.error.code).toBe('unsupported_media_type');
    }
    const untyped = await fetch(`${server.url}${ROUTES.login}`, { method: 'POST', body: new Blob([body]) });
    expect(untyped.status).toBe(415);
  });

  it('names the bad field of a malformed login', async () => {
    const reply = await api(server).post(ROUTES.login, { email: 'not-an-email', password: 'x' });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: 'invalid', field: 'email' });
    const missing = await api(server).post(ROUTES.login, { email: server.leadEmail });
    expect(missing.body.error.field).toBe('password');
  });

  it('slows repeated failures down and then locks the e-mail, even for the right password', async () => {
    const email = server.specialistEmails[2] ?? '';
    const attempt = (password: string) => api(server).post(ROUTES.login, { email, password });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-password')).status).toBe(401);
    // The sixth attempt comes too soon after five failures.
    const slowed = await attempt('wrong-password');
    expect(slowed.status).toBe(429);
    expect(slowed.body.error.code).toBe('too_many_attempts');
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    let last = slowed;
    for (let failures = 5; failures < 10; ) {
      clock += DEFAULT_THROTTLE.baseDelayMs * 2 ** (failures - 5);
      last = await attempt('wrong-password');
      if (last.status === 401) failures++;
      if (last.status === 429 && last.body.error.code === 'locked') break;
    }
    const locked = await attempt(server.password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('locked');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    // Other accounts are not affected.
    expect((await api(server).post(ROUTES.login, { email: server.specialistEmails[3], password: server.password })).status).toBe(200);
  });

  it('ends the session on logout', async () => {
    const token = await server.login();
    const http = api(server, token);
    expect((await http.post(ROUTES.logout)).status).toBe(204);
    const after = await http.get(ROUTES.me);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
  });

  it('answers 401 without a token or with a made-up one', async () => {
    for (const path of [ROUTES.me, ROUTES.specialists, ROUTES.calls, `${ROUTES.changes}?after=0`, ROUTES.caseByNumber(100001)]) {
      expect((await api(server).get(path)).status).toBe(401);
      expect((await api(server, 'made-up-token').get(path)).status).toBe(401);
    }
    expect((await api(server).post(ROUTES.push, { mutations: [] })).status).toBe(401);
  });

  it('keeps lead routes from specialists (403) and opens them to leads', async () => {
    const specialist = api(server, await server.login(server.specialistEmails[4]));
    const lead = api(server, (await leadWithTwoFactor(server)).token);
    expect((await specialist.get(ROUTES.audit)).status).toBe(403);
    expect((await specialist.post(ROUTES.specialists, {})).status).toBe(403);
    expect((await specialist.patch(ROUTES.specialist('demo-specialist-02'), { name: 'X' })).status).toBe(403);
    expect((await specialist.post(ROUTES.gdprAnonymise('x'))).status).toBe(403);
    expect((await specialist.get(ROUTES.gdprAccessLog('x'))).status).toBe(403);
    expect((await lead.get(ROUTES.audit)).status).toBe(200);
    // A lead whose session passed no second factor is sent to enrol.
    const unenrolled = await api(server, await server.login()).get(ROUTES.audit);
    expect([unenrolled.status, unenrolled.body.error.code]).toEqual([403, 'two_factor_required']);
  });

  it('expires sessions', async () => {
    // Its own clock: the session is valid until the test moves it, however slow the machine, and
    // the socket's end, timed by the server from that clock, comes 1.5 s after it is authenticated.
    let now = Date.now();
    const shortLived = await startTestServer({ cases: 0, server: { sessionHours: 1.5 / 3600, now: () => new Date(now) } });
    try {
      const token = await shortLived.login();
      expect((await api(shortLived, token).get(ROUTES.me)).status).toBe(200);
      const socket = await connectLive(shortLived.url, token);
      await socket.until(() => socket.closed !== null);
      // The live socket goes when the session ends, and so does HTTP access.
      expect(socket.closed?.code).toBe(4401);
      now += 1_500;
      expect((await api(shortLived, token).get(ROUTES.me)).status).toBe(401);
    } finally {
      await shortLived.close();
    }
  });

  it('applies an account change to sessions already in use at once', async () => {
    const lead = api(server, (await leadWithTwoFactor(server)).token);
    const token = await server.login(server.specialistEmails[6]);
    const me = (await api(server, token).get(ROUTES.me)).body.specialist as { id: string; teams: number[] };
    const auditCode = async () => (await api(server, token).get(ROUTES.audit)).body.error.code as string;
    expect(await auditCode()).toBe('forbidden');
    expect((await lead.patch(ROUTES.specialist(me.id), { role: 'lead', teams: [1, 2] })).status).toBe(200);
    expect((await api(server, token).get(ROUTES.me)).body.specialist).toMatchObject({ role: 'lead', teams: [1, 2] });
    // A lead now: refused only for want of a second factor.
    expect(await auditCode()).toBe('two_factor_required');
    expect((await lead.patch(ROUTES.specialist(me.id), { role: 'specialist', teams: me.teams })).status).toBe(200);
    expect(await auditCode()).toBe('forbidden');
  });

  it('refuses a disabled account at once', async () => {
    const lead = api(server, (await leadWithTwoFactor(server)).token);
    const email = server.specialistEmails[5] ?? '';
    const token = await server.login(email);
    const id = (await api(server, token).get(ROUTES.me)).body.specialist.id as string;
    expect((await lead.patch(ROUTES.specialist(id), { active: false })).status).toBe(200);
    expect((await api(server, token).get(ROUTES.me)).status).toBe(401);
    expect((await api(server).post(ROUTES.login, { email, password: server.password })).status).toBe(401);
  });
});
