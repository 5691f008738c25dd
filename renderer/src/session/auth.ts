/** Logging in and resuming a session: the only code that handles the token besides the host. */
import { LoginAnswerSchema, LoginResponseSchema, MeResponseSchema, ROUTES, type AccountState, type LoginResponse, type Specialist } from '../../../shared/index';
import { ApiClient, ApiError } from '../api/client';
import { cacheName, deleteCache, DeskDb } from '../cache/db';
import { defaultServerUrl } from '../platform/early';
import { host, prefs } from '../platform/index';

export interface Credentials {
  serverUrl: string;
  email: string;
  password: string;
}

export interface Authenticated {
  me: Specialist;
  token: string;
  serverUrl: string;
  /** What the server said of the account at login (unknown when resumed from the cache). */
  account?: AccountState;
}

/** The password was right; the account asks for a code from the authenticator app next. */
export interface SecondStep {
  challenge: string;
  serverUrl: string;
  email: string;
}

/**
 * A team's server must be reached over TLS; plain http only to this machine (the embedded
 * server, `npm run web`). The CSP enforces the same.
 */
export function checkServerUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return null;
  return url.origin;
}

export { defaultServerUrl } from '../platform/early';

export async function login(c: Credentials): Promise<Authenticated | SecondStep> {
  const api = new ApiClient({ baseUrl: c.serverUrl, token: () => null });
  const res = await api.post(ROUTES.login, { email: c.email.trim(), password: c.password }, LoginAnswerSchema);
  if ('challenge' in res) return { challenge: res.challenge, serverUrl: c.serverUrl, email: c.email.trim() };
  return signedIn(c.serverUrl, c.email.trim(), res);
}

/** The login's second step: a code from the authenticator app, or a recovery code. */
export async function loginWithCode(step: SecondStep, code: string): Promise<Authenticated> {
  const api = new ApiClient({ baseUrl: step.serverUrl, token: () => null });
  const res = await api.post(ROUTES.loginCode, { challenge: step.challenge, code: code.trim() }, LoginResponseSchema);
  return signedIn(step.serverUrl, step.email, res);
}

async function signedIn(serverUrl: string, email: string, res: LoginResponse): Promise<Authenticated> {
  await host.saveToken(res.token);
  prefs.set('serverUrl', serverUrl);
  prefs.set('email', email);
  prefs.set('lastUser', res.specialist.id);
  return { me: res.specialist, token: res.token, serverUrl, account: res.account };
}

/**
 * The password change a session must make first (after a one-time reset, or the first admin's
 * generated password); `currentPassword` is not asked then.
 */
export async function changePasswordFirst(auth: Authenticated, newPassword: string): Promise<Authenticated> {
  const api = new ApiClient({ baseUrl: auth.serverUrl, token: () => auth.token });
  const res = await api.post(ROUTES.password, { newPassword }, MeResponseSchema);
  return { ...auth, me: res.specialist, account: res.account };
}

/** Forgets the token of a session that never reached the desk (the forced password change). */
export async function abandon(auth: Authenticated): Promise<void> {
  const api = new ApiClient({ baseUrl: auth.serverUrl, token: () => auth.token, timeoutMs: 5_000 });
  await api.post(ROUTES.logout, {}, MeResponseSchema.optional()).catch(() => undefined);
  await host.saveToken(null);
}

/**
 * Resumes with the stored token. The specialist recorded in the cache is trusted at once, so a
 * reload opens the desk from the cache without waiting for the network (and works offline);
 * the server confirms the token meanwhile (`confirm`), and a 401 means logging in again.
 * Without a cached specialist the server is asked first.
 */
export async function resume(): Promise<{ auth: Authenticated; confirm: Promise<boolean>; account: Promise<AccountState | null> } | null> {
  const token = await host.loadToken();
  const lastUser = prefs.get('lastUser');
  if (!token || !lastUser) return null;
  const serverUrl = await defaultServerUrl();
  const api = new ApiClient({ baseUrl: serverUrl, token: () => token, timeoutMs: 10_000 });
  // GET me answers { specialist, expiresAt, account }: the login answer without the token.
  const ask = api.get(ROUTES.me, MeResponseSchema);
  const account = ask.then(
    (me) => me.account,
    () => null,
  );
  const confirm = ask.then(
    () => true,
    async (e: unknown) => {
      if (!(e instanceof ApiError && e.status === 401)) return true; // offline: the token may still be good
      await host.saveToken(null);
      return false;
    },
  );
  const db = new DeskDb(cacheName(serverUrl, lastUser));
  let cached: Specialist | undefined;
  try {
    cached = await db.getMeta('me');
  } catch {
    cached = undefined;
  } finally {
    db.close();
  }
  if (cached) return { auth: { me: cached, token, serverUrl }, confirm, account };
  try {
    const { specialist, account: state } = await ask;
    return { auth: { me: specialist, token, serverUrl, account: state }, confirm, account };
  } catch {
    await confirm;
    return null;
  }
}

/** Deletes the cache of this desk (it could not be opened: nothing in it is readable to keep). */
export function deleteCacheOf(auth: Authenticated): Promise<void> {
  return deleteCache(cacheName(auth.serverUrl, auth.me.id));
}
