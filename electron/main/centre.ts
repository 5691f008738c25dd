/**
 * The customer centre beside the embedded server: which built bundle it serves at `/centre/`
 * (`DESK_CENTRE_DIR`) and where the centre's links point (`DESK_CENTRE_URL`). From source the
 * bundle `npm start` builds (renderer/centre/dist); packaged, the copy electron-builder puts in
 * the resources folder (`centre/`). No bundle there: the server runs without the centre.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The centre's built folder for this app, or null when there is none to serve. */
export function centreDirOf(
  isPackaged: boolean,
  appPath: string,
  resourcesPath: string,
  exists: (path: string) => boolean = existsSync,
): string | null {
  const dir = isPackaged ? join(resourcesPath, 'centre') : join(appPath, 'renderer', 'centre', 'dist');
  return exists(join(dir, 'index.html')) ? dir : null;
}

/** The server's address of the centre (`<server>/centre/`), or null when it serves none. */
export function centreUrlOf(serverUrl: string, centreDir: string | null): string | null {
  return centreDir === null ? null : new URL('/centre/', serverUrl).toString();
}

/**
 * The embedded server's environment for the centre. The invitation and reset mails link to
 * `DESK_CENTRE_URL`: one the user set wins; otherwise this server's own `/centre/` (loopback
 * only, as the embedded server is: the links open on this machine).
 */
export function centreEnv(centreDir: string | null, serverUrl: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const url = centreUrlOf(serverUrl, centreDir);
  if (centreDir === null || url === null) return {};
  return { DESK_CENTRE_DIR: centreDir, DESK_CENTRE_URL: env.DESK_CENTRE_URL || url };
}
