/** The parts of a case that are not in the in-memory row: the full record and the timeline. */
import { useEffect, useState } from 'react';
import type { Case, CaseEvent } from '../../../../shared/index';
import type { CaseRow } from '../../model/rows';
import { useSession, useSignal, useStoreVersion } from '../hooks';

/** The full case from IndexedDB, re-read when the row's version changes. */
export function useFullCase(row: Pick<CaseRow, 'id' | 'version' | 'slice'> | undefined): Case | null {
  const { details } = useSession();
  const [full, setFull] = useState<Case | null>(null);
  const id = row?.id;
  const version = row?.version;
  const slice = row?.slice ?? null;
  useEffect(() => {
    if (id === undefined || version === undefined) return;
    let live = true;
    void details.fullCase({ id, version, slice }).then(
      (c) => live && setFull(c ?? null),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [details, id, version, slice]);
  return full;
}

export type TimelineSource = 'loading' | 'server' | 'cache-offline' | 'cache-error';

/**
 * The timeline: what the cache has at once, then the server's full list when online (kept in
 * the cache for next time). Offline, the cached part is shown and labelled as such.
 */
export function useTimeline(id: string, onServer: boolean): { events: CaseEvent[]; source: TimelineSource } {
  const session = useSession();
  useStoreVersion();
  const status = useSignal(session.status);
  const timelineVersion = session.store.timelines.versionOf(id);
  const [events, setEvents] = useState<CaseEvent[]>([]);
  const [source, setSource] = useState<TimelineSource>('loading');
  const online = status.connection === 'online';

  useEffect(() => {
    let live = true;
    void session.details.cachedTimeline(id).then(
      (list) => live && setEvents(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [session, id, timelineVersion]);

  useEffect(() => {
    if (!online || !onServer) {
      setSource(onServer ? 'cache-offline' : 'server');
      return;
    }
    let live = true;
    session.details.fetchTimeline(id).then(
      () => live && setSource('server'),
      () => live && setSource('cache-error'),
    );
    return () => {
      live = false;
    };
  }, [session, id, online, onServer]);

  return { events, source };
}
