/** Connection state, "last synced", and edits still on their way: always visible in the top bar. */
import { useT } from '../i18n/typing';
import { useFormat, useNow, useSession, useSignal, useStoreVersion } from './hooks';
import { isLive } from '../model/overlay';

export function StatusIndicator() {
  const { t } = useT();
  const session = useSession();
  const status = useSignal(session.status);
  const loaded = useSignal(session.loaded);
  useStoreVersion();
  const now = useNow();
  const fmt = useFormat();
  const pending = session.store.cases.outbox.filter(isLive).length;
  const attention = session.store.cases.outbox.length - pending;
  const online = status.connection === 'online';
  const last = status.lastSyncedAt ? Date.parse(status.lastSyncedAt) : null;
  const lastText =
    last === null
      ? t('sync:never')
      : now - last < 60_000
        ? t('sync:justNow')
        : t('sync:lastSynced', { time: now - last < 86_400_000 ? fmt.time(last) : fmt.dateTime(last) });
  return (
    <div
      className={`status ${online ? 'online' : 'offline'}`}
      data-testid="connection"
      data-state={status.connection}
      // For tests and the benchmark: how far the cache is synced, and whether it is all in memory.
      data-cursor={status.cursor ?? ''}
      data-cache={loaded ? 'ready' : 'loading'}
      aria-live="polite"
    >
      <span className="dot" aria-hidden="true" />
      <span className="status-text">
        <strong>{online ? t('sync:online') : t('sync:offline')}</strong>
        <span className="muted" data-testid="last-synced">
          {' · '}
          {lastText}
        </span>
      </span>
      {pending > 0 && (
        <span className="chip pending" data-testid="pending-count" title={t('sync:pendingTitle')}>
          {t('sync:pending', { count: pending })}
        </span>
      )}
      {attention > 0 && (
        <span className="chip danger" data-testid="attention-count">
          {t('sync:attention', { count: attention })}
        </span>
      )}
    </div>
  );
}
