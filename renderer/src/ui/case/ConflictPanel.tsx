/**
 * A conflict is never resolved silently: both versions side by side, and the specialist
 * chooses — keep mine (sent again against the version now seen) or take theirs (mine dropped).
 * A refused edit shows the server's reason in my language and is reverted.
 */
import { useT } from '../../i18n/typing';
import { useLanguage, useSession } from '../hooks';
import type { OutboxEntry } from '../../model/edits';
import { checkTransition, wantedFields } from '../../../../shared/index';
import { statusLabel } from '../../i18n/labels';
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
        const editorId = e.conflict?.editorId ?? null;
        const editor = editorId === null ? null : (session.store.directory.specialists.get(editorId)?.name ?? null);
        // "Keep mine" sends my edit again on their version: offered only where the flow allows it
        // from the status the case now has (a step two away would only be refused).
        const refusedMove =
          e.envelope.name === 'transition' && theirs
            ? checkTransition(theirs.category, theirs.status, e.envelope.args.to, { role: session.me.role, billingInformed: theirs.billingInformed, serviceLevel: theirs.serviceLevel })
            : { ok: true as const };
        return (
          <section key={e.mutationId} className="conflict" data-testid="conflict" role="alert">
            <h2>{t('case:conflict.title')}</h2>
            <p>
              {t('case:conflict.explain', { change: describeMutation(t, lang, e.envelope, session.store) })}
              {editor !== null && (
                <>
                  {' '}
                  <strong data-testid="conflict-editor">{t('case:conflict.by', { name: editor })}</strong>
                </>
              )}
            </p>
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
                    <td data-testid="conflict-mine">{fieldValue(t, lang, f, wanted[f], session.store, theirs?.category)}</td>
                    <td data-testid="conflict-theirs">{fieldValue(t, lang, f, theirs ? theirs[f as keyof typeof theirs] : undefined, session.store, theirs?.category)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {!refusedMove.ok && theirs && e.envelope.name === 'transition' && (
              <p className="warn" data-testid="conflict-not-allowed">
                {t('case:conflict.notAllowed', { from: statusLabel(theirs.status, lang, theirs.category), to: statusLabel(e.envelope.args.to, lang, theirs.category) })}{' '}
                {t(`errors:codes.${refusedMove.reason}`)}
              </p>
            )}
            <div className="row-actions">
              {refusedMove.ok && (
                <button type="button" className="primary" onClick={() => void session.outbox.keepMine(e)} data-testid="keep-mine">
                  {t('case:conflict.keepMine')}
                </button>
              )}
              <button type="button" className={refusedMove.ok ? 'secondary' : 'primary'} onClick={() => void session.outbox.discard(e)} data-testid="take-theirs">
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
