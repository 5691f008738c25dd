import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { INVOKE } from '../../electron/main/channels';
import { registerHostApi, type HostServices } from '../../electron/main/host-api';
import { handleFromApp, senderRefusal, type SenderPolicy } from '../../electron/main/ipc';
import { FakeWebContents, ipcMain, resetFakes, shell } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

let ours: FakeWebContents;
let policy: SenderPolicy;

beforeEach(() => {
  resetFakes();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  ours = new FakeWebContents();
  policy = { isAppContents: (contents) => contents.id === ours.id, trustedOrigins: ['app://desk'] };
});
afterEach(() => vi.restoreAllMocks());

interface FakeFrame {
  processId: number;
  routingId: number;
  parent: object | null;
  url: string;
}

function eventFrom(sender: FakeWebContents, frame: FakeFrame | null = sender.mainFrame) {
  return { sender, senderFrame: frame };
}

async function invoke(channel: string, event: ReturnType<typeof eventFrom>, ...args: unknown[]): Promise<unknown> {
  const handler = ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(event, ...args);
}

describe('senderRefusal', () => {
  it('accepts the main frame of our window on app://desk', () => {
    expect(senderRefusal(eventFrom(ours) as never, policy)).toBeNull();
  });

  it.each([
    ['a foreign origin', () => eventFrom(ours, { ...ours.mainFrame, url: 'https://evil.example/' }), 'foreign origin'],
    ['a lookalike host', () => eventFrom(ours, { ...ours.mainFrame, url: 'app://desk.evil/' }), 'foreign origin'],
    ['a file: page', () => eventFrom(ours, { ...ours.mainFrame, url: 'file:///tmp/x.html' }), 'foreign origin'],
    ['about:blank', () => eventFrom(ours, { ...ours.mainFrame, url: 'about:blank' }), 'foreign origin'],
    ['a subframe of our own origin', () => eventFrom(ours, { processId: 7, routingId: 2, parent: ours.mainFrame, url: 'app://desk/frame.html' }), 'not the main frame'],
    ['a frame claiming to be top-level with another id', () => eventFrom(ours, { processId: 7, routingId: 9, parent: null, url: 'app://desk/' }), 'not the main frame'],
    ['an unknown window', () => eventFrom(new FakeWebContents()), 'unknown webContents'],
    ['a destroyed frame', () => eventFrom(ours, null), 'frame gone'],
  ])('refuses %s', (_name, makeEvent, reason) => {
    expect(senderRefusal(makeEvent() as never, policy)).toContain(reason);
  });

  it('accepts the dev server only when it is one of the trusted origins', () => {
    const dev = eventFrom(ours, { ...ours.mainFrame, url: 'http://localhost:5173/' });
    expect(senderRefusal(dev as never, policy)).toContain('foreign origin');
    expect(senderRefusal(dev as never, { ...policy, trustedOrigins: ['app://desk', 'http://localhost:5173'] })).toBeNull();
  });
});

describe('handleFromApp', () => {
  it('hands the handler the validated arguments and nothing else', async () => {
    const handler = vi.fn((a: number, b: string) => `${a}:${b}`);
    handleFromApp('test:echo', z.tuple([z.number(), z.string()]), handler, policy);

    await expect(invoke('test:echo', eventFrom(ours), 2, 'x')).resolves.toBe('2:x');
    // Exactly the arguments: the event (and its `sender`) never reaches the handler.
    expect(handler.mock.calls).toEqual([[2, 'x']]);
  });

  it('refuses a foreign sender without running the handler', async () => {
    const handler = vi.fn();
    handleFromApp('test:noop', z.tuple([]), handler, policy);
    await expect(invoke('test:noop', eventFrom(ours, { ...ours.mainFrame, url: 'https://evil.example/' }))).rejects.toThrow('refused');
    await expect(invoke('test:noop', eventFrom(new FakeWebContents()))).rejects.toThrow('refused');
    expect(handler).not.toHaveBeenCalled();
  });

  it.each([
    ['a wrong type', ['2', 'x']],
    ['a missing argument', [2]],
    ['an extra argument', [2, 'x', 'smuggled']],
    ['an object instead of a number', [{ valueOf: (): number => 2 }, 'x']],
    // Describing this value in zod's default message throws (found by the reliability fuzzing).
    ['a value whose constructor name is no string', [Object.assign(Object.create(null) as object, { constructor: { name: Object.create(null) as object } }), 'x']],
  ])('refuses %s', async (_name, args) => {
    const handler = vi.fn();
    handleFromApp('test:typed', z.tuple([z.number(), z.string()]), handler, policy);
    await expect(invoke('test:typed', eventFrom(ours), ...args)).rejects.toThrow('refused');
    expect(handler).not.toHaveBeenCalled();
  });

  it('never logs argument values (they may be a session token)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    handleFromApp('test:token', z.tuple([z.string().max(3)]), vi.fn(), policy);
    await expect(invoke('test:token', eventFrom(ours), 'secret-token-value')).rejects.toThrow();
    expect(warn.mock.calls.join('\n')).not.toContain('secret-token-value');
  });
});

