/**
 * Billed work: minutes logged, and the explicit "customer informed of billing" mark — the
 * customer is always told before billed work starts, and an order cannot leave the cost
 * proposal without it.
 */
import { useState } from 'react';
import { useT } from '../../i18n/typing';
import { isBillableCategory } from '../../../../shared/index';
import { useFormat } from '../hooks';
import type { DisplayRow } from '../../model/rows';
import { useAct } from './act';

export function BillingPanel({ row }: { row: DisplayRow }) {
  const { t } = useT();
  const fmt = useFormat();
  const { act, error } = useAct();
  const [minutes, setMinutes] = useState('');
  const billable = isBillableCategory(row.category);
  const value = Number(minutes);
  const valid = Number.isInteger(value) && value >= 1 && value <= 24 * 60;
  return (
    <section className={`panel ${billable ? 'billable' : ''}`}>
      <h2>{t('case:billing.title')}</h2>
      {!billable && <p className="muted small">{t('case:billing.freeSupport')}</p>}
      <p>
        {t('case:billing.minutes')}: <strong data-testid="billable-minutes">{fmt.minutes(row.billableMinutes)}</strong>
      </p>
      <form
        className="row-actions"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void act({ name: 'logMinutes', args: { caseId: row.id, minutes: value } }).then((ok) => ok && setMinutes(''));
        }}
      >
        <input
          type="number"
          min={1}
          max={1440}
          inputMode="numeric"
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          aria-label={t('case:billing.logMinutes')}
          placeholder={t('case:billing.minutesPlaceholder')}
          data-testid="minutes-input"
        />
        <button type="submit" className="secondary" disabled={!valid}>
          {t('case:billing.log')}
        </button>
      </form>
      {row.billingInformed ? (
        <p className="ok" data-testid="billing-informed">
          ✓ {t('case:billing.informed')}
        </p>
      ) : (
        <button type="button" className="secondary" onClick={() => void act({ name: 'markBillingInformed', args: { caseId: row.id } })} data-testid="mark-billing">
          {t('case:billing.markInformed')}
        </button>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
