/**
 * A simulated desk as the architecture describes it: every edit goes into a durable outbox
 * first, under one client id with increasing mutation ids, and leaves the outbox only when a push
 * answer says `applied` or `duplicate`. Anything else — a refused connection, a reset, a response
 * that never arrives, a 5xx — leaves it in the outbox, and the next push sends it again with the
 * same mutation id.
 */
import { randomUUID } from 'node:crypto';
import { ROUTES, type Mutation, type MutationBody, type MutationResult, type PushResponse } from '../../../shared/api';
import type { Rng } from '../../../server/demo/rng';
import { request } from '../../support/http';

/** A pause of a chosen length: when a retry or a fault happens, never a wait for something to be done. */
export const pause = (ms: number): Promise<void> => new Promise((resolvePause) => setTimeout(resolvePause, ms));

/**
 * What the test waits on while desks run: every push, answered or not, wakes it to look again,
 * so it waits as long as the machine needs and not a moment of wall-clock guesswork longer.
 */
export class Progress {
  private waiters: Array<() => void> = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once `predicate` holds; it is checked now and after every push of any desk sharing this. */
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await new Promise<void>((wake) => this.waiters.push(wake));
  }
}

export interface LoadDeskOptions {
  token: string;
  /** Where the server is now (the same URL across restarts). */
  url: () => string;
  rng: Rng;
  /** Mutations this desk makes in all. */
  target: number;
  /** The next edit this desk makes (name and args). */
  next: (desk: LoadDesk) => MutationBody;
  /** Share of pushes whose answer the desk stops waiting for after a few milliseconds. */
  droppedResponseRate?: number;
  maxBatch?: number;
  /** Told after every push. */
  progress?: Progress;
}

export class LoadDesk {
  readonly clientId = randomUUID();
  /** Not yet acknowledged, oldest first: what a desk's Dexie outbox would hold. */
  readonly outbox: Mutation[] = [];
  readonly acknowledged: Mutation[] = [];
  /** Every mutation this desk made, acknowledged or not, by mutation id. */
  readonly made = new Map<number, Mutation>();
  /** Answers that should never come for this load (conflict, rejected, an HTTP error status). */
  readonly unexpected: string[] = [];
  droppedResponses = 0;
  failedPushes = 0;
  private nextMutationId = 1;
  private target: number;

  constructor(private readonly options: LoadDeskOptions) {
    this.target = options.target;
  }

  get done(): boolean {
    return this.made.size >= this.target && this.outbox.length === 0;
  }

  /** Makes no further edits: `run` ends once what was made is acknowledged. */
  stopMaking(): void {
    this.target = this.made.size;
  }

  private make(): void {
    const body = this.options.next(this);
    const mutation = { clientId: this.clientId, mutationId: this.nextMutationId++, ...body } as Mutation;
    this.made.set(mutation.mutationId, mutation);
    this.outbox.push(mutation);
  }

  /** One push of the oldest outbox entries; true when the server answered. */
  async pushOnce(): Promise<boolean> {
    try {
      return await this.pushBatch();
    } finally {
      this.options.progress?.notify();
    }
  }

  private async pushBatch(): Promise<boolean> {
    const maxBatch = this.options.maxBatch ?? 8;
    while (this.outbox.length < maxBatch && this.made.size < this.target) this.make();
    if (this.outbox.length === 0) return true;
    const { rng } = this.options;
    const batch = this.outbox.slice(0, rng.int(1, maxBatch));
    const drop = rng.chance(this.options.droppedResponseRate ?? 0);
    let answer;
    try {
      answer = await request<PushResponse>(this.options.url(), 'POST', ROUTES.push, {
        token: this.options.token,
        json: { mutations: batch },
        timeoutMs: drop ? rng.int(1, 12) : 30_000,
      });
    } catch {
      if (drop) this.droppedResponses += 1;
      else this.failedPushes += 1;
      return false;
    }
    if (answer.status !== 200) {
      this.unexpected.push(`push answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      return false;
    }
    this.settle(answer.body.results);
    return true;
  }

  private settle(results: readonly MutationResult[]): void {
    for (const result of results) {
      const index = this.outbox.findIndex((m) => m.mutationId === result.mutationId);
      const mutation = this.outbox[index];
      if (!mutation) {
        this.unexpected.push(`an answer for mutation ${result.mutationId}, which is not in the outbox`);
        continue;
      }
      if (result.status === 'applied' || result.status === 'duplicate') {
        this.outbox.splice(index, 1);
        this.acknowledged.push(mutation);
      } else {
        // Not retried: a conflict or a refusal is final. The load is built so neither happens.
        this.outbox.splice(index, 1);
        this.unexpected.push(`mutation ${mutation.name} #${mutation.mutationId}: ${JSON.stringify(result).slice(0, 300)}`);
      }
    }
  }

  /** Pushes until everything made is acknowledged; waits a little after each failed push. */
  async run(shouldStop: () => boolean = () => false): Promise<void> {
    while (!this.done && !shouldStop()) {
      const answered = await this.pushOnce();
      if (!answered) await pause(this.options.rng.int(10, 60));
    }
  }
}
