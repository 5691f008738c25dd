/**
 * Updates through electron-updater from a generic feed set in settings (`updateFeedUrl` or
 * DESK_UPDATE_FEED_URL). electron-builder.yml publishes nowhere, so without a configured feed the
 * updater stays off: a desk never fetches code from a place IT did not choose.
 */
import { log } from './log';

export async function startUpdater(feedUrl: string | null, isPackaged: boolean): Promise<void> {
  if (feedUrl === null) {
    log('info', 'updater', 'updates off: no feed configured');
    return;
  }
  if (!isPackaged) {
    log('info', 'updater', 'updates off in a development build', { feedUrl });
    return;
  }
  // Loaded only when used; electron-updater is CommonJS, reached through its default export.
  const { autoUpdater } = (await import('electron-updater')).default;
  autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl });
  autoUpdater.on('error', (error) => log('warn', 'updater', 'update check failed', { error: String(error) }));
  try {
    await autoUpdater.checkForUpdatesAndNotify();
  } catch (error) {
    log('warn', 'updater', 'update check failed', { error: String(error) });
  }
}
