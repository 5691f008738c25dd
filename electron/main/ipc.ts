/**
 * The one door from the renderer into the main process. Every handler is registered through
 * `handleFromApp`, which (like VS Code's validated IPC) answers only the main frame of our own
 * window while it shows our own origin, validates the arguments with zod, and hands the handler
 * the parsed arguments alone — never the event, whose `sender` would give it the webContents.
 * No other module touches `ipcMain`.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { z } from 'zod';
import { log } from './log';
import { originOf } from './security';

export interface SenderPolicy {
  /** True for the webContents of our desk window (not a devtools or any other webContents). */
  isAppContents(contents: WebContents): boolean;
  /** "app://desk", plus the dev server's origin in development. */
  trustedOrigins: readonly string[];
}

/** Why a sender is refused, or null when it is our app's main frame. */
export function senderRefusal(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, policy: SenderPolicy): string | null {
  if (!policy.isAppContents(event.sender)) return 'unknown webContents';
  const frame = event.senderFrame;
  // null when the frame has navigated away or been destroyed since it sent the message.
  if (frame === null) return 'frame gone';
  const main = event.sender.mainFrame;
  // Compared by id: a WebFrameMain wrapper is not guaranteed to be the same JS object each time.
  if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) {
    return 'not the main frame';
  }
  const origin = originOf(frame.url);
  if (origin === null || !policy.trustedOrigins.includes(origin)) return `foreign origin ${origin ?? 'none'}`;
  return null;
}

export class IpcRefusedError extends Error {
  constructor(channel: string) {
    // The renderer sees only this; the reason is in the main process log.
    super(`${channel}: request refused`);
    this.name = 'IpcRefusedError';
  }
}

export function handleFromApp<Args extends unknown[], Result>(
  channel: string,
  argsSchema: z.ZodType<Args>,
  handler: (...args: Args) => Result | Promise<Result>,
  policy: SenderPolicy,
): void {
  ipcMain.handle(channel, async (event, ...rawArgs: unknown[]) => {
    const refusal = senderRefusal(event, policy);
    if (refusal !== null) {
      log('warn', 'ipc', 'sender refused', { channel, reason: refusal });
      throw new IpcRefusedError(channel);
    }
    // Fixed messages: zod's own describe the received value, and a hostile value (say, one
    // whose constructor's name is an object without a prototype) makes describing it throw.
    const args = argsSchema.safeParse(rawArgs, { error: () => 'refused' });
    if (!args.success) {
      // Paths only: the values may be a session token.
      log('warn', 'ipc', 'arguments refused', { channel, fields: args.error.issues.map((i) => i.path.join('.')) });
      throw new IpcRefusedError(channel);
    }
    return handler(...args.data);
  });
}
