import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeskHost } from '../../shared/host';
import { EVENTS, INVOKE } from '../../electron/main/channels';
import { contextBridge, ipcRenderer } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

let api: DeskHost;

beforeAll(async () => {
  await import('../../electron/preload/index');
  expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [name, exposed] = contextBridge.exposeInMainWorld.mock.calls[0] as [string, DeskHost];
  expect(name).toBe('desk');
  api = exposed;
});
beforeEach(() => ipcRenderer.invoke.mockClear());

/** What the main process sends: Electron passes the listener an event object first. */
function fromMain(channel: string, ...args: unknown[]): void {
  ipcRenderer.emit(channel, { sender: ipcRenderer, senderId: 0 }, ...args);
}

describe('preload bridge', () => {
  it('exposes exactly the DeskHost methods, all plain functions', () => {
    const methods: (keyof DeskHost)[] = ['info', 'loadToken', 'saveToken', 'onLink', 'onFocusLookup', 'notify', 'setBadge', 'setProgress', 'openExternal'];
    expect(Object.keys(api).sort()).toEqual([...methods].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('never hands out ipcRenderer', () => {
    const reachable = Object.values(api).map((fn: () => unknown) => fn);
    expect(reachable).not.toContain(ipcRenderer);
    expect(reachable).not.toContain(ipcRenderer.invoke);
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|send|invoke/i);
  });

  it('maps each method to its channel with only its own arguments', async () => {
    await api.info();
    await api.saveToken('tok');
    await api.notify({ title: 't', body: 'b', caseNumber: 5 });
    await api.setBadge(3);
    await api.setProgress(null);
    await api.openExternal('https://www.softone.se/');
    expect(ipcRenderer.invoke.mock.calls).toEqual([
      [INVOKE.info],
      [INVOKE.saveToken, 'tok'],
      [INVOKE.notify, { title: 't', body: 'b', caseNumber: 5 }],
      [INVOKE.setBadge, 3],
      [INVOKE.setProgress, null],
      [INVOKE.openExternal, 'https://www.softone.se/'],
    ]);
  });

  it('hands link listeners the link alone, never the IPC event', () => {
    const listener = vi.fn();
    const unsubscribe = api.onLink(listener);
    fromMain(EVENTS.link, { kind: 'case', number: 42 });
    expect(listener.mock.calls).toEqual([[{ kind: 'case', number: 42 }]]);
    unsubscribe();
  });

  it('keeps links that arrive while nobody listens (a launch by a softphone) for the next listener', () => {
    const early = vi.fn();
    api.onLink(early)();
    fromMain(EVENTS.link, { kind: 'call', from: '+46701234567', option: 1 });
    fromMain(EVENTS.link, { kind: 'case', number: 7 });
    expect(early).not.toHaveBeenCalled();

    const late = vi.fn();
    const unsubscribe = api.onLink(late);
    expect(late.mock.calls).toEqual([[{ kind: 'call', from: '+46701234567', option: 1 }], [{ kind: 'case', number: 7 }]]);
    // Delivered once: the next listener does not get them again.
    const another = vi.fn();
    api.onLink(another)();
    expect(another).not.toHaveBeenCalled();
    unsubscribe();
  });

  it('calls focus-lookup listeners with no arguments, until unsubscribed', () => {
    const listener = vi.fn();
    const unsubscribe = api.onFocusLookup(listener);
    fromMain(EVENTS.focusLookup);
    expect(listener.mock.calls).toEqual([[]]);
    unsubscribe();
    fromMain(EVENTS.focusLookup);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
