/**
 * The durable outbox: an edit is written to IndexedDB (in the same transaction that allocates
 * its mutation id) before the UI shows it as pending, so a reload, a crash or a closed laptop
 * never loses it. Any tab may enqueue; only the sync leader pushes (see sync/engine.ts).
 */
import type { MutationBody } from '../../../shared/index';
import type { DeskDb } from '../cache/db';
import type { OutboxEntry } from '../model/edits';
import type { DeskStore } from '../store/store';
import { mutationCaseId } from '../model/overlay';

export class Outbox {
  constructor(
    private readonly db: DeskDb,
    private readonly store: DeskStore,
    private readonly clientId: string,
    /** Tells the sync leader (this tab or another) that there is something to push. */
    private readonly changed: () => void,
  ) {}

  async enqueue(body: MutationBody): Promise<OutboxEntry> {
    const db = this.db;
    const caseId = mutationCaseId(body);
    // The server version the specialist saw; absent for a case not yet on the server (set
    // when its creation is acknowledged) and for creations and grants.
    const base = caseId !== null && body.name !== 'createCase' ? this.store.cases.serverRow(caseId)?.version : undefined;
    const entry = await db.transaction('rw', db.outbox, db.meta, async () => {
      const mutationId = ((await db.getMeta('lastMutationId')) ?? 0) + 1;
      await db.setMeta('lastMutationId', mutationId);
      const e: OutboxEntry = {
        mutationId,
        caseId,
        envelope: { clientId: this.clientId, mutationId, ...(base === undefined ? {} : { baseVersion: base }), ...body },
        state: 'pending',
        createdAt: new Date().toISOString(),
      };
      await db.outbox.add(e);
      return e;
    });
    await this.reload();
    this.changed();
    return entry;
  }

  async reload(): Promise<void> {
    this.store.setOutbox(await this.db.outbox.toArray());
  }

  /**
   * "Keep mine": send my edit again, against the version I have now seen. It gets a new
   * mutation id: the server may have recorded the first attempt's id with its conflict answer,
   * and would then acknowledge a resend as a duplicate without applying it.
   */
  async keepMine(entry: OutboxEntry): Promise<void> {
    const theirs = entry.conflict?.theirs;
    if (!theirs) return;
    const db = this.db;
    await db.transaction('rw', db.outbox, db.meta, async () => {
      const mutationId = ((await db.getMeta('lastMutationId')) ?? 0) + 1;
      await db.setMeta('lastMutationId', mutationId);
      await db.outbox.delete(entry.mutationId);
      const { conflict: _resolved, ...rest } = entry;
      await db.outbox.add({
        ...rest,
        mutationId,
        state: 'pending',
        envelope: { ...entry.envelope, mutationId, baseVersion: theirs.version },
      });
    });
    await this.reload();
    this.changed();
  }

  /** "Take theirs" for a conflict, or "OK" on a rejection: drop my edit. */
  async discard(entry: OutboxEntry): Promise<void> {
    await this.db.outbox.delete(entry.mutationId);
    await this.reload();
    this.changed();
  }
}
