/**
 * The sync worker: runs SyncWorkInline off the UI thread so fetching, JSON parsing, zod
 * validation and IndexedDB writes of a 100k-case bootstrap never cause a long task there.
 */
import { chunkDelta, type Delta } from '../cache/rows';
import { dataChannelName, type TabMessage } from './leader';
import { errorToData, type WorkRequest, type WorkResponse } from './protocol';
import { SyncWorkInline, type Progress } from './work';

/** Rows per message: small enough that deserialising one never blocks the receiving thread. */
const ROWS_PER_MESSAGE = 500;

interface WorkerScope {
  onmessage: ((e: MessageEvent<WorkRequest>) => void) | null;
  postMessage(message: WorkResponse): void;
}
const scope = self as unknown as WorkerScope;
let work: SyncWorkInline | null = null;
let tabs: BroadcastChannel | null = null;

function required(): SyncWorkInline {
  if (!work) throw new Error('sync worker used before init');
  return work;
}

scope.onmessage = (e) => {
  const req = e.data;
  const post = (msg: WorkResponse): void => scope.postMessage(msg);
  const postDelta = (delta: Delta, progress?: Progress): void => {
    for (const chunk of chunkDelta(delta, ROWS_PER_MESSAGE)) post({ id: req.id, type: 'delta', delta: chunk, ...(progress ? { progress } : {}) });
  };
  const run = async (): Promise<unknown> => {
    switch (req.type) {
      case 'init': {
        work?.close();
        tabs?.close();
        // Other tabs of this desk learn what was written straight from here, so the leading
        // tab's UI thread never serialises a page for them.
        const channel = new BroadcastChannel(dataChannelName(req.config.dbName));
        tabs = channel;
        work = new SyncWorkInline(req.config, (delta) => {
          for (const chunk of chunkDelta(delta, ROWS_PER_MESSAGE)) channel.postMessage({ type: 'delta', delta: chunk } satisfies TabMessage);
        });
        return undefined;
      }
      case 'token':
        required().setToken(req.token);
        return undefined;
      case 'load':
        return required().load(req.teams, (delta) => postDelta(delta));
      case 'bootstrap':
        return required().bootstrap(req.teams, (delta, progress) => postDelta(delta, progress));
      case 'pull':
        return required().pull((delta) => postDelta(delta));
    }
  };
  run().then(
    (result) => post({ id: req.id, type: 'done', result }),
    (error: unknown) => post({ id: req.id, type: 'error', error: errorToData(error) }),
  );
};
