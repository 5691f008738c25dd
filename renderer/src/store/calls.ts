/**
 * The caller log in memory: the calls the sync brought, with the specialist's "done" edits still
 * in the outbox applied on top by the same rule the server runs (shared/calls.ts), so a call
 * marked done offline shows done at once and stays so until the server's copy says it too.
 */
import { markCallDone, type Call } from '../../../shared/index';
import type { OutboxEntry } from '../model/edits';
import { isLive } from '../model/overlay';

export class CallLog {
  private readonly server = new Map<string, Call>();
  /** Calls marked done in the outbox: by when. */
  private pendingDone = new Map<string, string>();
  private shown: Call[] | null = null;
  /** Grows on every change: what the UI memoises the log's rows on. */
  version = 0;

  constructor(private readonly actorId: string) {}

  apply(calls: readonly Call[]): void {
    if (calls.length === 0) return;
    for (const c of calls) this.server.set(c.id, c);
    this.touch();
  }

  setOutbox(entries: readonly OutboxEntry[]): void {
    const pending = new Map<string, string>();
    for (const e of entries) {
      if (isLive(e) && e.envelope.name === 'markCallDone') pending.set(e.envelope.args.callId, e.envelope.occurredAt ?? e.createdAt);
    }
    if (pending.size === 0 && this.pendingDone.size === 0) return;
    this.pendingDone = pending;
    this.touch();
  }

  /** Every call, as the specialist sees it (done edits on their way applied). */
  all(): readonly Call[] {
    if (this.shown) return this.shown;
    const shown: Call[] = [];
    for (const c of this.server.values()) {
      const at = this.pendingDone.get(c.id);
      const outcome = at === undefined ? null : markCallDone(c, this.actorId, at);
      shown.push(outcome?.kind === 'changed' ? outcome.call : c);
    }
    this.shown = shown;
    return shown;
  }

  get(id: string): Call | undefined {
    return this.all().find((c) => c.id === id);
  }

  /** A done edit of this call is on its way to the server. */
  isPending(id: string): boolean {
    return this.pendingDone.has(id);
  }

  clear(): void {
    this.server.clear();
    this.pendingDone.clear();
    this.touch();
  }

  private touch(): void {
    this.shown = null;
    this.version++;
  }
}
