/** The parts of a case that are not in the in-memory row: the full record and the timeline. */
import { useEffect, useState } from 'react';
import { CaseDetailSchema, ROUTES, type Case, type CaseEvent } from '../../../../shared/index';
import { useSession, useSignal, useStoreVersion } from '../../app/hooks';

/** The full case from IndexedDB, re-read when the row's version changes. */
export function useFullCase(id: string, version: number | undefined): Case | null {
  const { db } = useSession();
  const [full, setFull] = useState<Case | null>(null);
  useEffect(() => {
    let live = true;
    void db.cases.get(id).then(
      (c) => live && setFull(c ?? null),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [db, id, version]);
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
  const timelineVersion = session.store.timelineVersion(id);
  const [events, setEvents] = useState<CaseEvent[]>([]);
  const [source, setSource] = useState<TimelineSource>('loading');
  const online = status.connection === 'online';

  useEffect(() => {
    let live = true;
    void session.db.events
      .where('caseId')
      .equals(id)
      .toArray()
      .then(
        (list) => live && setEvents(list.sort((a, b) => a.at.localeCompare(b.at))),
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
    session.api.get(ROUTES.caseEvents(id), CaseDetailSchema.pick({ events: true })).then(
      async ({ events: fresh }) => {
        await session.db.events.bulkPut(fresh);
        if (!live) return;
        setSource('server');
        session.store.touchTimeline(id);
      },
      () => live && setSource('cache-error'),
    );
    return () => {
      live = false;
    };
  }, [session, id, online, onServer]);

  return { events, source };
}
