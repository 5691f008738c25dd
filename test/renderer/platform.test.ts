// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { composeTitle, createBrowserHost, parseLocationLink } from '../../renderer/src/platform/browser';

describe('browser host', () => {
  afterEach(() => {
    sessionStorage.clear();
    localStorage.clear();
    window.location.hash = '';
  });

  it('reads case and call links from the URL and ignores hostile input', () => {
    expect(parseLocationLink('', '#/case/123456')).toEqual({ kind: 'case', number: 123456 });
    expect(parseLocationLink('?case=42', '')).toEqual({ kind: 'case', number: 42 });
    expect(parseLocationLink('?call=%2B46701234567&option=2', '')).toEqual({ kind: 'call', from: '+46701234567', option: 2 });
    expect(parseLocationLink('?call=0701234567', '')).toEqual({ kind: 'call', from: '0701234567', option: null });
    expect(parseLocationLink('?case=0', '')).toBeNull();
    expect(parseLocationLink('?case=1e3', '')).toBeNull();
    expect(parseLocationLink('?call=x&option=3', '')).toBeNull();
    expect(parseLocationLink('', '#/case/<script>')).toBeNull();
  });

  it('keeps the token in sessionStorage only', async () => {
    const host = createBrowserHost(window);
    await host.saveToken('secret-token');
    expect(sessionStorage.getItem('desk.token')).toBe('secret-token');
    expect(Object.values({ ...localStorage })).not.toContain('secret-token');
    expect(await host.loadToken()).toBe('secret-token');
    await host.saveToken(null);
    expect(await host.loadToken()).toBeNull();
  });

  it('shows the badge and the first-sync progress in the title, gathering changes into one write', async () => {
    vi.useFakeTimers();
    try {
      document.title = 'Desk';
      const host = createBrowserHost(window);
      await host.setBadge(12);
      await host.setProgress(0.2);
      await host.setProgress(0.456);
      // Nothing written inside the task that made the change.
      expect(document.title).toBe('Desk');
      let writes = 0;
      const title = document.querySelector('title') ?? document.head.appendChild(document.createElement('title'));
      const observer = new MutationObserver((records) => (writes += records.length > 0 ? 1 : 0));
      observer.observe(title, { childList: true, characterData: true, subtree: true });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(document.title).toBe('(12) Desk · 46 %');
      expect(writes).toBe(1);
      await host.setProgress(null);
      await host.setBadge(0);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(document.title).toBe('Desk');
      observer.disconnect();
    } finally {
      vi.useRealTimers();
    }
    expect(composeTitle(3, 1)).toBe('(3) Desk · 100 %');
  });

  it('delivers a link that arrived before anyone listened, and later hash changes', async () => {
    window.location.hash = '#/case/77';
    const host = createBrowserHost(window);
    const seen: unknown[] = [];
    host.onLink((l) => seen.push(l));
    await Promise.resolve();
    expect(seen).toEqual([{ kind: 'case', number: 77 }]);
    window.location.hash = '#/case/78';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(seen).toEqual([
      { kind: 'case', number: 77 },
      { kind: 'case', number: 78 },
    ]);
  });

  it('opens only http(s) and mailto links', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const host = createBrowserHost(window);
    await host.openExternal('javascript:alert(1)');
    await host.openExternal('file:///etc/passwd');
    expect(open).not.toHaveBeenCalled();
    await host.openExternal('mailto:support@softone.se');
    expect(open).toHaveBeenCalledWith('mailto:support@softone.se', '_blank', 'noopener,noreferrer');
  });
});
