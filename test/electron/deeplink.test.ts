import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeskLinkSchema } from '../../shared/host';
import { claimSingleInstance, createLinkRouter, findDeskLinkInArgv, parseDeskLink, registerProtocolClient } from '../../electron/main/deeplink';
import { EVENTS } from '../../electron/main/channels';
import { BrowserWindow, app, resetFakes } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  resetFakes();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('parseDeskLink: well-formed links', () => {
  it.each([
    ['softone-desk://case/123456', { kind: 'case', number: 123456 }],
    ['softone-desk://case/1', { kind: 'case', number: 1 }],
    ['softone-desk://case/999999999', { kind: 'case', number: 999_999_999 }],
    ['softone-desk://case/123456/', { kind: 'case', number: 123456 }],
    ['SOFTONE-DESK://CASE/42', { kind: 'case', number: 42 }],
    ['softone-desk://call?from=+46701234567&option=1', { kind: 'call', from: '+46701234567', option: 1 }],
    ['softone-desk://call?from=%2B358401234567&option=2', { kind: 'call', from: '+358401234567', option: 2 }],
    ['softone-desk://call/?from=0046701234567', { kind: 'call', from: '+46701234567', option: null }],
    ['softone-desk://call?option=2&from=070-123%2045%2067', { kind: 'call', from: '0701234567', option: 2 }],
    ['softone-desk://call?from=+46701234567&callId=abc-123', { kind: 'call', from: '+46701234567', option: null }],
  ])('%s', (raw, expected) => {
    expect(parseDeskLink(raw)).toEqual(expected);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('parseDeskLink: hostile or broken input is refused with a log line', () => {
  it.each([
    ['wrong scheme', 'https://case/123'],
    ['lookalike scheme', 'softone-desk-evil://case/123'],
    ['javascript scheme', 'javascript:alert(1)//softone-desk://case/1'],
    ['file scheme', 'file:///etc/passwd'],
    ['no slashes', 'softone-desk:case/123'],
    ['unknown action', 'softone-desk://admin/123'],
    ['path traversal', 'softone-desk://case/../../etc/passwd'],
    ['traversal to another number', 'softone-desk://case/123/../456'],
    ['encoded traversal', 'softone-desk://case/%2e%2e%2f123'],
    ['backslash', 'softone-desk://case\\123'],
    ['zero', 'softone-desk://case/0'],
    ['leading zero', 'softone-desk://case/0123'],
    ['negative', 'softone-desk://case/-5'],
    ['huge number', 'softone-desk://case/1000000000'],
    ['huge number 2', `softone-desk://case/${'9'.repeat(400)}`],
    ['decimal', 'softone-desk://case/12.5'],
    ['exponent', 'softone-desk://case/1e5'],
    ['hex', 'softone-desk://case/0x1F'],
    ['script in path', 'softone-desk://case/<script>alert(1)</script>'],
    ['script after number', 'softone-desk://case/123<script>'],
    ['query on case', 'softone-desk://case/123?x=1'],
    ['fragment on case', 'softone-desk://case/123#x'],
    ['arabic-indic digits', 'softone-desk://case/١٢٣'],
    ['fullwidth digits', 'softone-desk://case/１２３'],
    ['zero-width space', 'softone-desk://case/12\u200b3'],
    ['credentials', 'softone-desk://user:pass@case/123'],
    ['port', 'softone-desk://case:80/123'],
    ['newline injection', 'softone-desk://case/123\n{"level":"info"}'],
    ['NUL byte', 'softone-desk://case/123\u0000'],
    ['too long', `softone-desk://call?from=+46701234567&pad=${'x'.repeat(600)}`],
    ['empty', ''],
    ['call without from', 'softone-desk://call?option=1'],
    ['call without query', 'softone-desk://call'],
    ['empty from', 'softone-desk://call?from=&option=1'],
    ['from letters', 'softone-desk://call?from=anonymous'],
    ['from script', 'softone-desk://call?from=<script>alert(1)</script>'],
    ['from encoded script', 'softone-desk://call?from=%3Cimg%20src%3Dx%3E'],
    ['from not a real number', 'softone-desk://call?from=+4612'],
    ['from too long', `softone-desk://call?from=+46${'7'.repeat(40)}`],
    ['from with unicode digits', 'softone-desk://call?from=+٤٦٧٠١٢٣٤٥٦٧'],
    ['option 3', 'softone-desk://call?from=+46701234567&option=3'],
    ['option 0', 'softone-desk://call?from=+46701234567&option=0'],
    ['option text', 'softone-desk://call?from=+46701234567&option=one'],
    ['option 01', 'softone-desk://call?from=+46701234567&option=01'],
    ['option empty', 'softone-desk://call?from=+46701234567&option='],
    ['repeated from', 'softone-desk://call?from=+46701234567&from=+358401234567'],
    ['repeated option', 'softone-desk://call?from=+46701234567&option=1&option=2'],
    ['parameter without value', 'softone-desk://call?from'],
    ['bad percent-encoding', 'softone-desk://call?from=%E0%A4%A&option=1'],
    ['too many parameters', `softone-desk://call?from=+46701234567&${Array.from({ length: 12 }, (_, i) => `p${i}=1`).join('&')}`],
    ['fragment on call', 'softone-desk://call?from=+46701234567#option=1'],
  ])('%s', (_name, raw) => {
    expect(parseDeskLink(raw)).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]?.[0]);
    // One JSON line, whatever the input held.
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ level: 'warn', scope: 'deeplink', message: 'link refused' });
  });

  it('never throws and only ever yields a link valid under the shared schema', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.string().map((s) => `softone-desk://case/${s}`), fc.string().map((s) => `softone-desk://call?${s}`)), (raw) => {
        const link = parseDeskLink(raw);
        if (link !== null) expect(DeskLinkSchema.parse(link)).toEqual(link);
      }),
      { numRuns: 500 },
    );
  });
});

