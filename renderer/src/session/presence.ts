/**
 * This desk's own presence: the case this tab shows (viewing) and the case it is writing in
 * (editing: typing in a note, field or flow panel, until the field is left, two minutes pass
 * without typing, or the case is left). Sent as a whole state, at most once per SEND_MS, to the leading tab's live socket.
 */
import type { PresenceState } from '../../../shared/index';

const SEND_MS = 250;
/** Writing stops counting this long after the last keystroke. */
export const EDIT_IDLE_MS = 120_000;

export class MyPresence {
  private viewing: string | null = null;
  private editing: string | null = null;
  private editTimer: ReturnType<typeof setTimeout> | null = null;
  private sendTimer: ReturnType<typeof setTimeout> | null = null;
  private lastSentAt = 0;

  constructor(private readonly send: (state: PresenceState) => void) {}

  state(): PresenceState {
    return { viewing: this.viewing ? [this.viewing] : [], editing: this.editing ? [this.editing] : [] };
  }

  /** The case is shown in this tab. */
  view(caseId: string): void {
    if (this.viewing === caseId) return;
    this.viewing = caseId;
    if (this.editing !== null && this.editing !== caseId) this.setEditing(null);
    this.changed();
  }

  /** The case is no longer shown (another replaced it, or the queue did). */
  leave(caseId: string): void {
    if (this.viewing !== caseId) return;
    this.viewing = null;
    if (this.editing === caseId) this.setEditing(null);
    this.changed();
  }

  /** A keystroke in the case's note, fields or flow panel. */
  typing(caseId: string): void {
    if (this.editTimer) clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => this.stopTyping(caseId), EDIT_IDLE_MS);
    if (this.editing === caseId) return;
    this.editing = caseId;
    this.changed();
  }

  /** The text was sent or left: no longer writing. */
  stopTyping(caseId: string): void {
    if (this.editing !== caseId) return;
    this.setEditing(null);
    this.changed();
  }

  close(): void {
    if (this.editTimer) clearTimeout(this.editTimer);
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.editTimer = this.sendTimer = null;
  }

  private setEditing(caseId: string | null): void {
    this.editing = caseId;
    if (caseId === null && this.editTimer) {
      clearTimeout(this.editTimer);
      this.editTimer = null;
    }
  }

  private changed(): void {
    if (this.sendTimer) return;
    const wait = Math.max(0, this.lastSentAt + SEND_MS - Date.now());
    this.sendTimer = setTimeout(() => {
      this.sendTimer = null;
      this.lastSentAt = Date.now();
      this.send(this.state());
    }, wait);
  }
}

/** The union of several tabs' presence (the leading tab sends the desk's whole state). */
export function mergePresence(states: Iterable<PresenceState>): PresenceState {
  const viewing = new Set<string>();
  const editing = new Set<string>();
  for (const s of states) {
    for (const c of s.viewing) viewing.add(c);
    for (const c of s.editing) editing.add(c);
  }
  return { viewing: [...viewing].slice(0, 10), editing: [...editing].slice(0, 10) };
}
