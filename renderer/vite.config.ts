/**
 * One web bundle for both hosts: Electron loads it from app://, a browser from the server's
 * origin (`DESK_STATIC_DIR`) or from the Vite dev server (`npm run web`).
 */
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import pkg from '../package.json' with { type: 'json' };

// No node:* imports here: renderer/** is linted as browser code; Vite injects import.meta.dirname.
const root = import.meta.dirname;
/** The API server the dev server proxies to; the same env name the lead's scripts use. */
const serverUrl = process.env.DESK_SERVER_URL ?? `http://127.0.0.1:${process.env.DESK_PORT ?? '8787'}`;

/**
 * Vite's dev server injects the React Refresh preamble as an inline script and CSS as <style>
 * tags, which the production CSP rightly forbids. Relax the policy for `vite serve` only; the
 * built index.html keeps the strict one.
 */
function devCsp(): Plugin {
  return {
    name: 'desk-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    },
  };
}

/**
 * The app's chunk (main.tsx) is imported by boot.ts only once that has run; a modulepreload in
 * the page lets the browser fetch and compile it from the start, alongside the first script.
 */
function preloadApp(): Plugin {
  let base = './';
  return {
    name: 'desk-preload-app',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const app = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isDynamicEntry && /[\\/]src[\\/]main\.tsx$/.test(c.facadeModuleId ?? ''));
        if (!app) throw new Error('desk-preload-app: no chunk for src/main.tsx');
        return [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${app.fileName}` }, injectTo: 'head' }];
      },
    },
  };
}

export default defineConfig({
  root,
  // Relative asset URLs: the same files work under app://desk/ and http://host/.
  base: './',
  plugins: [react(), devCsp(), preloadApp()],
  define: { 'import.meta.env.VITE_APP_VERSION': JSON.stringify(pkg.version) },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // zod + React + Dexie + i18next and four locales: one chunk is fine for a desktop app.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: serverUrl, ws: true, changeOrigin: false },
      '/health': { target: serverUrl },
    },
  },
});
