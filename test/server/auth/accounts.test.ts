/**
 * Accounts on a real server: hashing cost and rehash on login, the first admin's forced change,
 * two-factor enrolment and login, the specialist's own sessions, and the audit rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scrypt, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountResponseSchema, LoginResponseSchema, ROUTES, SessionsResponseSchema, TwoFactorSetupResponseSchema } from '../../../shared/api';
import { ACCOUNT_AUDIT, ensureFirstLead } from '../../../server/auth/auth-service';
import { hashPassword, needsRehash, verifyPassword } from '../../../server/auth/passwords';
import { isStrongPassword } from '../../../server/auth/password-rules';
import { startServer } from '../../../server/http/app';
import { openStore, dataFile } from '../../../server/store/store';
import { startTestServer, type TestServer } from '../../support/server';
import { api, request } from '../../support/http';
import { codeAt, enrolTwoFactor, loginWithCode, nextCode } from '../../support/two-factor';

/** A hash as the server made them before (N=2^15), for the rehash. */
function oldHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) =>
    scrypt(password, salt, 64, { N: 2 ** 15, r: 8, p: 1, maxmem: 128 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(['scrypt', 2 ** 15, 8, 1, salt.toString('base64'), key.toString('base64')].join('$')),
    ),
  );
}

describe('password hashing', () => {
  it('hashes with scrypt N=2^17 and verifies hashes of older parameters', async () => {
    const hash = await hashPassword('Lingonsylt-på-Söndag');
    expect(hash.startsWith(`scrypt$${2 ** 17}$8$1$`)).toBe(true);
    expect(needsRehash(hash)).toBe(false);
    const old = await oldHash('Lingonsylt-på-Söndag');
    expect(needsRehash(old)).toBe(true);
    expect(await verifyPassword('Lingonsylt-på-Söndag', old)).toBe(true);
    expect(await verifyPassword('Lingonsylt-på-söndag', old)).toBe(false);
    // A tampered row (absurd parameters) verifies as false, never as an error.
    expect(await verifyPassword('x', `scrypt$${2 ** 30}$8$1$AAAA$AAAA`)).toBe(false);
  });

  it('refuses common passwords and ones built from the account’s own name', () => {
    expect(isStrongPassword('password1234')).toBe(false);
    expect(isStrongPassword('Summer2024!!')).toBe(true);
    expect(isStrongPassword('Kissa-istuu-puussa-7')).toBe(true);
    expect(isStrongPassword('lindqvistanna', ['anna.lindqvist@softone.se', 'Anna Lindqvist'])).toBe(false);
  });
});

