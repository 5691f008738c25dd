import Database from 'better-sqlite3';
import type { Mutation, MutationResult, PushResponse } from '../../shared/api';
import type { Specialist } from '../../shared/contract';
import type { Store } from '../store/store';
import { applyMutation, Conflict, Rejection } from './mutations';

/**
 * Applies one desk's batch in order, each mutation in its own savepoint together with its
 * (clientId, mutationId) row: a mutation is applied entirely or not at all, and a refused one
 * does not stop the next. Runs inside the caller's transaction.
 */
function applyMutations(store: Store, actor: Specialist, mutations: readonly Mutation[], now: Date): MutationResult[] {
  return mutations.map((m): MutationResult => {
    if (store.mutations.isApplied(m.clientId, m.mutationId)) return { mutationId: m.mutationId, status: 'duplicate' };
    try {
      const applied = store.transaction(() => {
        const outcome = applyMutation({ store, actor, clientId: m.clientId, now }, m);
        store.mutations.record(m.clientId, m.mutationId, now.toISOString());
        return outcome;
      });
      return { mutationId: m.mutationId, status: 'applied', ...(applied.case ? { case: applied.case } : {}) };
    } catch (error) {
      if (error instanceof Conflict) {
        return { mutationId: m.mutationId, status: 'conflict', fields: error.fields, case: error.current };
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
 * Group commit. Durable acknowledgement costs one fsync per commit (synchronous = FULL), and
 * better-sqlite3 blocks while it syncs; one commit per request would cap the server at a few
 * hundred pushes per second. So the pushes that arrive while the previous group commits are
 * applied together in one transaction — each push in its own savepoint, so one push's failure
 * leaves the others intact — and all of them are answered after that single commit.
 */
export class PushQueue {
  private queue: QueuedPush[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    /** Called once per group commit that changed something, with the newest seq. */
    private readonly onCommit: (seq: number) => void,
  ) {}

  push(actor: Specialist, mutations: readonly Mutation[]): Promise<PushResponse> {
    return new Promise((resolve, reject) => {
      this.queue.push({ actor, mutations, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    const { store } = this;
    const seqBefore = store.changes.latestSeq();
    const now = this.now();
    const outcomes: Array<{ results: MutationResult[] } | { error: unknown }> = [];
    try {
      store.transaction(() => {
        for (const item of group) {
          try {
            outcomes.push({ results: store.transaction(() => applyMutations(store, item.actor, item.mutations, now)) });
          } catch (error) {
            outcomes.push({ error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the group is durable, so nobody hears "applied".
      for (const item of group) item.reject(error);
      return;
    }
    const seq = store.changes.latestSeq();
    group.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome && 'results' in outcome) item.resolve({ results: outcome.results, seq });
      else item.reject(outcome?.error);
    });
    if (seq !== seqBefore) this.onCommit(seq);
  }
}
