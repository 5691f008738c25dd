/** "If you end up wrong, we transfer you": the case moves to the other team, with a reason. */
import { useState } from 'react';
import { useT } from '../../i18n/typing';
import { mayTransfer, otherTeam } from '../../../../shared/index';
import { useLanguage, useSession } from '../hooks';
import type { DisplayRow } from '../../model/rows';
import { teamName } from '../../i18n/labels';
import { useAct } from './act';

export function TransferPanel({ row }: { row: DisplayRow }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  const { act, error } = useAct();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const to = otherTeam(row.team);
  // A colleague who holds the case and does not serve the other team keeps it: theirs or a lead's to send.
  const may = mayTransfer(row, to, session.me, (id) => session.store.directory.specialists.get(id)?.teams);
  const submit = async () => {
    if (reason.trim() === '') return;
    if (await act({ name: 'transfer', args: { caseId: row.id, toTeam: to, reason: reason.trim() } })) {
      setOpen(false);
      setReason('');
    }
  };
  return (
    <section className="panel">
      <h2>{t('case:transfer.title')}</h2>
      {!may ? (
        <p className="muted small" data-testid="transfer-held">
          {t('case:transfer.heldByColleague', { team: to })}
        </p>
      ) : !open ? (
        <button type="button" id="transfer-open" className="secondary" onClick={() => setOpen(true)} data-testid="transfer-open" title="t">
          {t('case:transfer.to', { team: to })}
        </button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <p className="muted small">{teamName(to, lang)}</p>
          <label>
            <span>{t('case:transfer.reason')}</span>
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} required autoFocus data-testid="transfer-reason" />
          </label>
          <div className="row-actions">
            <button type="submit" className="primary" disabled={reason.trim() === ''}>
              {t('case:transfer.confirm', { team: to })}
            </button>
            <button type="button" className="ghost" onClick={() => setOpen(false)}>
              {t('common:cancel')}
            </button>
          </div>
        </form>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
