/**
 * The sync worker: runs SyncWorkInline off the UI thread so fetching, JSON parsing, zod
 * validation and IndexedDB writes of a 100k-case bootstrap never cause a long task there.
 * It sends the UI deltas as the texts the cache stores (a thousand items each, see
 * cache/chunks.ts): small enough that decoding one never blocks the UI thread.
 */
import { dataChannelName, type TabMessage } from './leader';
import { errorToData, type WorkRequest, type WorkResponse } from './protocol';
import { SyncWorkInline, type Progress } from './work';

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
  const postText = (text: string, progress?: Progress): void => post({ id: req.id, type: 'delta', text, ...(progress ? { progress } : {}) });
  const run = async (): Promise<unknown> => {
    switch (req.type) {
      case 'init': {
        work?.close();
        tabs?.close();
        // Other tabs of this desk learn what was written straight from here, so the leading
        // tab's UI thread never serialises a page for them.
        const channel = new BroadcastChannel(dataChannelName(req.config.dbName));
        tabs = channel;
        work = new SyncWorkInline(req.config, (parts) => {
          for (const text of parts) channel.postMessage({ type: 'text', text } satisfies TabMessage);
        });
        return undefined;
      }
      case 'token':
        required().setToken(req.token);
        return undefined;
      case 'bootstrap':
        return required().bootstrapParts(req.teams, (text, progress) => postText(text, progress));
      case 'pull':
        return required().pullParts((text) => postText(text));
    }
  };
  run().then(
    (result) => post({ id: req.id, type: 'done', result }),
    (error: unknown) => post({ id: req.id, type: 'error', error: errorToData(error) }),
  );
};
