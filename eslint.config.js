// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeOnly = ['electron', 'electron/*', 'node:*', 'better-sqlite3', 'fastify', 'ws', '@fastify/*'];
const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'worker_threads', 'stream'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'renderer/dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'test/bench/results/**', 'coverage/**'] },
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
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...nodeOnly, ...nodeBuiltins, '**/server/**', '**/electron/**'], message: 'renderer/ runs in a browser: reach the host only through renderer/src/platform.' },
          ],
        },
      ],
    },
  },
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
