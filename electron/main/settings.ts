/**
 * The shell's own settings: a JSON file in the user-data folder, each value overridable by an
 * environment variable (for IT roll-outs and tests). The renderer never sees or writes this file.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { log } from './log';

const HttpUrl = z.url({ protocol: /^https?$/ });

export const SettingsFileSchema = z.object({
  /** The team's Desk server. Without it the shell starts an embedded server on this machine. */
  serverUrl: HttpUrl.optional(),
  /** Electron accelerator for the lookup shortcut; "" turns the shortcut off. */
  lookupShortcut: z.string().max(100).optional(),
  /** electron-updater generic feed, HTTPS only: it delivers code. Without it the updater stays off. */
  updateFeedUrl: z.url({ protocol: /^https$/ }).optional(),
});
export type SettingsFile = z.infer<typeof SettingsFileSchema>;

/** "CommandOrControl+Alt+F": F for find. Ctrl+Shift+F is taken by find-in-files in every IDE and
 * a global shortcut would steal it system-wide; AltGr+F types nothing on Swedish and Finnish
 * keyboards, so Ctrl+Alt+F does not collide with a character either. */
export const DEFAULT_LOOKUP_SHORTCUT = 'CommandOrControl+Alt+F';

export interface Settings {
  serverUrl: string | null;
  lookupShortcut: string | null;
  updateFeedUrl: string | null;
}

const ENV = {
  serverUrl: 'DESK_SERVER_URL',
  lookupShortcut: 'DESK_LOOKUP_SHORTCUT',
  updateFeedUrl: 'DESK_UPDATE_FEED_URL',
} as const;

function readSettingsFile(file: string): SettingsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = SettingsFileSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    log('warn', 'settings', 'settings file ignored: invalid', { file, issues: parsed.error.issues.map((i) => i.path.join('.')) });
  } catch {
    log('warn', 'settings', 'settings file ignored: not JSON', { file });
  }
  return {};
}

export function loadSettings(file: string, env: NodeJS.ProcessEnv = process.env): Settings {
  const fromEnv = SettingsFileSchema.safeParse({
    serverUrl: env[ENV.serverUrl] || undefined,
    lookupShortcut: env[ENV.lookupShortcut],
    updateFeedUrl: env[ENV.updateFeedUrl] || undefined,
  });
  if (!fromEnv.success) {
    log('warn', 'settings', 'environment overrides ignored: invalid', { issues: fromEnv.error.issues.map((i) => i.path.join('.')) });
  }
  const merged = { ...readSettingsFile(file), ...definedOnly(fromEnv.success ? fromEnv.data : {}) };
  const shortcut = merged.lookupShortcut ?? DEFAULT_LOOKUP_SHORTCUT;
  return {
    serverUrl: merged.serverUrl ?? null,
    lookupShortcut: shortcut.trim() === '' ? null : shortcut.trim(),
    updateFeedUrl: merged.updateFeedUrl ?? null,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
