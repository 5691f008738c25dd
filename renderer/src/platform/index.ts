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

export { prefs } from './early';
