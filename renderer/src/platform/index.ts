/**
 * The one module that touches the host. Electron's preload provides `window.desk`; anywhere
 * else the browser implementation of the same interface is used.
 */
import type { DeskHost } from '../../../shared/index';
import { createBrowserHost, requestNotificationPermission } from './browser';

declare global {
  interface Window {
    desk?: DeskHost;
  }
}

export const host: DeskHost = window.desk ?? createBrowserHost();
export const isElectron = window.desk !== undefined;

export function askForNotifications(): void {
  // The shell shows native notifications itself; a browser needs the user's permission.
  if (!isElectron) requestNotificationPermission();
}

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
