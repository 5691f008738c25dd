// The customer centre's bundle (renderer/centre/dist) for `npm start`: built when it is missing
// or older than its sources (the centre's own folder, shared/, its vite config and tsconfig),
// left alone otherwise, so a second start costs a few directory reads, not a build.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the centre's bundle is built from, relative to the project's root. */
export const CENTRE_SOURCES = ['renderer/centre', 'shared', 'renderer/centre.vite.config.ts', 'tsconfig.centre.json'];
/** The built bundle, relative to the root (`DESK_CENTRE_DIR` points here). */
export const CENTRE_DIST = 'renderer/centre/dist';

/** The newest modification time (ms) under a file or folder, the built bundle left out; 0 when absent. */
function newestUnder(file, skip) {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  if (file === skip) return 0;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(file)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestUnder(path.join(file, entry), skip));
  }
  return newest;
}

/** Why the centre must be built ('missing' or 'stale'), or null when its bundle is newer than every source. */
export function centreBuildNeeded(root) {
  const dist = path.join(root, CENTRE_DIST);
  let built;
  try {
    built = statSync(path.join(dist, 'index.html')).mtimeMs;
  } catch {
    return 'missing';
  }
  const newest = Math.max(...CENTRE_SOURCES.map((source) => newestUnder(path.join(root, source), dist)));
  return newest > built ? 'stale' : null;
}

/**
 * Builds the centre when needed; answers what happened ('built', 'fresh') or throws when the
 * build fails. `build` runs the build (default: vite with the centre's config), `log` says so.
 */
export function ensureCentreBuilt(root, { build = defaultBuild, log = (line) => console.log(line) } = {}) {
  const why = centreBuildNeeded(root);
  if (why === null) return 'fresh';
  log(`SoftOne Desk: building the customer centre (${why === 'missing' ? 'not built yet' : 'its sources changed'})…`);
  build(root);
  return 'built';
}

function defaultBuild(root) {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const result = spawnSync(npx, ['vite', 'build', '--config', 'renderer/centre.vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`the customer centre's build failed (exit ${result.status ?? result.signal})`);
}
