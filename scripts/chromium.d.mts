export type ChromiumFound = { ok: true; path: string; source: 'CHROMIUM_PATH' | 'system' | 'playwright' } | { ok: false; reason: string };
export interface FindOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  isExecutable?: (path: string) => boolean;
  playwrightPath?: string | null;
}
export const NO_CHROMIUM: string;
export function findChromiumIn(options?: FindOptions): ChromiumFound;
export function findChromium(options?: Omit<FindOptions, 'playwrightPath'>): ChromiumFound;
export function chromiumOrExit(): string;
export function ensureChromium(options?: {
  env?: NodeJS.ProcessEnv;
  find?: () => ChromiumFound;
  install?: () => { ok: boolean; detail: string };
  log?: (line: string) => void;
}): 'found' | 'named-missing' | 'skipped' | 'installed' | 'failed';
