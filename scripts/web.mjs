#!/usr/bin/env node
// `npm run web`: the same desk that runs in Electron, in a browser on localhost. Builds the
// renderer bundle and starts the server with demo data on first run, serving the bundle and
// the API on one origin.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const build = spawnSync(npx, ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
// The customer centre's own bundle, served at /centre/.
const centre = spawnSync(npx, ['vite', 'build', '--config', 'renderer/centre.vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (centre.status !== 0) process.exit(centre.status ?? 1);

const env = {
  ...process.env,
  DESK_STATIC_DIR: process.env.DESK_STATIC_DIR ?? path.join(root, 'renderer', 'dist'),
  DESK_CENTRE_DIR: process.env.DESK_CENTRE_DIR ?? path.join(root, 'renderer', 'centre', 'dist'),
  DESK_DATA_DIR: process.env.DESK_DATA_DIR ?? path.join(root, '.desk-data', 'web'),
  DESK_DEMO: process.env.DESK_DEMO ?? '1',
};
const server = spawn(npx, ['tsx', 'server/cli/server.ts'], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
