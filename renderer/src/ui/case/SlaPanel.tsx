/**
 * The service level of a bug: phase, deadlines in the office's calendar, remaining business
 * time. What the row already knows (its cached deadline) paints at once; the full state from
 * shared/sla.ts is computed once the case has been painted (`painted`, see CaseDetail), because
 * for an old case it walks the office calendar across months — a number typed during a call
 * must show its case first. It runs in an effect of that second render, a task of its own after
 * the first frame, not in the task that follows the frame (that one belongs to the paint).
 */
import { useEffect, useState } from 'react';
import { OFFICE_TIME_ZONE, resolutionTarget, slaState, type ResolutionTarget, type SlaStatus } from '../../../../shared/index';
import { useFormat, useNow } from '../hooks';
import type { DisplayRow } from '../../model/rows';
import { slaRemaining } from '../../model/slaView';
import { useT } from '../../i18n/typing';

type Full = { status: Extract<SlaStatus, { applies: true }>; target: ResolutionTarget };

export function SlaPanel({ row, painted }: { row: DisplayRow; painted: boolean }) {
  const { t } = useT();
  const fmt = useFormat();
  const now = useNow();
  const [full, setFull] = useState<Full | null>(null);
  const level = row.serviceLevel;
  const applies = row.category === 'bug' && level !== null;

  useEffect(() => {
    if (!painted || !applies || level === null) return;
    const status = slaState(
      {
        office: row.office,
        category: row.category,
        serviceLevel: level,
        registeredAt: new Date(row.registeredAt),
        handlingStartedAt: row.handlingStartedAt === null ? null : new Date(row.handlingStartedAt),
        resolvedAt: row.resolvedAt === null ? null : new Date(row.resolvedAt),
      },
      new Date(now),
    );
    if (status.applies) setFull({ status, target: resolutionTarget(new Date(row.registeredAt), level, row.office) });
  }, [painted, applies, level, row.office, row.category, row.registeredAt, row.handlingStartedAt, row.resolvedAt, now]);

  if (row.category !== 'bug') {
    return (
      <section className="panel">
        <h2>{t('case:sla.title')}</h2>
        <p className="muted small">{t('case:sla.notApplicable')}</p>
      </section>
    );
  }
  if (level === null) {
    return (
      <section className="panel">
        <h2>{t('case:sla.title')}</h2>
        <p className="warn small">{t('case:sla.noLevel')}</p>
      </section>
    );
  }
  const quick = slaRemaining(row, now);
  const state = full?.status.state ?? quick?.tone ?? 'met';
  const phase = full?.status.phase ?? (row.resolvedAt !== null ? 'done' : row.handlingStartedAt === null ? 'handling' : 'resolution');
  // Deadlines are in the case office's calendar; say which zone when it is not mine.
  const zone = OFFICE_TIME_ZONE[row.office] !== fmt.timeZone ? ` (${t(`common:office.${row.office}`)})` : '';
  const remaining = full ? fmt.minutes(full.status.remainingBusinessMinutes) : quick?.minutes != null ? fmt.minutes(quick.minutes) : '…';
  return (
    <section className={`panel sla-panel ${state}`} data-testid="sla-panel" data-state={state}>
      <h2>
        {t('case:sla.title')} · {t('case:levelChip', { level })}
      </h2>
      <p className={`sla-state ${state}`}>
        <strong>{t(`case:sla.state.${state}`)}</strong> · {t(`case:sla.phase.${phase}`)}
      </p>
      {phase !== 'done' && (
        <p>
          {t('case:sla.remaining')}: <strong>{remaining}</strong> <span className="muted small">{t('case:sla.businessTime')}</span>
        </p>
      )}
      <dl className="facts">
        <dt>{t('case:sla.handlingDeadline')}</dt>
        <dd>
          {full ? fmt.dateTime(full.status.handlingDeadline.getTime()) : '…'}
          {zone}
          {full?.status.handlingBreached && <span className="chip danger tiny">{t('case:sla.late')}</span>}
        </dd>
        <dt>{t('case:sla.resolutionDeadline')}</dt>
        <dd>
          {full?.target.earliest && `${t('case:sla.earliest', { date: fmt.shortDate(full.target.earliest.getTime()) })} – `}
          {full ? fmt.dateTime(full.target.deadline.getTime()) : '…'}
          {zone}
        </dd>
      </dl>
      <p className="muted small">{t('case:sla.calendar', { office: t(`common:office.${row.office}`) })}</p>
    </section>
  );
}
