import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ALLOWED_PERMISSIONS, hardenApp, isAllowedExternalUrl, openExternalSafely, originOf, restrictPermissions } from '../../electron/main/security';
import { FakeWebContents, app, resetFakes, session, shell } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

beforeEach(() => {
  resetFakes();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('openExternal allow-list', () => {
  it.each([
    'https://www.softone.se/support',
    'http://intranet.example/wiki?q=1',
    'mailto:support@softone.se',
    'mailto:anna@example.fi?subject=Tukipyyntö%20123456',
    'tel:+46701234567',
    'sip:%2B358401234567',
    'sip:+358401234567@pbx.example.fi',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    'file:///C:/Windows/System32/calc.exe',
    'file:///etc/passwd',
    'smb://attacker.example/share/payload.exe',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'ms-msdt:/id PCWDiagnostic',
    'search-ms:query=x',
    'app://desk/index.html',
    'softone-desk://case/1',
    'https://www.softone.se@evil.example/',
    'https://user:pass@softone.se/',
    'mailto:',
    'tel:',
    'tel:+46701234567;phone-context=evil',
    'sip:anna@evil.example/../x',
    'https://',
    'not a url',
    '',
    `https://example.com/${'a'.repeat(3000)}`,
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('hands only allowed URLs to the OS', async () => {
    await expect(openExternalSafely('https://www.softone.se/')).resolves.toBe(true);
    await expect(openExternalSafely('file:///etc/passwd')).resolves.toBe(false);
    expect(shell.openExternal.mock.calls).toEqual([['https://www.softone.se/']]);
  });
});

describe('originOf', () => {
  it('reads origins of the app scheme, http and nothing else', () => {
    expect(originOf('app://desk/case/1')).toBe('app://desk');
    expect(originOf('http://localhost:5173/x')).toBe('http://localhost:5173');
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('garbage')).toBeNull();
  });
});

describe('hardenApp', () => {
  function hardenedContents(): FakeWebContents {
    hardenApp(['app://desk']);
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    return contents;
  }
  const navigation = (url: string) => ({ url, preventDefault: vi.fn() });

  it('forces the sandbox on every renderer', () => {
    hardenApp(['app://desk']);
    expect(app.enableSandbox).toHaveBeenCalled();
  });

  it('blocks navigation and redirects away from the app, allows it within', () => {
    const contents = hardenedContents();
    for (const event of ['will-navigate', 'will-redirect']) {
      const away = navigation('https://evil.example/phish');
      contents.emit(event, away);
      expect(away.preventDefault).toHaveBeenCalled();
      const file = navigation('file:///etc/passwd');
      contents.emit(event, file);
      expect(file.preventDefault).toHaveBeenCalled();
      const inside = navigation('app://desk/case/1');
      contents.emit(event, inside);
      expect(inside.preventDefault).not.toHaveBeenCalled();
    }
    // A blocked web link opens in the browser instead; a file: link goes nowhere.
    expect(shell.openExternal.mock.calls).toEqual([['https://evil.example/phish'], ['https://evil.example/phish']]);
  });

  it('denies every new window', () => {
    const contents = hardenedContents();
    expect(contents.windowOpenHandler?.({ url: 'https://www.softone.se/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://desk/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(shell.openExternal.mock.calls).toEqual([['https://www.softone.se/']]);
  });

  it('refuses to attach a webview', () => {
    const contents = hardenedContents();
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('permissions', () => {
  type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
  type CheckHandler = (contents: unknown, permission: string, origin: string) => boolean;

  it('grants notifications to the app and nothing else to anyone', () => {
    restrictPermissions(session.defaultSession as never, ['app://desk']);
    const request = session.defaultSession.setPermissionRequestHandler.mock.calls[0]?.[0] as RequestHandler;
    const check = session.defaultSession.setPermissionCheckHandler.mock.calls[0]?.[0] as CheckHandler;
    const ask = (permission: string, url: string): boolean => {
      let granted: boolean | undefined;
      request(null, permission, (g) => (granted = g), { requestingUrl: url });
      return granted === true;
    };

    expect([...ALLOWED_PERMISSIONS]).toEqual(['notifications']);
    expect(ask('notifications', 'app://desk/')).toBe(true);
    expect(check(null, 'notifications', 'app://desk')).toBe(true);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'usb', 'serial', 'display-capture']) {
      expect(ask(permission, 'app://desk/')).toBe(false);
      expect(check(null, permission, 'app://desk')).toBe(false);
    }
    expect(ask('notifications', 'https://evil.example/')).toBe(false);
    expect(check(null, 'notifications', 'https://evil.example')).toBe(false);
  });
});
