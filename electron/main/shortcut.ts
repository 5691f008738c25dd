/**
 * The global lookup shortcut: mid-call, from any program, one key combination brings Desk
 * forward with the lookup box focused. The combination comes from settings (see settings.ts).
 */
import { globalShortcut } from 'electron';
import { log } from './log';

/** Registers the shortcut; false when the OS or another program already holds it. */
export function registerLookupShortcut(accelerator: string | null, onPress: () => void): boolean {
  if (accelerator === null) {
    log('info', 'shortcut', 'lookup shortcut turned off in settings');
    return false;
  }
  let registered = false;
  try {
    registered = globalShortcut.register(accelerator, onPress);
  } catch (error) {
    // An accelerator Electron cannot parse throws; the app must still start.
    log('warn', 'shortcut', 'lookup shortcut invalid', { accelerator, error: String(error) });
    return false;
  }
  if (!registered) log('warn', 'shortcut', 'lookup shortcut taken by another program', { accelerator });
  return registered;
}

export function unregisterShortcuts(): void {
  globalShortcut.unregisterAll();
}
