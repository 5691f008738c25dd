/**
 * The customer centre's own bundle (renderer/centre/), never the specialists' desk: built to
 * renderer/centre/dist and served by the server at `/centre/` (DESK_CENTRE_DIR).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// No node:* imports here: renderer/** is linted as browser code; Vite injects import.meta.dirname.
const root = `${import.meta.dirname}/centre`;
const serverUrl = process.env.DESK_SERVER_URL ?? `http://127.0.0.1:${process.env.DESK_PORT ?? '8787'}`;

export default defineConfig({
  root,
  // Served under /centre/: relative asset URLs.
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1', proxy: { '/api': { target: serverUrl } } },
});
