export function electronBinary(options?: {
  electronDir?: string | null;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}): { ok: true; path: string } | { ok: false; reason: string };
