/**
 * SLA escalations the server sent this desk over the live socket (the server's scheduler,
 * server/escalation/): each stays as a notice until dismissed, and the tab that leads also raises
 * a desktop notification for it (once: several windows do not ring several times).
 */
import type { LiveMessage } from '../../../shared/index';
import { Signal } from '../lib/signal';

export type EscalationMessage = Extract<LiveMessage, { type: 'escalation' }>;

export interface EscalationNotice extends EscalationMessage {
  /** Unique per escalation: the case, the deadline, the point and the deadline's instant. */
  key: string;
  /** Raise a desktop notification for it (this tab leads); cleared once raised. */
  notify: boolean;
}

/** The most notices kept: the oldest go first. */
const MAX_NOTICES = 20;

export class Escalations {
  readonly notices = new Signal<readonly EscalationNotice[]>([]);

  receive(msg: EscalationMessage, notify: boolean): void {
    const key = `${msg.caseId}|${msg.deadline}|${msg.point}|${msg.deadlineAt}`;
    const current = this.notices.get();
    if (current.some((n) => n.key === key)) return;
    this.notices.set([...current, { ...msg, key, notify }].slice(-MAX_NOTICES));
  }

  /** The desktop notification was raised. */
  notified(key: string): void {
    this.notices.set(this.notices.get().map((n) => (n.key === key && n.notify ? { ...n, notify: false } : n)));
  }

  dismiss(key: string): void {
    this.notices.set(this.notices.get().filter((n) => n.key !== key));
  }
}
