/**
 * SLA alerts come from the server (server/escalation/): at each of the lead's points (30
 * minutes before and at breach by default, every level and category as configured) it notifies
 * the assignee and the team's leads, whether or not a desk was open at the time. Here each
 * escalation the leading tab receives becomes a desktop notification (once per escalation;
 * clicking it opens the case); every tab shows it among its notices (Notices.tsx). The queue's
 * due-soon colouring stays in the queue (model/slaView.ts).
 */
import { useEffect } from 'react';
import { useT, type DeskT } from '../i18n/typing';
import { useFormat, useSession, useSignal } from './hooks';
import { host } from '../platform/index';
import type { EscalationNotice } from '../session/escalations';
import { minutesOfPoint } from '../../../shared/index';

/** The notice's one line: "Ärende 123456 (nivå 1): 30 min kvar till hanteringsstart". */
export function escalationLine(t: DeskT, n: Pick<EscalationNotice, 'caseNumber' | 'level' | 'deadline' | 'point'>, minutes: (m: number) => string): string {
  const deadline = t(`escalation:deadline.${n.deadline}`);
  const before = minutesOfPoint(n.point);
  return before === null
    ? t('escalation:notice.breach', { number: n.caseNumber, level: n.level, deadline })
    : t('escalation:notice.before', { number: n.caseNumber, level: n.level, deadline, time: minutes(before) });
}

export function useSlaAlerts(): void {
  const { t } = useT();
  const session = useSession();
  const notices = useSignal(session.escalations.notices);
  const fmt = useFormat();

  useEffect(() => {
    for (const n of notices) {
      if (!n.notify) continue;
      session.escalations.notified(n.key);
      void host.notify({
        title: escalationLine(t, n, fmt.minutes),
        body: n.title,
        caseNumber: n.caseNumber,
        tag: `sla:${n.key}`,
      });
    }
  }, [notices, session, t, fmt]);
}
