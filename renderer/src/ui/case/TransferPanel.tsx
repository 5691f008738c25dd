/** "If you end up wrong, we transfer you": the case moves to the other team, with a reason. */
import { useState } from 'react';
import { useT } from '../../i18n/typing';
import { otherTeam } from '../../../../shared/index';
import { useLanguage } from '../hooks';
import type { DisplayRow } from '../../model/rows';
import { teamName } from '../../i18n/labels';
import { useAct } from './act';

export function TransferPanel({ row }: { row: DisplayRow }) {
  const { t } = useT();
  const lang = useLanguage();
  const { act, error } = useAct();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const to = otherTeam(row.team);
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
      {!open ? (
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
