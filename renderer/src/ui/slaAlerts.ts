/**
 * A level 1–2 bug about to miss its handling deadline raises a notification (once per case),
 * from the tab that leads only, so several windows do not ring several times.
 */
import { useEffect, useRef } from 'react';
import { useT } from '../i18n/typing';
import { useNow, useSession, useSignal } from './hooks';
import { DEFAULT_SORT } from '../model/queue';
import { host } from '../platform/index';
import { isUrgentBug } from '../../../shared/index';

/** How long before the handling deadline to warn. A desk preference, not a domain rule. */
export const SLA_ALERT_LEAD_MS = 30 * 60_000;

export function useSlaAlerts(): void {
  const { t } = useT();
  const session = useSession();
  const leading = useSignal(session.leading);
  const teams = useSignal(session.teams);
  const now = useNow();
  const warned = useRef(new Set<string>());

  useEffect(() => {
    if (!leading) return;
    // Open cases by deadline, soonest first: only the head up to the warning window is read
    // (this runs on every team switch, before it is painted).
    for (const row of session.store.queue.rows('open', DEFAULT_SORT)) {
      if (row.deadlineAt === null || row.deadlineAt - now > SLA_ALERT_LEAD_MS) break;
      if (!isUrgentBug(row)) continue;
      if (row.status === 'closed' || row.handlingStartedAt !== null || row.deadlineAt === null) continue;
      if (!teams.includes(row.team) || warned.current.has(row.id)) continue;
      const left = row.deadlineAt - now;
      if (left <= 0 || left > SLA_ALERT_LEAD_MS) continue;
      warned.current.add(row.id);
      void host.notify({
        title: t('case:sla.alertTitle', { number: row.number, level: row.serviceLevel }),
        body: row.title,
        caseNumber: row.number,
        tag: `sla:${row.id}`,
      });
    }
  }, [leading, teams, now, session, t]);
}
