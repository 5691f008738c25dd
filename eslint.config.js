// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeOnly = ['electron', 'electron/*', 'node:*', 'better-sqlite3', 'fastify', 'ws', '@fastify/*'];
const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'worker_threads', 'stream'];

const rendererInBrowser = { group: [...nodeOnly, ...nodeBuiltins, '**/server/**', '**/electron/**'], message: 'renderer/ runs in a browser: reach the host only through renderer/src/platform.' };

/**
 * The renderer's folders are layers, and each imports only the ones listed for it, so every
 * import points one way: lib, api, platform and i18n at the bottom; then model (rows, queue,
 * overlay: no I/O) ← cache (IndexedDB) and store (the in-memory model) ← sync ← session ← ui.
 * The entry points (main.tsx, boot.ts, offlineShell.ts) put them together.
 */
const rendererLayers = {
  lib: [],
  api: [],
  platform: [],
  i18n: ['platform'],
  model: ['lib'],
  cache: ['lib', 'model'],
  store: ['lib', 'model'],
  sync: ['lib', 'api', 'model', 'cache', 'store'],
  session: ['lib', 'api', 'platform', 'model', 'cache', 'store', 'sync'],
  ui: ['lib', 'api', 'platform', 'i18n', 'model', 'store', 'session'],
};
/** Libraries only one layer may use: IndexedDB belongs to the cache, React to the views. */
const rendererLibraries = [
  { group: ['dexie', 'dexie-*'], layers: ['cache'], what: 'IndexedDB (Dexie) is the cache layer\'s alone' },
  { group: ['react', 'react-*', 'react/*', '@tanstack/*'], layers: ['ui', 'i18n'], what: 'React is for the ui (and i18n\'s hooks)' },
];

function rendererLayerBlocks() {
  const folders = Object.keys(rendererLayers);
  return Object.entries(rendererLayers).map(([layer, allowed]) => {
    const denied = folders.filter((f) => f !== layer && !allowed.includes(f));
    const patterns = [rendererInBrowser];
    if (denied.length > 0) {
      patterns.push({
        group: denied.flatMap((f) => [`**/${f}`, `**/${f}/**`]),
        message: `renderer/src/${layer} may import only ${allowed.length > 0 ? allowed.join(', ') : 'shared/'} of the renderer's layers (lib, api, platform, i18n ← model ← cache, store ← sync ← session ← ui).`,
      });
    }
    for (const lib of rendererLibraries) if (!lib.layers.includes(layer)) patterns.push({ group: lib.group, message: `${lib.what}.` });
    return { files: [`renderer/src/${layer}/**/*.{ts,tsx}`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
  });
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'renderer/dist/**', 'renderer/centre/dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'test/bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...nodeOnly, ...nodeBuiltins, 'react', 'react-dom', 'dexie', '../server/*', '../renderer/*', '../electron/*'], message: 'shared/ is platform-neutral: no Node, DOM, Electron or other place.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'localStorage', 'indexedDB'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': ['error', { patterns: [rendererInBrowser] }],
    },
  },
  ...rendererLayerBlocks(),
  {
    files: ['server/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['electron', 'react', 'react-dom', 'dexie', '**/renderer/**', '**/electron/**'], message: 'server/ runs on plain Node.' }] },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['better-sqlite3', 'react', 'react-dom', 'dexie', '**/renderer/**', '**/server/**'], message: 'The shell talks to the server over HTTP; a native module never loads in the main process (better-sqlite3 is built for one ABI; see electron/main/server.ts).' }] },
      ],
    },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'scripts/**/*.{ts,mjs,js}', '*.config.{ts,js}', 'electron.vite.config.ts', 'renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'test', property: 'only', message: 'test.only would skip the rest of the suite.' },
        { object: 'it', property: 'only', message: 'it.only would skip the rest of the suite.' },
        { object: 'describe', property: 'only', message: 'describe.only would skip the rest of the suite.' },
      ],
    },
  },
);
