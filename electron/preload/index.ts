/**
 * The typed bridge and nothing else: `window.desk` satisfies `DeskHost` (shared/host.ts).
 * It runs sandboxed, so it is bundled as one CommonJS file that requires only `electron`.
 * Page script gets plain functions: never `ipcRenderer` (which would let it send on any channel)
 * and never an IPC event object (whose `sender` is `ipcRenderer` again).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { DeskHost, DeskLink, DeskNotification, HostInfo, Unsubscribe } from '../../shared/host';
import { EVENTS, INVOKE } from '../main/channels';

/** Links that arrive before the app subscribes (a launch by a softphone) wait here, a few at most. */
const MAX_BUFFERED_LINKS = 10;
const bufferedLinks: DeskLink[] = [];
const linkListeners = new Set<(link: DeskLink) => void>();
const focusListeners = new Set<() => void>();

ipcRenderer.on(EVENTS.link, (_event, link: DeskLink) => {
  if (linkListeners.size === 0) {
    bufferedLinks.push(link);
    if (bufferedLinks.length > MAX_BUFFERED_LINKS) bufferedLinks.shift();
    return;
  }
  for (const listener of linkListeners) listener(link);
});
ipcRenderer.on(EVENTS.focusLookup, () => {
  for (const listener of focusListeners) listener();
});

const api = {
  info: (): Promise<HostInfo> => ipcRenderer.invoke(INVOKE.info),
  loadToken: (): Promise<string | null> => ipcRenderer.invoke(INVOKE.loadToken),
  saveToken: (token: string | null): Promise<void> => ipcRenderer.invoke(INVOKE.saveToken, token),
  onLink(listener: (link: DeskLink) => void): Unsubscribe {
    linkListeners.add(listener);
    for (const link of bufferedLinks.splice(0)) listener(link);
    return () => void linkListeners.delete(listener);
  },
  onFocusLookup(listener: () => void): Unsubscribe {
    focusListeners.add(listener);
    return () => void focusListeners.delete(listener);
  },
  notify: (notification: DeskNotification): Promise<void> => ipcRenderer.invoke(INVOKE.notify, notification),
  setBadge: (count: number): Promise<void> => ipcRenderer.invoke(INVOKE.setBadge, count),
  setProgress: (fraction: number | null): Promise<void> => ipcRenderer.invoke(INVOKE.setProgress, fraction),
  openExternal: (url: string): Promise<void> => ipcRenderer.invoke(INVOKE.openExternal, url),
} satisfies DeskHost;

contextBridge.exposeInMainWorld('desk', api);
