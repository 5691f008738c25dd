/**
 * Native notifications for what the renderer decides is worth one (a call for my team, a level
 * 1–2 bug close to its handling deadline). A click opens the case in the desk window.
 */
import { Notification } from 'electron';
import type { DeskNotification } from '../../shared/host';
import { log } from './log';

export interface Notifier {
  show(notification: DeskNotification): void;
}

export function createNotifier(openCase: (caseNumber: number) => void, raise: () => void): Notifier {
  // Held until closed: a notification object that is garbage-collected stops emitting "click".
  const live = new Set<Notification>();
  const byTag = new Map<string, Notification>();

  return {
    show({ title, body, caseNumber, tag }) {
      if (!Notification.isSupported()) {
        log('warn', 'notifications', 'native notifications not supported here');
        return;
      }
      if (tag !== undefined) byTag.get(tag)?.close();
      const notification = new Notification({ title, body });
      const forget = (): void => {
        live.delete(notification);
        if (tag !== undefined && byTag.get(tag) === notification) byTag.delete(tag);
      };
      notification.on('click', () => {
        if (caseNumber === undefined) raise();
        else openCase(caseNumber);
        forget();
      });
      notification.on('close', forget);
      notification.on('failed', (_event, error) => {
        log('warn', 'notifications', 'notification failed', { error });
        forget();
      });
      live.add(notification);
      if (tag !== undefined) byTag.set(tag, notification);
      notification.show();
    },
  };
}
