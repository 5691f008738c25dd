/**
 * What the start needs before the app's code is loaded (see boot.ts): whose desk is most
 * likely to reopen. Deliberately light — no schemas, no i18n, no UI — so it runs while the
 * rest of the bundle is still being fetched and evaluated. The rest of the app reads the same
 * storage through `prefs` and the host (index.ts, browser.ts).
 */

/** The browser host keeps the session token here (sessionStorage, see browser.ts). */
export const TOKEN_KEY = 'desk.token';

/** Non-secret preferences (server URL, last e-mail, language, team choice) for both hosts. */
export const prefs = {
  get(key: string): string | null {
    try {
      return window.localStorage.getItem(`desk.${key}`);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null): void {
    try {
      if (value === null) window.localStorage.removeItem(`desk.${key}`);
      else window.localStorage.setItem(`desk.${key}`, value);
    } catch {
      // Storage disabled: preferences simply are not remembered.
    }
  },
};

/** The server last used, else the host's (the page's origin in a browser, the embedded server in the shell). */
export async function defaultServerUrl(): Promise<string> {
  return prefs.get('serverUrl') ?? (window.desk ? (await window.desk.info()).serverUrl : window.location.origin);
}

/** The desk a stored session would reopen, if there is one. */
export async function lastDesk(): Promise<{ serverUrl: string; specialistId: string } | null> {
  const token = window.desk ? await window.desk.loadToken() : window.sessionStorage.getItem(TOKEN_KEY);
  const specialistId = prefs.get('lastUser');
  if (!token || !specialistId) return null;
  return { serverUrl: await defaultServerUrl(), specialistId };
}
