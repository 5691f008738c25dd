/** Logging in and resuming a session: the only code that handles the token besides the host. */
import { LoginResponseSchema, ROUTES, type Specialist } from '../../../shared/index';
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

export async function login(c: Credentials): Promise<Authenticated> {
  const api = new ApiClient({ baseUrl: c.serverUrl, token: () => null });
  const res = await api.post(ROUTES.login, { email: c.email.trim(), password: c.password }, LoginResponseSchema);
  await host.saveToken(res.token);
  prefs.set('serverUrl', c.serverUrl);
  prefs.set('email', c.email.trim());
  prefs.set('lastUser', res.specialist.id);
  return { me: res.specialist, token: res.token, serverUrl: c.serverUrl };
}

/**
 * Resumes with the stored token. The specialist recorded in the cache is trusted at once, so a
 * reload opens the desk from the cache without waiting for the network (and works offline);
 * the server confirms the token meanwhile (`confirm`), and a 401 means logging in again.
 * Without a cached specialist the server is asked first.
 */
export async function resume(): Promise<{ auth: Authenticated; confirm: Promise<boolean> } | null> {
  const token = await host.loadToken();
  const lastUser = prefs.get('lastUser');
  if (!token || !lastUser) return null;
  const serverUrl = await defaultServerUrl();
  const api = new ApiClient({ baseUrl: serverUrl, token: () => token, timeoutMs: 10_000 });
  // GET me answers { specialist, expiresAt }: the login answer without the token.
  const ask = api.get(ROUTES.me, LoginResponseSchema.omit({ token: true }));
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
  if (cached) return { auth: { me: cached, token, serverUrl }, confirm };
  try {
    const { specialist } = await ask;
    return { auth: { me: specialist, token, serverUrl }, confirm };
  } catch {
    await confirm;
    return null;
  }
}

/** Deletes the cache of this desk (it could not be opened: nothing in it is readable to keep). */
export function deleteCacheOf(auth: Authenticated): Promise<void> {
  return deleteCache(cacheName(auth.serverUrl, auth.me.id));
}
