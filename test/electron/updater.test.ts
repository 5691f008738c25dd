import { beforeEach, describe, expect, it, vi } from 'vitest';
import { startUpdater } from '../../electron/main/updater';

const autoUpdater = vi.hoisted(() => ({
  setFeedURL: vi.fn(),
  on: vi.fn(),
  checkForUpdatesAndNotify: vi.fn(async () => null),
}));
vi.mock('electron-updater', () => ({ default: { autoUpdater } }));

beforeEach(() => {
  vi.clearAllMocks();
  vi.spyOn(console, 'log').mockImplementation(() => {});
});

describe('updater', () => {
  it('stays off without a feed', async () => {
    await startUpdater(null, true);
    expect(autoUpdater.setFeedURL).not.toHaveBeenCalled();
    expect(autoUpdater.checkForUpdatesAndNotify).not.toHaveBeenCalled();
  });

  it('stays off in a development build', async () => {
    await startUpdater('https://updates.softone.se/desk', false);
    expect(autoUpdater.checkForUpdatesAndNotify).not.toHaveBeenCalled();
  });

  it('checks the configured generic feed in a packaged app', async () => {
    await startUpdater('https://updates.softone.se/desk', true);
    expect(autoUpdater.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://updates.softone.se/desk' });
    expect(autoUpdater.checkForUpdatesAndNotify).toHaveBeenCalled();
  });

  it('a failed check does not take the desk down', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    autoUpdater.checkForUpdatesAndNotify.mockRejectedValueOnce(new Error('offline'));
    await expect(startUpdater('https://updates.softone.se/desk', true)).resolves.toBeUndefined();
  });
});
