/**
 * Two-factor for tests: an enrolled lead (lead-only routes need a session that passed a second
 * factor) and codes computed with otplib, as an authenticator app would.
 */
import { randomUUID } from 'node:crypto';
import { generate } from 'otplib';
import { ROUTES, type Specialist } from '../../shared/index';
import { hashPassword } from '../../server/auth/passwords';
import type { Store } from '../../server/store/store';
import { request } from './http';

const PERIOD_S = 30;
/** The last time step each secret's code was made for: a server accepts each step once. */
const lastStep = new Map<string, number>();

/**
 * A fresh code for the secret: the current time step's, or the next one's when the current was
 * used (a server accepts each step once, and the step either side of its own). Never the step
 * before: its code may have left the server's window by the time a loaded machine sends it. With
 * both used, it waits for the clock to reach the next step (with `now` given, it throws instead).
 */
export async function nextCode(secret: string, now?: number): Promise<string> {
  for (;;) {
    const at = now ?? Date.now();
    const current = Math.floor(at / 1000 / PERIOD_S);
    const step = Math.max(current, (lastStep.get(secret) ?? 0) + 1);
    if (step <= current + 1) {
      lastStep.set(secret, step);
      return generate({ secret, epoch: step * PERIOD_S });
    }
    if (now !== undefined) throw new Error('every code of this window was used: wait for the next one');
    // The step becomes usable once the clock is at most one step behind it.
    await new Promise((resolve) => setTimeout(resolve, (step - 1) * PERIOD_S * 1000 - at + 20));
  }
}

/** The time step `nextCode` last made a code of for this secret (0: none yet). */
export const lastCodeStep = (secret: string): number => lastStep.get(secret) ?? 0;

/** The code of a given time step. */
export const codeOfStep = (secret: string, step: number): Promise<string> => generate({ secret, epoch: step * PERIOD_S });

/** The code of the current step, whether or not it was used (the attack tests reuse it on purpose). */
export function codeAt(secret: string, at = Date.now()): Promise<string> {
  return generate({ secret, epoch: Math.floor(at / 1000) });
}

/** Enrols the session's account (its password confirms the enrolment): answers the secret and the ten recovery codes. */
export async function enrolTwoFactor(url: string, token: string, password: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await request<{ secret: string }>(url, 'POST', ROUTES.twoFactorSetup, { token, json: {} });
  if (setup.status !== 200) throw new Error(`two-factor setup: ${setup.status} ${setup.text}`);
  const { secret } = setup.body;
  const confirm = await request<{ recoveryCodes: string[] }>(url, 'POST', ROUTES.twoFactorConfirm, { token, json: { password, code: await nextCode(secret) } });
  if (confirm.status !== 200) throw new Error(`two-factor confirm: ${confirm.status} ${confirm.text}`);
  return { secret, recoveryCodes: confirm.body.recoveryCodes };
}

/** Logs in with the password and then a code; answers the token. */
export async function loginWithCode(url: string, email: string, password: string, secret: string): Promise<string> {
  const first = await request<{ challenge?: string }>(url, 'POST', ROUTES.login, { json: { email, password } });
  if (first.status !== 200 || !first.body.challenge) throw new Error(`login as ${email}: ${first.status} ${first.text}`);
  const second = await request<{ token: string }>(url, 'POST', ROUTES.loginCode, { json: { challenge: first.body.challenge, code: await nextCode(secret) } });
  if (second.status !== 200) throw new Error(`login code for ${email}: ${second.status} ${second.text}`);
  return second.body.token;
}

export interface EnrolledLead {
  id: string;
  email: string;
  password: string;
  secret: string;
  recoveryCodes: string[];
  /** A session that passed the second factor (at enrolment): lead-only routes open to it. */
  token: string;
}

export const LEAD_WITH_TWO_FACTOR_PASSWORD = 'vaktmästare-Östermalm-2026';

/**
 * Adds a lead of both teams to the store (a test's own account, beside the demo lead, whose
 * plain password logins the other tests keep using) and enrols it through the API.
 */
export async function addLeadWithTwoFactor(server: { url: string; store: Store }, email = `lead-${randomUUID().slice(0, 8)}@softone.se`): Promise<EnrolledLead> {
  const specialist: Specialist = { id: randomUUID(), email, name: 'Test Lead', role: 'lead', teams: [1, 2], office: 'SE', language: 'sv', active: true };
  server.store.specialists.insert(specialist, await hashPassword(LEAD_WITH_TWO_FACTOR_PASSWORD), new Date().toISOString());
  server.store.changes.record('specialists', specialist.id);
  const login = await request<{ token: string }>(server.url, 'POST', ROUTES.login, { json: { email, password: LEAD_WITH_TWO_FACTOR_PASSWORD } });
  if (login.status !== 200) throw new Error(`login as ${email}: ${login.status} ${login.text}`);
  const { secret, recoveryCodes } = await enrolTwoFactor(server.url, login.body.token, LEAD_WITH_TWO_FACTOR_PASSWORD);
  return { id: specialist.id, email, password: LEAD_WITH_TWO_FACTOR_PASSWORD, secret, recoveryCodes, token: login.body.token };
}

const enrolled = new WeakMap<object, Promise<EnrolledLead>>();

/** One enrolled lead per server, made at the first call. */
export function leadWithTwoFactor(server: { url: string; store: Store }): Promise<EnrolledLead> {
  let lead = enrolled.get(server);
  if (!lead) {
    lead = addLeadWithTwoFactor(server);
    enrolled.set(server, lead);
  }
  return lead;
}
