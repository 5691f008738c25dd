// `npm start`: build main, preload and renderer with electron-vite (and the customer centre when
// its bundle is missing or stale), then open the desktop app.
// Arguments after `--` go to the app, e.g. `npm start -- softone-desk://case/123456`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureCentreBuilt } from './centre-build.mjs';
import { electronBinary } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const binary = electronBinary();

if (!binary.ok) {
  console.error(
    `SoftOne Desk: the desktop (Electron) binary is not available on this machine — ${binary.reason} — ` +
      'so the desktop window cannot open here. Run `npm run web` instead: it serves the same app in a ' +
      'browser on localhost.',
  );
  process.exit(1);
}

const { build } = await import('electron-vite');
await build({ root });
// The customer centre, which the embedded server serves at /centre/: built only when missing or stale.
try {
  ensureCentreBuilt(root);
} catch (error) {
  console.error(`SoftOne Desk: ${error.message}; the desk starts without the customer centre.`);
}

const app = spawn(binary.path, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
