/**
 * Colleagues' presence: initials badges in a queue row, the names in the case header, and a
 * marker beside an assignee on a call. Each subscribes to its own case or colleague only
 * (store/presence.ts), so a presence message re-renders the rows it is about, not the queue.
 */
import { memo, useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useT } from '../i18n/typing';
import { initialsOf, type CasePresence } from '../store/presence';
import { useSession } from './hooks';

export function useCasePresence(caseId: string): readonly CasePresence[] {
  const board = useSession().store.presence;
  const subscribe = useCallback((l: () => void) => board.subscribeCase(caseId, l), [board, caseId]);
  return useSyncExternalStore(subscribe, () => board.ofCase(caseId));
}

function useOnCall(specialistId: string | null): boolean {
  const board = useSession().store.presence;
  const subscribe = useCallback((l: () => void) => (specialistId ? board.subscribeSpecialist(specialistId, l) : () => undefined), [board, specialistId]);
  return useSyncExternalStore(subscribe, () => (specialistId ? board.onCall(specialistId) : false));
}

/** Who else is in the case, as initials in the queue row (at most three, then "+n"). */
export const PresenceBadges = memo(function PresenceBadges({ caseId }: { caseId: string }) {
  const { t } = useT();
  const here = useCasePresence(caseId);
  if (here.length === 0) return null;
  const shown = here.slice(0, 3);
  const label = (p: CasePresence) =>
    t(p.editing ? 'case:presence.editing' : 'case:presence.viewing', { name: p.name }) + (p.onCall ? ` (${t('case:presence.onCall')})` : '');
  return (
    <span className="presence-badges" data-testid="presence-badges">
      {shown.map((p) => (
        <span
          key={p.specialistId}
          role="img"
          className={`presence-badge${p.editing ? ' editing' : ''}`}
          aria-label={label(p)}
          title={label(p)}
          data-testid="presence-badge"
          data-editing={p.editing}
        >
          {initialsOf(p.name)}
        </span>
      ))}
      {here.length > shown.length && (
        <span role="img" className="presence-badge more" aria-label={here.slice(3).map(label).join(', ')}>
          +{here.length - shown.length}
        </span>
      )}
    </span>
  );
});

/** A ☎ beside an assignee who is on a call now. */
export const OnCallMark = memo(function OnCallMark({ specialistId, name }: { specialistId: string | null; name: string | undefined }) {
  const { t } = useT();
  const onCall = useOnCall(specialistId);
  if (!onCall || !name) return null;
  return (
    <span role="img" className="on-call-mark" aria-label={t('queue:assigneeOnCall', { name })} title={t('queue:assigneeOnCall', { name })} data-testid="on-call-mark">
      ☎
    </span>
  );
});

/**
 * The case header's line of who else has the case open ("Anna Lindqvist is viewing", "… is
 * writing"), and a notice when someone was already writing in it as it opened: said at once, in a
 * polite live region, before any edit could clash.
 */
export function CasePresenceLine({ caseId }: { caseId: string }) {
  const { t } = useT();
  const here = useCasePresence(caseId);
  // Filled after mounting, so that screen readers hear a region that changes, not one that appears.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const writer = here.find((p) => p.editing);
  return (
    <div className="case-presence">
      {here.length > 0 && (
        <ul className="presence-list" aria-label={t('case:presence.heading')} data-testid="case-presence">
          {here.map((p) => (
            <li key={p.specialistId} className={p.editing ? 'editing' : ''} data-editing={p.editing}>
              <span className={`presence-badge${p.editing ? ' editing' : ''}`} aria-hidden="true">
                {initialsOf(p.name)}
              </span>{' '}
              {t(p.editing ? 'case:presence.editing' : 'case:presence.viewing', { name: p.name })}
              {p.onCall && <span className="muted"> · ☎ {t('case:presence.onCall')}</span>}
            </li>
          ))}
        </ul>
      )}
      <p className="presence-notice" role="status" aria-live="polite" data-testid="presence-notice">
        {mounted && writer ? t('case:presence.alreadyEditing', { name: writer.name }) : ''}
      </p>
    </div>
  );
}
