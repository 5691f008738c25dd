/**
 * Attacks on accounts, each reproduced against a real server and shown not to get through:
 * weak and common passwords, a session that outlives a password change, a replayed TOTP code,
 * a recovery code used twice, guessing the second step, a lead route without two-factor, a
 * reset code used twice or an old password after a reset, a restricted session reaching data,
 * someone else's session revoked, an idle session, a stolen token enrolling the thief's
 * authenticator, and a lead without two-factor using a lead's powers through the push.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type MutationResult } from '../../shared/api';
import type { Specialist } from '../../shared/contract';
import { ACCOUNT_AUDIT } from '../../server/auth/auth-service';
import { hashPassword } from '../../server/auth/passwords';
import { Desk } from '../support/cases';
import { startTestServer, type TestServer } from '../support/server';
import { api, request } from '../support/http';
import { connectLive } from '../support/live';
import { addLeadWithTwoFactor, codeAt, codeOfStep, lastCodeStep, nextCode, type EnrolledLead } from '../support/two-factor';
import { reliabilityTally } from './support/summary';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

/** One attack: `succeeded` says whether it achieved what it was after. */
function attack(succeeded: boolean, what: string): void {
  tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
  expect(succeeded, what).toBe(false);
}

const STRONG = 'Lingonsylt-på-Söndag-1987';
const STRONGER = 'Pöllö huhuilee yöllä 42 kertaa';