describe('registerHostApi', () => {
  function services(): HostServices {
    return {
      info: { kind: 'electron', serverUrl: 'http://127.0.0.1:4000', version: '0.1.0' },
      tokens: { load: vi.fn(async () => 'tok'), save: vi.fn(async () => {}) },
      notifier: { show: vi.fn() },
      badge: { setCount: vi.fn(), setProgress: vi.fn() },
    };
  }

  it('registers every DeskHost method behind the sender check', async () => {
    const s = services();
    registerHostApi(s, policy);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.values(INVOKE).sort());
    const foreign = eventFrom(ours, { ...ours.mainFrame, url: 'https://evil.example/' });
    for (const channel of Object.values(INVOKE)) {
      await expect(invoke(channel, foreign)).rejects.toThrow('refused');
    }
    expect(s.tokens.load).not.toHaveBeenCalled();
  });

  it('answers our app and validates each method’s arguments', async () => {
    const s = services();
    registerHostApi(s, policy);
    const event = eventFrom(ours);
    await expect(invoke(INVOKE.info, event)).resolves.toEqual(s.info);
    await expect(invoke(INVOKE.loadToken, event)).resolves.toBe('tok');
    await invoke(INVOKE.saveToken, event, null);
    expect(s.tokens.save).toHaveBeenCalledWith(null);
    await invoke(INVOKE.notify, event, { title: 'Samtal', body: 'Från +46701234567', caseNumber: 123456 });
    expect(s.notifier.show).toHaveBeenCalledWith({ title: 'Samtal', body: 'Från +46701234567', caseNumber: 123456 });
    await invoke(INVOKE.setBadge, event, 12);
    expect(s.badge.setCount).toHaveBeenCalledWith(12);
    await invoke(INVOKE.setProgress, event, null);
    expect(s.badge.setProgress).toHaveBeenCalledWith(null);

    await expect(invoke(INVOKE.saveToken, event, '')).rejects.toThrow('refused');
    await expect(invoke(INVOKE.notify, event, { title: '', body: 'x' })).rejects.toThrow('refused');
    await expect(invoke(INVOKE.notify, event, { title: 'x', body: 'x', caseNumber: 0 })).rejects.toThrow('refused');
    await expect(invoke(INVOKE.setBadge, event, -1)).rejects.toThrow('refused');
    await expect(invoke(INVOKE.setBadge, event, 1.5)).rejects.toThrow('refused');
    await expect(invoke(INVOKE.setProgress, event, 1.01)).rejects.toThrow('refused');
    expect(s.notifier.show).toHaveBeenCalledTimes(1);
  });

  it('opens only allow-listed URLs outside the app', async () => {
    registerHostApi(services(), policy);
    const event = eventFrom(ours);
    await invoke(INVOKE.openExternal, event, 'https://www.softone.se/support');
    await expect(invoke(INVOKE.openExternal, event, 'file:///C:/Windows/System32/calc.exe')).rejects.toThrow();
    expect(shell.openExternal.mock.calls).toEqual([['https://www.softone.se/support']]);
  });
});
