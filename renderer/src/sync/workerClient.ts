/** SyncWork over a dedicated Web Worker: the browser's way to run sync/work.ts. */
import type { TeamId } from '../../../shared/index';
import syncWorkerUrl from './sync.worker.ts?worker&url';
import { decodeDelta, type Delta } from '../model/rows';
import { dataToError, type WorkRequest, type WorkResponse } from './protocol';
import type { Progress, SyncWork, WorkConfig } from './work';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Pending {
  onDelta?: (delta: Delta, progress?: Progress) => void;
  resolve: (result: unknown) => void;
  reject: (e: Error) => void;
}

/** The built worker's URL, also cached by the offline shell. */
export const SYNC_WORKER_URL: string = syncWorkerUrl;

export class SyncWorkWorker implements SyncWork {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(config: WorkConfig) {
    this.worker = new Worker(SYNC_WORKER_URL, { type: 'module', name: 'desk-sync' });
    this.worker.onmessage = (e: MessageEvent<WorkResponse>) => this.receive(e.data);
    void this.call({ type: 'init', config });
  }

  private receive(msg: WorkResponse): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'delta') {
      p.onDelta?.(decodeDelta(msg.text), msg.progress);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'done') p.resolve(msg.result);
    else p.reject(dataToError(msg.error));
  }

  private call(req: DistributiveOmit<WorkRequest, 'id'>, onDelta?: Pending['onDelta']): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { onDelta, resolve, reject });
      this.worker.postMessage({ ...req, id } as WorkRequest);
    });
  }

  async bootstrap(teams: readonly TeamId[], onPage: (delta: Delta, progress: Progress) => void): Promise<void> {
    await this.call({ type: 'bootstrap', teams: [...teams] }, (delta, progress) => onPage(delta, progress ?? { done: 0, total: 0 }));
  }

  async pull(onPage: (delta: Delta) => void): Promise<{ cursor: number; latestSeq: number }> {
    return (await this.call({ type: 'pull' }, (delta) => onPage(delta))) as { cursor: number; latestSeq: number };
  }

  setToken(token: string | null): void {
    void this.call({ type: 'token', token });
  }

  close(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('sync worker closed'));
    this.pending.clear();
  }
}
