/**
 * The durable outbox: an edit is written to IndexedDB (in the same transaction that allocates
 * its mutation id) before the UI shows it as pending, so a reload, a crash or a closed laptop
 * never loses it. Any tab may enqueue; only the sync leader pushes (see sync/engine.ts).
 * This module is the only writer of the outbox table: the push's bookkeeping and a re-sync's
 * carry-over come here too.
 */
import { mutationCaseId, type Case, type MutationBody, type PushResponse } from '../../../shared/index';
import type { DeskDb } from '../cache/db';
import type { OutboxEntry } from '../model/edits';
import { isLive } from '../model/overlay';
import type { DeskStore } from '../store/store';

/** What a push answer means for the rest of the sync (see Outbox.settle). */
export interface Settled {
  /** The server's cases the answer carried, to show and store. */
  serverCases: Case[];
  /** Edits the server took without saying the version they made: what follows them is rebased after a pull. */
  unknownVersion: OutboxEntry[];
}

/** The next mutation id of this desk; call it inside a transaction on `meta` with the outbox write it numbers. */
async function takeMutationId(db: DeskDb): Promise<number> {
  const mutationId = ((await db.getMeta('lastMutationId')) ?? 0) + 1;
  await db.setMeta('lastMutationId', mutationId);
  return mutationId;
}

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
      const mutationId = await takeMutationId(db);
      // The moment the specialist acted: the server records the edit at this time, offline or not.
      const occurredAt = new Date().toISOString();
      const e: OutboxEntry = {
        mutationId,
        caseId,
        envelope: { clientId: this.clientId, mutationId, ...(base === undefined ? {} : { baseVersion: base }), occurredAt, ...body },
        state: 'pending',
        createdAt: occurredAt,
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

  /** The edits still to be sent (pending, or sent without an answer), oldest first. */
  async live(): Promise<OutboxEntry[]> {
    return (await this.db.outbox.orderBy('mutationId').toArray()).filter(isLive);
  }

  /** An edit not yet sent, changed before its first send (a file the server refused dropped from a note). */
  async rewrite(entry: OutboxEntry): Promise<void> {
    await this.db.outbox.update(entry.mutationId, { envelope: entry.envelope });
  }

  /** These edits are on their way: a replay after a crash sends them again. */
  async markSent(batch: OutboxEntry[]): Promise<void> {
    // An edit of a case created here offline learns its base once the creation is acknowledged.
    for (const e of batch) {
      if (e.caseId !== null && e.envelope.name !== 'createCase' && e.envelope.baseVersion === undefined) {
        const known = this.store.cases.serverRow(e.caseId);
        if (known) e.envelope = { ...e.envelope, baseVersion: known.version };
      }
      e.state = 'sent';
    }
    await this.db.outbox.bulkPut(batch);
  }

  /**
   * Records the server's answer to a push of `batch`: applied and duplicate edits leave the
   * outbox, conflicts and rejections wait for the specialist, and the cases the answer carried
   * are stored (never over a newer copy) in the same transaction.
   */
  async settle(batch: readonly OutboxEntry[], answers: PushResponse['results']): Promise<Settled> {
    const db = this.db;
    const results = new Map(answers.map((r) => [r.mutationId, r]));
    const serverCases: Case[] = [];
    const unknownVersion: OutboxEntry[] = [];
    await db.transaction('rw', db.outbox, db.cases, async () => {
      for (const e of batch) {
        const r = results.get(e.mutationId);
        if (!r) continue; // not answered: stays 'sent' and is sent again (a replay is harmless)
        switch (r.status) {
          case 'applied':
            await db.outbox.delete(e.mutationId);
            if (r.case) {
              serverCases.push(r.case);
              await this.rebase(e, r.case.version);
            } else unknownVersion.push(e);
            break;
          case 'duplicate':
            await db.outbox.delete(e.mutationId);
            unknownVersion.push(e);
            break;
          case 'conflict':
            serverCases.push(r.case);
            await db.outbox.update(e.mutationId, { state: 'conflict', conflict: { fields: r.fields, theirs: r.case, editorId: r.editorId ?? null } });
            break;
          case 'rejected':
            await db.outbox.update(e.mutationId, { state: 'rejected', error: r.error });
            break;
        }
      }
      const current = await db.cases.bulkGet(serverCases.map((c) => c.id));
      await db.cases.bulkPut(serverCases.filter((c, i) => (current[i]?.version ?? 0) <= c.version));
    });
    return { serverCases, unknownVersion };
  }

  /** Later edits made on top of `done` now stand on the version it produced. */
  async rebase(done: OutboxEntry, version: number): Promise<void> {
    if (done.caseId === null) return;
    const base = done.envelope.baseVersion;
    const later = await this.db.outbox.where('caseId').equals(done.caseId).toArray();
    for (const e of later) {
      if (e.mutationId <= done.mutationId || !isLive(e)) continue;
      if (e.envelope.baseVersion === base || e.envelope.baseVersion === undefined) {
        await this.db.outbox.update(e.mutationId, { envelope: { ...e.envelope, baseVersion: version } });
      }
    }
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
      const mutationId = await takeMutationId(db);
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

  /**
   * Edits this computer still holds: waiting to be sent, sent without an answer, or waiting for
   * the specialist's decision (a conflict, a refusal). Zero means nothing here is unsaved.
   */
  async held(): Promise<number> {
    return this.db.outbox.count();
  }

  /** "Take theirs" for a conflict, or "OK" on a rejection: drop my edit. */
  async discard(entry: OutboxEntry): Promise<void> {
    await this.db.outbox.delete(entry.mutationId);
    await this.reload();
    this.changed();
  }
}

/** The edits a re-sync carries over into the rebuilt cache: all but the rejected ones. */
export async function editsToKeep(db: DeskDb): Promise<OutboxEntry[]> {
  return (await db.outbox.toArray()).filter((e) => e.state !== 'rejected');
}

/** Puts carried-over edits into a rebuilt cache; one sent without an answer is sent again. */
export async function restoreEdits(db: DeskDb, entries: readonly OutboxEntry[]): Promise<void> {
  await db.outbox.bulkPut(entries.map((e) => ({ ...e, state: e.state === 'sent' ? 'pending' : e.state })));
}
