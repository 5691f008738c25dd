/**
 * A conflict is never resolved silently: both versions side by side, and the specialist
 * chooses — keep mine (sent again against the version now seen) or take theirs (mine dropped).
 * A refused edit shows the server's reason in my language and is reverted.
 */
import { useT } from '../../i18n/typing';
import { useLanguage, useSession } from '../hooks';
import type { OutboxEntry } from '../../model/edits';
import { wantedFields } from '../../../../shared/index';
import { codeMessage } from '../errors';
import { describeMutation, fieldName, fieldValue } from '../describe';

export function ConflictPanel({ entries }: { entries: readonly OutboxEntry[] }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  const conflicts = entries.filter((e) => e.state === 'conflict');
  const rejected = entries.filter((e) => e.state === 'rejected');
  if (conflicts.length === 0 && rejected.length === 0) return null;
  return (
    <div className="attention">
      {conflicts.map((e) => {
        const theirs = e.conflict?.theirs;
        const wanted: Record<string, unknown> = wantedFields(e.envelope);
        const fields = e.conflict?.fields ?? Object.keys(wanted);
        return (
          <section key={e.mutationId} className="conflict" data-testid="conflict" role="alert">
            <h2>{t('case:conflict.title')}</h2>
            <p>{t('case:conflict.explain', { change: describeMutation(t, lang, e.envelope, session.store) })}</p>
            <table>
              <thead>
                <tr>
                  <th>{t('case:conflict.field')}</th>
                  <th>{t('case:conflict.mine')}</th>
                  <th>{t('case:conflict.theirs')}</th>
                </tr>
              </thead>
              <tbody>
                {fields.map((f) => (
                  <tr key={f}>
                    <td>{fieldName(t, f)}</td>
                    <td data-testid="conflict-mine">{fieldValue(t, lang, f, wanted[f], session.store)}</td>
                    <td data-testid="conflict-theirs">{fieldValue(t, lang, f, theirs ? theirs[f as keyof typeof theirs] : undefined, session.store)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="row-actions">
              <button type="button" className="primary" onClick={() => void session.outbox.keepMine(e)} data-testid="keep-mine">
                {t('case:conflict.keepMine')}
              </button>
              <button type="button" className="secondary" onClick={() => void session.outbox.discard(e)} data-testid="take-theirs">
                {t('case:conflict.takeTheirs')}
              </button>
            </div>
          </section>
        );
      })}
      {rejected.map((e) => (
        <section key={e.mutationId} className="rejected" data-testid="rejected" role="alert">
          <p>
            <strong>{t('case:rejected.title', { change: describeMutation(t, lang, e.envelope, session.store) })}</strong>{' '}
            {e.error ? codeMessage(t, e.error.code, e.error.field) : ''}
          </p>
          <button type="button" className="secondary" onClick={() => void session.outbox.discard(e)} data-testid="rejected-ok">
            {t('case:rejected.dismiss')}
          </button>
        </section>
      ))}
    </div>
  );
}
