/**
 * electron-vite 6: the main process, the sandboxed preload and the renderer (the same
 * renderer/index.html and src/ as the web build, with renderer/vite.config.ts's plugins).
 *
 *   out/main/index.js     main process (ESM); dependencies stay in node_modules
 *   out/main/server.js    the server entry the packaged app runs in a utilityProcess
 *   out/preload/index.cjs the preload: one self-contained CommonJS file (sandbox rule)
 *   out/renderer/         the web app served from app://desk
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import rendererConfig from './renderer/vite.config';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * A native module (better-sqlite3) inside a bundle loads with the wrong ABI or not at all; it
 * stays in node_modules, where electron-builder rebuilds it for Electron. `load` runs only for
 * modules being bundled, never for externals, so this fails the build the moment one slips in
 * instead of at a specialist's first launch.
 */
function refuseBundledNativeModules(): Plugin {
  return {
    name: 'desk-refuse-bundled-native-modules',
    load(id) {
      if (/[\\/]node_modules[\\/]better-sqlite3[\\/]/.test(id) || id.endsWith('.node')) {
        this.error(`${id} must stay external: native modules are never bundled`);
      }
      return null;
    },
  };
}

/**
 * electron-vite forces base './' for production renderers. Under app://desk a route such as
 * /case/123 is answered with index.html, whose './assets/…' would then resolve below /case/;
 * absolute '/assets/…' works for every route.
 */
function absoluteBase(): Plugin {
  return { name: 'desk-absolute-base', config: () => ({ base: '/' }) };
}

export default defineConfig({
  main: {
    build: {
      // dependencies (zod, electron-updater, fastify, better-sqlite3, …) are loaded from
      // node_modules at run time; electron-builder rebuilds the native ones for Electron.
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: here('./electron/main/index.ts'),
          // The embedded server for the packaged app (a utilityProcess); from source the shell
          // runs server/cli/server.ts with tsx instead (electron/main/server.ts).
          server: here('./server/cli/server.ts'),
        },
      },
    },
    plugins: [refuseBundledNativeModules()],
  },
  preload: {
    build: {
      // A sandboxed preload gets a small built-in `require` (electron, events, timers, url) and
      // no module loader: no ESM, no node_modules. So: CommonJS, everything bundled in.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: here('./electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
    plugins: [refuseBundledNativeModules()],
  },
  renderer: mergeConfig(rendererConfig, {
    root: here('./renderer'),
    build: {
      outDir: here('./out/renderer'),
      rolldownOptions: { input: here('./renderer/index.html') },
    },
    plugins: [absoluteBase()],
  }),
});
