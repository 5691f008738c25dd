import { beforeEach, describe, expect, it, vi } from 'vitest';
import { badgeTooltip, createBadge } from '../../electron/main/badge';
import { BrowserWindow, Tray, app, resetFakes } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

beforeEach(() => resetFakes());

describe('badgeTooltip', () => {
  it.each([
    [0, 'sv-SE', 'SoftOne Desk: Inga öppna ärenden'],
    [1, 'sv-SE', 'SoftOne Desk: 1 öppet ärende'],
    [12, 'sv-SE', 'SoftOne Desk: 12 öppna ärenden'],
    [1, 'fi-FI', 'SoftOne Desk: 1 avoin tukipyyntö'],
    [5, 'fi', 'SoftOne Desk: 5 avointa tukipyyntöä'],
    [2, 'de-DE', 'SoftOne Desk: 2 open cases'],
  ])('%i in %s', (count, locale, text) => {
    expect(badgeTooltip(count, locale)).toBe(text);
  });
});

describe('createBadge', () => {
  it('shows the count on the tray, the dock/launcher badge', () => {
    const win = new BrowserWindow({});
    const badge = createBadge(() => win as never, vi.fn());
    badge.setCount(7);
    expect(app.setBadgeCount).toHaveBeenCalledWith(7);
    expect(Tray.instances[0]?.setToolTip).toHaveBeenLastCalledWith('SoftOne Desk: 7 öppna ärenden');
    badge.setCount(0);
    expect(app.setBadgeCount).toHaveBeenLastCalledWith(0);
  });

  it('shows first-sync progress in the taskbar and clears it', () => {
    const win = new BrowserWindow({});
    const badge = createBadge(() => win as never, vi.fn());
    badge.setProgress(0.25);
    badge.setProgress(null);
    expect(win.setProgressBar.mock.calls).toEqual([[0.25], [-1]]);
  });

  it('opens the window from the tray', () => {
    const show = vi.fn();
    createBadge(() => null, show);
    Tray.instances[0]?.emit('click');
    expect(show).toHaveBeenCalled();
  });
});