describe('attacks on accounts', () => {
  let server: TestServer;
  let lead: EnrolledLead;
  let heldAt: number | null = null;

  beforeAll(async () => {
    // The server's clock can be held still: a code's time step must not change under a test.
    server = await startTestServer({ cases: 10, server: { now: () => new Date(heldAt ?? Date.now()) } });
    lead = await addLeadWithTwoFactor(server);
  });
  afterAll(() => server.close());
  afterEach(() => {
    heldAt = null;
  });

  const loginStatus = async (email: string, password: string) =>
    request<{ token?: string; challenge?: string; error?: { code: string } }>(server.url, 'POST', ROUTES.login, { json: { email, password } });
  const auditActions = (specialistId: string): string[] =>
    server.store.db.prepare<[string], string>('SELECT action FROM audit_log WHERE specialist_id = ? ORDER BY id').pluck().all(specialistId);

  it('refuses weak and common passwords, naming the field, and keeps the old one', async () => {
    const email = server.specialistEmails[0] ?? '';
    const token = await server.login(email);
    for (const weak of ['password1234', 'qwertyuiop123', '123456789012', 'passwordpassword', 'aaaaaaaaaaaa']) {
      const answer = await api(server, token).post(ROUTES.password, { currentPassword: server.password, newPassword: weak });
      expect(answer.body.error).toMatchObject({ code: 'weak_password', field: 'newPassword' });
      attack(answer.status < 300, `the common password ${weak} was accepted`);
    }
    const short = await api(server, token).post(ROUTES.password, { currentPassword: server.password, newPassword: 'Kort-1' });
    expect(short.body.error).toMatchObject({ code: 'invalid', field: 'newPassword' });
    attack(short.status < 300, 'a password under 12 characters was accepted');
    // A lead creating an account is held to the same rule.
    const created = await api(server, lead.token).post(ROUTES.specialists, {
      email: 'heikko@softone.se', name: 'Heikko Salasana', role: 'specialist', teams: [1], office: 'FI', language: 'fi', password: 'salasana1234',
    });
    expect(created.body.error).toMatchObject({ code: 'weak_password', field: 'password' });
    attack(created.status < 300, 'an account was created with a common password');
    expect((await loginStatus(email, server.password)).status).toBe(200);
  });

  it('ends every other session (and its socket) when the password changes, and refuses a wrong current password', async () => {
    const email = server.specialistEmails[1] ?? '';
    const stolen = await server.login(email);
    const socket = await connectLive(server.url, stolen);
    const mine = await server.login(email);
    const wrong = await api(server, mine).post(ROUTES.password, { currentPassword: 'not-my-password', newPassword: STRONG });
    expect(wrong.body.error).toMatchObject({ code: 'wrong_password', field: 'currentPassword' });
    attack(wrong.status < 300, 'the password was changed without the current one');
    const changed = await api(server, mine).post(ROUTES.password, { currentPassword: server.password, newPassword: STRONG });
    expect(changed.status).toBe(200);
    await socket.until(() => socket.closed !== null);
    expect(socket.closed?.code).toBe(4401);
    const after = await api(server, stolen).get(ROUTES.me);
    attack(after.status !== 401, 'a session from before the password change still works');
    expect((await api(server, mine).get(ROUTES.me)).status).toBe(200);
    attack((await loginStatus(email, server.password)).status === 200, 'the old password still logs in');
    expect((await loginStatus(email, STRONG)).status).toBe(200);
    const me = (await api(server, mine).get(ROUTES.me)).body.specialist.id as string;
    expect(auditActions(me)).toEqual(expect.arrayContaining([ACCOUNT_AUDIT.login, ACCOUNT_AUDIT.passwordChangeFailed, ACCOUNT_AUDIT.passwordChanged]));
  });

  it('refuses a TOTP code used before, a recovery code used twice, and guessing the second step', async () => {
    // The server's clock stands still for the codes' part: under load a step boundary could
    // otherwise pass between the login and the "older" code, making it a newer one.
    heldAt = Date.now();
    const current = Math.floor(heldAt / 30_000);
    // The same code twice: the second login is refused (the code's time step is used up).
    const first = await loginStatus(lead.email, lead.password);
    // A code of the current step or the next one, so the step before it is still in the window.
    let code = await nextCode(lead.secret, heldAt);
    while (lastCodeStep(lead.secret) < current) code = await nextCode(lead.secret, heldAt);
    const used = lastCodeStep(lead.secret);
    expect((await request(server.url, 'POST', ROUTES.loginCode, { json: { challenge: first.body.challenge, code } })).status).toBe(200);
    const second = await loginStatus(lead.email, lead.password);
    const replay = await request<{ error: { code: string } }>(server.url, 'POST', ROUTES.loginCode, { json: { challenge: second.body.challenge, code } });
    expect(replay.body.error.code).toBe('invalid_code');
    attack(replay.status === 200, 'a TOTP code was accepted twice');
    // An older code of the window is refused too once a later one was used.
    // An older code of the window (the step just before the one used, which the server's
    // window still holds) is refused too once a later one was used.
    const older = await codeOfStep(lead.secret, used - 1);
    const olderReplay = await request(server.url, 'POST', ROUTES.loginCode, { json: { challenge: second.body.challenge, code: older } });
    attack(olderReplay.status === 200, 'an older TOTP code was accepted after a newer one');
    heldAt = null;

    // A recovery code logs in once.
    const recovery = lead.recoveryCodes[0] ?? '';
    const third = await loginStatus(lead.email, lead.password);
    expect((await request(server.url, 'POST', ROUTES.loginCode, { json: { challenge: third.body.challenge, code: recovery.toUpperCase() } })).status).toBe(200);
    const fourth = await loginStatus(lead.email, lead.password);
    const again = await request(server.url, 'POST', ROUTES.loginCode, { json: { challenge: fourth.body.challenge, code: recovery } });
    attack(again.status === 200, 'a recovery code was accepted twice');
    expect(auditActions(lead.id)).toContain(ACCOUNT_AUDIT.recoveryCodeUsed);

    // Guessing: after five wrong codes the challenge is gone, even for the right code.
    const fifth = await loginStatus(lead.email, lead.password);
    for (let i = 0; i < 5; i++) {
      const guess = await request(server.url, 'POST', ROUTES.loginCode, { json: { challenge: fifth.body.challenge, code: String(100000 + i) } });
      expect(guess.status).toBe(401);
    }
    const right = await request(server.url, 'POST', ROUTES.loginCode, { json: { challenge: fifth.body.challenge, code: await nextCode(lead.secret) } });
    expect(right.body).toMatchObject({ error: { code: 'challenge_expired' } });
    attack(right.status === 200, 'a sixth guess of the second step was let through');
    // The challenge is not a session.
    const asToken = await api(server, fifth.body.challenge).get(ROUTES.me);
    attack(asToken.status !== 401, 'the password step alone opened a session');
  });

  it('locks the second step of an account after ten wrong codes, over any number of challenges', async () => {
    const target = await addLeadWithTwoFactor(server);
    let wrong = 0;
    while (wrong < 10) {
      const step = await loginStatus(target.email, target.password);
      for (let i = 0; i < 5 && wrong < 10; i++, wrong++) {
        await request(server.url, 'POST', ROUTES.loginCode, { json: { challenge: step.body.challenge, code: String(200000 + wrong) } });
      }
    }
    const step = await loginStatus(target.email, target.password);
    const right = await request(server.url, 'POST', ROUTES.loginCode, { json: { challenge: step.body.challenge, code: await nextCode(target.secret) } });
    expect(right.body).toMatchObject({ error: { code: 'locked' } });
    attack(right.status === 200, 'guessing went on past ten wrong codes by starting new challenges');
  });

  it('keeps lead routes from a lead without two-factor, and from an enrolled lead who skips the second step', async () => {
    const plain = api(server, await server.login());
    const audit = await plain.get(ROUTES.audit);
    expect(audit.body.error.code).toBe('two_factor_required');
    attack(audit.status === 200, 'a lead without two-factor read the audit log');
    const reset = await plain.post(ROUTES.passwordReset(lead.id));
    attack(reset.status === 200, 'a lead without two-factor issued a reset');
    // The account page tells the desk to lead them to enrolment.
    expect((await plain.get(ROUTES.account)).body.account).toMatchObject({ twoFactorRequired: true, twoFactorEnabled: false });
    // Turning two-factor off needs the password and a code.
    const other = await addLeadWithTwoFactor(server);
    const off = await api(server, other.token).post(ROUTES.twoFactorDisable, { password: 'not-the-password', code: await nextCode(other.secret) });
    attack(off.status < 300, 'two-factor was turned off without the password');
    const offNoCode = await api(server, other.token).post(ROUTES.twoFactorDisable, { password: other.password, code: '000000' });
    attack(offNoCode.status < 300, 'two-factor was turned off without a valid code');
    expect((await api(server, other.token).get(ROUTES.audit)).status).toBe(200);
  });

  it('makes a reset code work once, retires the old password, and opens only the password route until it is changed', async () => {
    const email = server.specialistEmails[2] ?? '';
    const before = await server.login(email);
    const target = (await api(server, before).get(ROUTES.me)).body.specialist.id as string;
    // A specialist cannot issue resets.
    const bySpecialist = await api(server, await server.login(server.specialistEmails[3])).post(ROUTES.passwordReset(target));
    attack(bySpecialist.status === 200, 'a specialist issued a reset');
    const issued = await api(server, lead.token).post(ROUTES.passwordReset(target));
    expect(issued.status).toBe(200);
    const code = issued.body.code as string;
    expect(code).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
    // Stored only as a hash.
    expect(JSON.stringify(server.store.db.prepare('SELECT * FROM password_resets').all())).not.toContain(code);
    attack((await api(server, before).get(ROUTES.me)).status !== 401, 'a session survived the reset');
    attack((await loginStatus(email, server.password)).status === 200, 'the old password logged in after a reset');

    const used = await loginStatus(email, code);
    expect(used.status).toBe(200);
    const restricted = api(server, used.body.token);
    expect((await restricted.get(ROUTES.me)).body.account.mustChangePassword).toBe(true);
    const data = await restricted.get(`${ROUTES.bootstrap}?limit=1`);
    expect(data.body.error.code).toBe('password_change_required');
    attack(data.status === 200, 'a session that must change its password read data');
    const opened = await connectLive(server.url, used.body.token ?? '').then(
      () => true,
      (error: unknown) => !String(error).includes('4401'),
    );
    attack(opened, 'a session that must change its password opened the live socket');
    const twice = await loginStatus(email, code);
    attack(twice.status === 200, 'a reset code logged in twice');

    expect((await restricted.post(ROUTES.password, { newPassword: STRONGER })).status).toBe(200);
    expect((await restricted.get(`${ROUTES.bootstrap}?limit=1`)).status).toBe(200);
    expect((await loginStatus(email, STRONGER)).status).toBe(200);
    // After the change, the current password is asked again.
    const noCurrent = await restricted.post(ROUTES.password, { newPassword: STRONG });
    expect(noCurrent.body.error).toMatchObject({ field: 'currentPassword' });
    attack(noCurrent.status < 300, 'the password was changed again without the current one');
    expect(auditActions(lead.id)).toContain(ACCOUNT_AUDIT.resetIssued);
    expect(auditActions(target)).toEqual(expect.arrayContaining([ACCOUNT_AUDIT.resetUsed, ACCOUNT_AUDIT.passwordChanged]));
  });

  it("does not let a stolen token enrol the thief's authenticator, and enrolment ends the sessions from before it", async () => {
    const password = 'Tiiminvetäjän-oma-salasana-9';
    const specialist: Specialist = { id: randomUUID(), email: `lead-${randomUUID().slice(0, 8)}@softone.se`, name: 'Uusi Vetäjä', role: 'lead', teams: [1, 2], office: 'FI', language: 'fi', active: true };
    server.store.specialists.insert(specialist, await hashPassword(password), new Date().toISOString());
    const stolen = await server.login(specialist.email, password);
    const own = await server.login(specialist.email, password);
    // The thief starts the enrolment with the token and confirms with their own app's code.
    const thief = api(server, stolen);
    const setup = await thief.post(ROUTES.twoFactorSetup);
    expect(setup.status).toBe(200);
    const withoutPassword = await thief.post(ROUTES.twoFactorConfirm, { code: await codeAt(setup.body.secret) });
    expect(withoutPassword.body.error).toMatchObject({ field: 'password' });
    attack(withoutPassword.status === 200, 'a token alone enrolled an authenticator');
    const guessed = await thief.post(ROUTES.twoFactorConfirm, { password: 'arvattu-salasana-123', code: await codeAt(setup.body.secret) });
    expect(guessed.body.error).toMatchObject({ code: 'wrong_password', field: 'password' });
    attack(guessed.status === 200, 'a token and a wrong password enrolled an authenticator');
    expect((await thief.get(ROUTES.account)).body.account).toMatchObject({ twoFactorEnabled: false });
    // The owner enrols with the password: the thief's session, opened before, ends with its socket.
    const socket = await connectLive(server.url, stolen);
    const mine = api(server, own);
    const ownSetup = await mine.post(ROUTES.twoFactorSetup);
    const enrolled = await mine.post(ROUTES.twoFactorConfirm, { password, code: await nextCode(ownSetup.body.secret) });
    expect(enrolled.status).toBe(200);
    await socket.until(() => socket.closed !== null);
    expect(socket.closed?.code).toBe(4401);
    attack((await thief.get(ROUTES.me)).status !== 401, 'a session from before the enrolment still worked');
    expect((await mine.get(ROUTES.audit)).status).toBe(200);
  });

  it('keeps a lead without two-factor from reassigning a colleague\'s case or closing early through the push', async () => {
    const customerId = server.store.db.prepare<[], string>('SELECT id FROM customers ORDER BY id LIMIT 1').pluck().get() ?? '';
    const colleague = api(server, await server.login(server.specialistEmails[6]));
    const colleagueId = (await colleague.get(ROUTES.me)).body.specialist.id as string;
    const otherId = server.store.specialists.findForLogin(server.specialistEmails[7] ?? '')?.specialist.id ?? '';
    const desk = new Desk(colleague);
    const held = await desk.createCase({ customerId, category: 'wish', description: 'Toive.' });
    expect((await desk.push(desk.mutation('assign', { caseId: held.id, assigneeId: colleagueId }))).results[0]?.status).toBe('applied');
    const status = (r: MutationResult | undefined): string | undefined => r?.status;
    // The demo lead logged in with the password alone.
    const plain = new Desk(api(server, await server.login()));
    const reassigned = await plain.push(plain.mutation('assign', { caseId: held.id, assigneeId: otherId }));
    attack(status(reassigned.results[0]) === 'applied', "a lead without two-factor reassigned a colleague's case");
    const closed = await plain.push(plain.mutation('transition', { caseId: held.id, to: 'closed' }));
    attack(status(closed.results[0]) === 'applied', 'a lead without two-factor closed a new wish');
    // A lead who passed the second factor may.
    const enrolled = new Desk(api(server, lead.token));
    expect(status((await enrolled.push(enrolled.mutation('assign', { caseId: held.id, assigneeId: otherId }))).results[0])).toBe('applied');
    expect(status((await enrolled.push(enrolled.mutation('transition', { caseId: held.id, to: 'closed' }))).results[0])).toBe('applied');
  });

  it("cannot revoke a colleague's session, and a revoked session is refused at once", async () => {
    const mine = api(server, await server.login(server.specialistEmails[4]));
    const theirs = await server.login(server.specialistEmails[5]);
    const theirSessions = (await api(server, theirs).get(ROUTES.sessions)).body.sessions as Array<{ id: string; current: boolean }>;
    const theirId = theirSessions.find((s) => s.current)?.id ?? '';
    const revoke = await mine.post(ROUTES.sessionRevoke(theirId));
    expect(revoke.status).toBe(404);
    attack((await api(server, theirs).get(ROUTES.me)).status !== 200, "a colleague's session was revoked");
    // Their own revocation of another of their sessions works, socket included.
    const other = await server.login(server.specialistEmails[5]);
    const socket = await connectLive(server.url, other);
    const otherId = ((await api(server, other).get(ROUTES.sessions)).body.sessions as Array<{ id: string; current: boolean }>).find((s) => s.current)?.id ?? '';
    expect((await api(server, theirs).post(ROUTES.sessionRevoke(otherId))).status).toBe(204);
    await socket.until(() => socket.closed !== null);
    attack((await api(server, other).get(ROUTES.me)).status !== 401, 'a revoked session still worked');
  });
});

describe('idle sessions', () => {
  let server: TestServer;
  let clock = Date.now();

  beforeAll(async () => {
    server = await startTestServer({ cases: 0, server: { sessionIdleMinutes: 30, now: () => new Date(clock), live: { pingIntervalMs: 200 } } });
  });
  afterAll(() => server.close());

  it('refuses a session unused for longer than the idle limit, socket included, while one in use lives on', async () => {
    const idle = await server.login(server.specialistEmails[0]);
    const busy = await server.login(server.specialistEmails[1]);
    const socket = await connectLive(server.url, idle);
    for (let minute = 0; minute < 45; minute += 10) {
      clock += 10 * 60_000;
      expect((await api(server, busy).get(ROUTES.me)).status).toBe(200);
    }
    // The heartbeat notices the idle session and closes its socket.
    await socket.until(() => socket.closed !== null);
    expect(socket.closed?.code).toBe(4401);
    const answer = await api(server, idle).get(ROUTES.me);
    attack(answer.status !== 401, 'a session idle for 50 minutes (limit 30) was accepted');
    expect((await api(server, busy).get(ROUTES.me)).status).toBe(200);
  });
});
