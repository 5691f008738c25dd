/** Edits that need the specialist (conflicts, refusals), wherever they are: one line, each with a way there. */
import { memo } from 'react';
import { useT } from '../i18n/typing';
import { useFormat, useLanguage, useSession, useSignal, useStoreVersion } from './hooks';
import { escalationLine } from './slaAlerts';
import type { DisplayRow } from '../model/rows';
import { describeMutation } from './describe';
import { codeMessage } from './errors';

/** Memoised: it follows the session itself, not the desk's route. */
export const Notices = memo(NoticesView);

function NoticesView({ onOpen }: { onOpen: (row: DisplayRow) => void }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  useStoreVersion();
  const attention = session.store.cases.outbox.filter((e) => e.state === 'conflict' || e.state === 'rejected');
  const escalations = useSignal(session.escalations.notices);
  const fmt = useFormat();
  if (attention.length === 0 && escalations.length === 0) return null;
  return (
    <div className="notices" role="status" data-testid="notices">
      {escalations.map((n) => {
        const row = session.store.cases.get(n.caseId) ?? session.store.cases.byNumber(n.caseNumber);
        return (
          <div key={n.key} className={`notice escalation${n.point === 'breach' ? ' breach' : ''}`} data-testid="escalation-notice">
            <span>
              {escalationLine(t, n, fmt.minutes)} <span className="muted">{n.title}</span>
            </span>
            {row && (
              <button type="button" className="link" onClick={() => onOpen(row)}>
                {t('escalation:notice.open', { number: n.caseNumber })}
              </button>
            )}
            <button type="button" className="link" onClick={() => session.escalations.dismiss(n.key)} aria-label={`${t('escalation:notice.dismiss')} – ${n.caseNumber}`}>
              {t('escalation:notice.dismiss')}
            </button>
          </div>
        );
      })}
      {attention.map((e) => {
        const row = e.caseId ? session.store.cases.get(e.caseId) : undefined;
        const what = describeMutation(t, lang, e.envelope, session.store);
        return (
          <div key={e.mutationId} className={`notice ${e.state}`}>
            <span>
              {e.state === 'conflict' ? t('sync:notice.conflict', { change: what }) : t('sync:notice.rejected', { change: what })}
              {e.state === 'rejected' && e.error ? ` ${codeMessage(t, e.error.code, e.error.field)}` : ''}
            </span>
            {row ? (
              <button type="button" className="link" onClick={() => onOpen(row)}>
                {t('sync:notice.open', { number: row.number })}
              </button>
            ) : (
              <button type="button" className="link" onClick={() => void session.outbox.discard(e)}>
                {t('case:rejected.dismiss')}
              </button>
            )}
          </div>
        );
      })}
    </div>
  );
}
