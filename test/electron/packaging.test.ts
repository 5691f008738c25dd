import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// electron-builder's own schema check and YAML reader, reached through electron-builder itself.
const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const { validateConfiguration } = requireFromBuilder('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = requireFromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const yaml = requireFromBuilder('js-yaml') as { load(text: string): unknown };

const config = yaml.load(readFileSync(fileURLToPath(new URL('../../electron-builder.yml', import.meta.url)), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and registers the softone-desk protocol', () => {
    expect(config).toMatchObject({ appId: 'se.softone.desk', productName: 'SoftOne Desk' });
    expect(config.protocols).toEqual([expect.objectContaining({ schemes: ['softone-desk'] })]);
  });

  it('keeps better-sqlite3 outside the asar and rebuilds it for Electron', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**');
    expect(config.npmRebuild).toBe(true);
  });

  it('builds for Linux, Windows and macOS', () => {
    expect(config).toMatchObject({ linux: { target: ['AppImage', 'deb'] }, win: { target: ['nsis'] }, mac: { target: ['dmg'] } });
  });

  it('publishes nowhere, so the updater is off until a feed is configured', () => {
    expect(config.publish).toBeNull();
  });
});