describe('accounts on a running server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ cases: 0 });
  });
  afterAll(() => server.close());

  it('stores a new hash at the login that verifies an older one, and says how long a login takes', async () => {
    const email = server.specialistEmails[0] ?? '';
    const id = server.store.specialists.findForLogin(email)?.specialist.id ?? '';
    server.store.specialists.setPassword(id, await oldHash(server.password), { mustChange: false, changedAt: null });
    await server.login(email);
    const rehashed = server.store.specialists.passwordHashOf(id) ?? '';
    expect(needsRehash(rehashed)).toBe(false);
    expect(await verifyPassword(server.password, rehashed)).toBe(true);
    const started = performance.now();
    await server.login(email);
    // Printed for the record (the figure in the report); not asserted: the machine is shared.
    console.info(`one login (scrypt N=2^17) took ${Math.round(performance.now() - started)} ms`);
  });

  it('enrols two-factor with a QR code, then asks for a code at login, and lists and revokes sessions', async () => {
    const email = server.specialistEmails[1] ?? '';
    const token = await server.login(email);
    const http = api(server, token);
    const setup = TwoFactorSetupResponseSchema.parse((await http.post(ROUTES.twoFactorSetup)).body);
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\/Desk:.*\?.*secret=/);
    expect(setup.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    // A wrong code does not enrol, nor does a right code without the password or with a wrong one.
    expect((await http.post(ROUTES.twoFactorConfirm, { password: server.password, code: '000000' })).body.error).toMatchObject({ code: 'invalid_code', field: 'code' });
    expect((await http.post(ROUTES.twoFactorConfirm, { code: await codeAt(setup.secret) })).body.error).toMatchObject({ field: 'password' });
    const wrong = await http.post(ROUTES.twoFactorConfirm, { password: 'not the password', code: await codeAt(setup.secret) });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({ code: 'wrong_password', field: 'password' });
    const confirm = await http.post(ROUTES.twoFactorConfirm, { password: server.password, code: await nextCode(setup.secret) });
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    const account = AccountResponseSchema.parse((await http.get(ROUTES.account)).body);
    expect(account).toMatchObject({ recoveryCodesLeft: 10, account: { twoFactorEnabled: true, twoFactorRequired: false } });
    const first = await request<{ twoFactor: string; challenge: string }>(server.url, 'POST', ROUTES.login, { json: { email, password: server.password } });
    expect(first.body.twoFactor).toBe('required');
    const second = await request(server.url, 'POST', ROUTES.loginCode, {
      json: { challenge: first.body.challenge, code: await nextCode(setup.secret) },
      headers: { 'user-agent': 'Desk/1.0 (Electron)' },
    });
    const session = LoginResponseSchema.parse(second.body);
    const listed = SessionsResponseSchema.parse((await api(server, session.token).get(ROUTES.sessions)).body).sessions;
    expect(listed).toHaveLength(2);
    const current = listed.find((s) => s.current);
    expect(current).toMatchObject({ address: '127.0.0.1', userAgent: 'Desk/1.0 (Electron)' });
    const older = listed.find((s) => !s.current);
    expect((await api(server, session.token).post(ROUTES.sessionRevoke(older?.id ?? ''))).status).toBe(204);
    expect((await http.get(ROUTES.me)).status).toBe(401);
    // Turning it off needs the password and a code; then the password alone logs in again.
    const off = await api(server, session.token).post(ROUTES.twoFactorDisable, { password: server.password, code: confirm.body.recoveryCodes[3] });
    expect(off.status).toBe(204);
    expect((await request<{ token?: string }>(server.url, 'POST', ROUTES.login, { json: { email, password: server.password } })).body.token).toBeTruthy();
    const actions = server.store.audit.query({ specialistId: session.specialist.id, limit: 50 }).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([ACCOUNT_AUDIT.login, ACCOUNT_AUDIT.twoFactorEnrolled, ACCOUNT_AUDIT.sessionRevoked, ACCOUNT_AUDIT.recoveryCodeUsed, ACCOUNT_AUDIT.twoFactorDisabled]),
    );
  });

  it('audits failed logins, for a known account and for an unknown e-mail', async () => {
    const email = server.specialistEmails[2] ?? '';
    expect((await request(server.url, 'POST', ROUTES.login, { json: { email, password: 'wrong password!' } })).status).toBe(401);
    expect((await request(server.url, 'POST', ROUTES.login, { json: { email: 'nobody@softone.se', password: 'wrong password!' } })).status).toBe(401);
    const failed = server.store.db
      .prepare<[string], { specialist_id: string | null }>('SELECT specialist_id FROM audit_log WHERE action = ?')
      .all(ACCOUNT_AUDIT.loginFailed);
    const id = server.store.specialists.findForLogin(email)?.specialist.id;
    expect(failed.map((r) => r.specialist_id)).toEqual(expect.arrayContaining([id, null]));
  });

  it('enrols an existing lead through the support helper', async () => {
    const token = await server.login();
    const { secret, recoveryCodes } = await enrolTwoFactor(server.url, token, server.password);
    expect(recoveryCodes).toHaveLength(10);
    expect((await api(server, token).get(ROUTES.audit)).status).toBe(200);
    expect(await loginWithCode(server.url, server.leadEmail, server.password, secret)).toMatch(/.{43}/);
  });
});

describe('the first lead', () => {
  it('must change a generated password at the first login', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-first-'));
    const store = openStore(dataFile(dir));
    const lead = await ensureFirstLead(store, { email: 'admin@desk.local', password: 'generated-Secret-1234', mustChangePassword: true }, new Date());
    const running = await startServer({ store, port: 0 });
    try {
      const login = LoginResponseSchema.parse((await request(running.url, 'POST', ROUTES.login, { json: { email: lead?.email, password: 'generated-Secret-1234' } })).body);
      expect(login.account).toEqual({ mustChangePassword: true, twoFactorEnabled: false, twoFactorRequired: true });
      // The forced change needs no current password; a weak new one is still refused.
      const weak = await api(running, login.token).post(ROUTES.password, { newPassword: 'administrator' });
      expect(weak.body.error.field).toBe('newPassword');
      expect((await api(running, login.token).post(ROUTES.password, { newPassword: 'Hallinnoija-vaihtaa-tämän' })).status).toBe(200);
      expect((await api(running, login.token).get(ROUTES.me)).body.account.mustChangePassword).toBe(false);
    } finally {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
