/**
 * End-to-end tests of the desk in this machine's Chromium (CHROMIUM_PATH, else a system one,
 * else Playwright's: scripts/chromium.mjs) against one real, seeded server started in this
 * process (test/e2e/global-setup.ts) that also serves the built renderer (`npm run build:web`
 * first). One worker: the machine has two cores and the tests share the server.
 */
import { defineConfig } from '@playwright/test';
import { chromiumOrExit } from './scripts/chromium.mjs';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : [['list']],
  use: {
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    trace: 'retain-on-failure',
    // A click on something that never comes fails in seconds instead of holding the run.
    actionTimeout: 20_000,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumOrExit(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
