/**
 * The one interface the renderer uses to reach its host. Electron's preload exposes an object
 * that satisfies it as `window.desk`; the browser build implements the same shape over HTTP and
 * Web APIs, so the very same UI runs and is tested in a plain browser.
 */
import { z } from 'zod';
import { CaseNumberSchema, SwitchOptionSchema } from './contract';

/** What a softphone or a second launch asks the desk to show. */
export const DeskLinkSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('case'), number: CaseNumberSchema }),
  z.object({ kind: z.literal('call'), from: z.string().min(1).max(40), option: SwitchOptionSchema.nullable() }),
]);
export type DeskLink = z.infer<typeof DeskLinkSchema>;

export const DeskNotificationSchema = z.object({
  title: z.string().min(1).max(200),
  body: z.string().max(1000),
  /** The case a click on the notification opens. */
  caseNumber: CaseNumberSchema.optional(),
  /** Replaces an earlier notification with the same tag instead of stacking. */
  tag: z.string().max(100).optional(),
});
export type DeskNotification = z.infer<typeof DeskNotificationSchema>;

export interface HostInfo {
  kind: 'electron' | 'browser';
  /** The server this desk talks to (an embedded one started by the shell, or the team's). */
  serverUrl: string;
  version: string;
}

export type Unsubscribe = () => void;

export interface DeskHost {
  info(): Promise<HostInfo>;
  /** The session token, kept by the host (Electron: safeStorage; browser: sessionStorage). */
  loadToken(): Promise<string | null>;
  saveToken(token: string | null): Promise<void>;
  /** Deep links and forwarded launches ("softone-desk://case/123456"). */
  onLink(listener: (link: DeskLink) => void): Unsubscribe;
  /** The global lookup shortcut was pressed: focus the lookup box. */
  onFocusLookup(listener: () => void): Unsubscribe;
  notify(notification: DeskNotification): Promise<void>;
  /** Open-case count of my teams on the tray/dock badge; 0 clears it. */
  setBadge(count: number): Promise<void>;
  /** First-sync progress in the taskbar: 0..1, or null when done. */
  setProgress(fraction: number | null): Promise<void>;
  /** Opens http(s)/mailto links outside the app; anything else is refused by the host. */
  openExternal(url: string): Promise<void>;
}

/** The `softone-desk:` URL scheme registered by the desktop app. */
export const DESK_PROTOCOL = 'softone-desk';
