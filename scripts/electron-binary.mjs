// Whether an Electron binary can run here, found without `require('electron')`: that module
// starts downloading the binary when it is missing, which is exactly the case to detect.
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function installedElectronDir() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * @param {{ electronDir?: string | null, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform }} [options]
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function electronBinary({ electronDir = installedElectronDir(), env = process.env, platform = process.platform } = {}) {
  if (electronDir === null) return { ok: false, reason: 'the electron package is not installed' };
  let relativePath;
  try {
    relativePath = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
  } catch {
    return { ok: false, reason: 'the Electron binary was never downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or without network)' };
  }
  const path = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relativePath) : join(electronDir, 'dist', relativePath);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { ok: false, reason: `${path} is missing or not executable` };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  return { ok: true, path };
}