describe('findDeskLinkInArgv', () => {
  it('finds the link among Chromium switches and paths', () => {
    expect(findDeskLinkInArgv(['/opt/SoftOne Desk/softone-desk', '--no-sandbox', 'softone-desk://case/77'])).toEqual({ kind: 'case', number: 77 });
  });
  it('returns null for a plain launch and for a hostile link', () => {
    expect(findDeskLinkInArgv(['/usr/bin/electron', '.'])).toBeNull();
    expect(findDeskLinkInArgv(['/usr/bin/electron', 'softone-desk://case/../1'])).toBeNull();
  });
});

function openWindow(loading = false): BrowserWindow {
  const win = new BrowserWindow({});
  win.webContents.loading = loading;
  return win;
}

describe('single instance and link forwarding', () => {
  it('forwards a second launch’s link to the running window and brings it forward', () => {
    const bringToFront = vi.fn();
    const router = createLinkRouter(bringToFront as never);
    expect(claimSingleInstance(router)).toBe(true);
    const win = openWindow();
    router.attach(win as never);

    app.emit('second-instance', {}, ['/opt/desk/softone-desk', '--flag', 'softone-desk://call?from=+46701234567&option=2'], '/home/anna');

    expect(win.webContents.send).toHaveBeenCalledWith(EVENTS.link, { kind: 'call', from: '+46701234567', option: 2 });
    expect(bringToFront).toHaveBeenCalledWith(win);
  });

  it('only raises the window for a second launch without a link, or with a hostile one', () => {
    const bringToFront = vi.fn();
    const router = createLinkRouter(bringToFront as never);
    claimSingleInstance(router);
    const win = openWindow();
    router.attach(win as never);

    app.emit('second-instance', {}, ['/opt/desk/softone-desk'], '/');
    app.emit('second-instance', {}, ['/opt/desk/softone-desk', 'softone-desk://case/1;rm -rf'], '/');

    expect(win.webContents.send).not.toHaveBeenCalled();
    expect(bringToFront).toHaveBeenCalledTimes(2);
  });

  it('keeps links until the window has loaded, then sends them in order', () => {
    const router = createLinkRouter(vi.fn() as never);
    claimSingleInstance(router);
    router.deliver({ kind: 'case', number: 1 }); // from the launch's own argv, before any window
    const win = openWindow(true);
    router.attach(win as never);
    app.emit('second-instance', {}, ['x', 'softone-desk://case/2'], '/');
    expect(win.webContents.send).not.toHaveBeenCalled();

    win.webContents.loading = false;
    win.webContents.emit('did-finish-load');

    expect(win.webContents.send.mock.calls).toEqual([
      [EVENTS.link, { kind: 'case', number: 1 }],
      [EVENTS.link, { kind: 'case', number: 2 }],
    ]);
  });

  it('takes macOS open-url events and stops the default handling', () => {
    const router = createLinkRouter(vi.fn() as never);
    claimSingleInstance(router);
    const win = openWindow();
    router.attach(win as never);
    const event = { preventDefault: vi.fn() };

    app.emit('open-url', event, 'softone-desk://case/5150');
    app.emit('open-url', { preventDefault: vi.fn() }, 'softone-desk://case/5150%00');

    expect(event.preventDefault).toHaveBeenCalled();
    expect(win.webContents.send).toHaveBeenCalledTimes(1);
    expect(win.webContents.send).toHaveBeenCalledWith(EVENTS.link, { kind: 'case', number: 5150 });
  });

  it('the second process gives up the lock and listens to nothing', () => {
    app.singleInstanceLock = false;
    expect(claimSingleInstance(createLinkRouter(vi.fn() as never))).toBe(false);
    expect(app.listenerCount('second-instance')).toBe(0);
  });
});

describe('registerProtocolClient', () => {
  it('registers softone-desk in a packaged app', () => {
    app.isPackaged = true;
    registerProtocolClient();
    expect(app.setAsDefaultProtocolClient).toHaveBeenCalledWith('softone-desk');
  });
  it('leaves the OS registration alone in a development build', () => {
    registerProtocolClient();
    expect(app.setAsDefaultProtocolClient).not.toHaveBeenCalled();
  });
});
