import Database from 'better-sqlite3';
import type { Mutation, MutationResult, PushResponse, ReplayRefusal } from '../../shared/api';
import type { Specialist } from '../../shared/contract';
import type { CommitGate } from '../store/checkpointer';
import type { Store } from '../store/store';
import { applyMutation, Conflict, mutationDigest, Rejection } from './mutations';
import type { WalSync } from './wal-sync';
import type { MailChannel } from '../mail/channel';

/** What a mutation's replay key says before it is applied: a replay, a key misused, or go ahead. */
function replayCheck(store: Store, actor: Specialist, m: Mutation, digest: string, now: Date): MutationResult | null {
  const refuse = (code: ReplayRefusal, message: string, field: string): MutationResult => ({ mutationId: m.mutationId, status: 'rejected', error: { code, message, field } });
  // A desk's client id is its first user's: nobody else's edits and numbers go under it.
  if (store.mutations.claimClient(m.clientId, actor.id, now.toISOString()) !== actor.id) {
    return refuse('client_not_yours', 'this desk id belongs to another specialist: sign in as them, or start a new desk', 'clientId');
  }
  const logged = store.mutations.applied(m.clientId, m.mutationId);
  if (!logged) return null;
  // Rows from before the key named the specialist and the edit are replays of what comes under their key.
  const sameSpecialist = logged.specialistId === null || logged.specialistId === actor.id;
  const sameEdit = logged.bodyHash === null || logged.bodyHash === digest;
  if (sameSpecialist && sameEdit) return { mutationId: m.mutationId, status: 'duplicate' };
  return refuse('idempotency_mismatch', 'another edit was already applied under this mutation id; this one was not applied', 'mutationId');
}

/**
 * Applies one desk's batch in order, each mutation in its own savepoint together with its replay
 * key (specialist, clientId, mutationId) and digest: a mutation is applied entirely or not at
 * all, and a refused one does not stop the next. Runs inside the caller's transaction.
 */
function applyMutations(store: Store, actor: Specialist, mutations: readonly Mutation[], now: Date, mail: MailChannel | null): MutationResult[] {
  return mutations.map((m): MutationResult => {
    const digest = mutationDigest(m);
    const replay = replayCheck(store, actor, m, digest, now);
    if (replay) return replay;
    try {
      const applied = store.transaction(() => {
        const outcome = applyMutation({ store, actor, clientId: m.clientId, now, mail }, m);
        store.mutations.record(m.clientId, m.mutationId, actor.id, digest, now.toISOString());
        return outcome;
      });
      return { mutationId: m.mutationId, status: 'applied', ...(applied.case ? { case: applied.case } : {}) };
    } catch (error) {
      if (error instanceof Conflict) {
        return { mutationId: m.mutationId, status: 'conflict', fields: error.fields, case: error.current, editorId: store.events.lastActor(error.current.id, actor.id) };
      }
      if (error instanceof Rejection) {
        const field = error.field === undefined ? {} : { field: error.field };
        return { mutationId: m.mutationId, status: 'rejected', error: { code: error.code, message: error.message, ...field } };
      }
      // A constraint the checks missed is still the input's fault, not the server's.
      if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_CONSTRAINT')) {
        return { mutationId: m.mutationId, status: 'rejected', error: { code: 'constraint', message: error.message } };
      }
      throw error;
    }
  });
}

interface QueuedPush {
  actor: Specialist;
  mutations: readonly Mutation[];
  resolve(response: PushResponse): void;
  reject(error: unknown): void;
}

/**
 * Group commit. Durable acknowledgement costs one fsync per commit; one commit per request
 * would cap the server at a few hundred pushes per second. So the pushes that arrive while the
 * previous group commits are applied together in one transaction — each push in its own
 * savepoint, so one push's failure leaves the others intact — and all of them are answered
 * after that single commit is on disk. The fsync runs off the event loop (see wal-sync.ts), so
 * the next group is parsed and applied meanwhile; until its fsync is done a group's changes
 * are not in the change feed either (`visibleSeq`), so no desk learns a change a power cut
 * could still take back.
 */
export class PushQueue {
  private queue: QueuedPush[] = [];
  private scheduled = false;
  /** The first seq of every committed group whose WAL is not synced yet, oldest first. */
  private readonly unsynced: number[] = [];
  // Prepared once: `db.pragma()` compiles its statement on every call, twice per group.
  private readonly walOnly: Database.Statement;
  private readonly syncInCommit: Database.Statement;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    /** Called once per group commit that changed something, with the newest seq, once it is durable. */
    private readonly onCommit: (seq: number) => void,
    private readonly wal: WalSync,
    /** Held while the checkpointer finishes the WAL (store/checkpointer.ts); queued pushes wait. */
    private readonly gate: CommitGate | null = null,
    /** The mail channel, for replies (sendReply); null: mail is not configured. */
    private readonly mail: MailChannel | null = null,
  ) {
    this.walOnly = store.db.prepare('PRAGMA synchronous = NORMAL');
    this.syncInCommit = store.db.prepare('PRAGMA synchronous = FULL');
  }

  push(actor: Specialist, mutations: readonly Mutation[]): Promise<PushResponse> {
    return new Promise((resolve, reject) => {
      this.queue.push({ actor, mutations, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** The newest seq a reader may be given: every change up to it is on disk. */
  visibleSeq(): number {
    const first = this.unsynced[0];
    return first === undefined ? this.store.changes.latestSeq() : first - 1;
  }

  private flush(): void {
    if (this.gate?.held) {
      void this.gate.released().then(() => this.flush());
      return;
    }
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    const { store } = this;
    const now = this.now();
    const outcomes: Array<{ results: MutationResult[] } | { error: unknown }> = [];
    // Read inside the transaction: each statement outside one is a read transaction of its own.
    let seqBefore = 0;
    let seq = 0;
    // Written to the WAL, synced by `wal.sync()` below; every other writer keeps syncing in COMMIT.
    this.walOnly.run();
    try {
      store.transaction(() => {
        seqBefore = store.changes.latestSeq();
        for (const item of group) {
          try {
            outcomes.push({ results: store.transaction(() => applyMutations(store, item.actor, item.mutations, now, this.mail)) });
          } catch (error) {
            outcomes.push({ error });
          }
        }
        seq = store.changes.latestSeq();
      });
    } catch (error) {
      // The commit itself failed: nothing of the group is durable, so nobody hears "applied".
      for (const item of group) item.reject(error);
      return;
    } finally {
      this.syncInCommit.run();
    }
    const changed = seq !== seqBefore;
    if (changed) this.unsynced.push(seqBefore + 1);
    this.wal.sync().then(
      () => {
        if (changed) this.unsynced.shift();
        group.forEach((item, i) => {
          const outcome = outcomes[i];
          if (outcome && 'results' in outcome) item.resolve({ results: outcome.results, seq });
          else item.reject(outcome?.error);
        });
        if (changed) this.onCommit(seq);
      },
      (error: unknown) => {
        // Committed but not known to be on disk: no "applied"; the desk sends it again and
        // hears "duplicate" once it is.
        if (changed) this.unsynced.shift();
        for (const item of group) item.reject(error);
      },
    );
  }
}
