/**
 * The category's flow as on the brochure's process diagram: every step, where the case is, and
 * the moves the rules allow from here — with the reason when the next step is refused (an order
 * whose customer is not yet informed of billing, a bug without a service level).
 */
import { useT } from '../../i18n/typing';
import { allowedTransitions, checkTransition, FLOWS, type StatusId } from '../../../../shared/index';
import { useLanguage, useSession } from '../hooks';
import type { DeskSession } from '../../session/session';
import type { DisplayRow } from '../../model/rows';
import { statusLabel } from '../../i18n/labels';
import { useAct } from './act';

function ctxOf(session: DeskSession, row: DisplayRow) {
  return { role: session.me.role, billingInformed: row.billingInformed, serviceLevel: row.serviceLevel };
}

/** `]` and `[`: one step forward or back, when the rules allow it. */
export async function stepTo(session: DeskSession, row: DisplayRow, dir: 1 | -1): Promise<void> {
  const flow = FLOWS[row.category];
  const to = flow[flow.indexOf(row.status) + dir];
  if (!to || !checkTransition(row.category, row.status, to, ctxOf(session, row)).ok) return;
  await session.enqueue({ name: 'transition', args: { caseId: row.id, to } });
}

const KIND_ORDER = { forward: 0, back: 1, close: 2 } as const;

export function FlowPanel({ row }: { row: DisplayRow }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  const { act, error } = useAct();
  const flow = FLOWS[row.category];
  const at = flow.indexOf(row.status);
  const ctx = ctxOf(session, row);
  const allowed = allowedTransitions(row.category, row.status, ctx);
  const next = flow[at + 1];
  const nextCheck = next ? checkTransition(row.category, row.status, next, ctx) : null;
  const move = (to: StatusId) => void act({ name: 'transition', args: { caseId: row.id, to } });
  const kind = (to: StatusId): keyof typeof KIND_ORDER => {
    const j = flow.indexOf(to);
    return j === at + 1 ? 'forward' : j === at - 1 ? 'back' : 'close';
  };

  return (
    <section className="panel flow" aria-label={t('case:flow.title')}>
      <h2>{t('case:flow.title')}</h2>
      <ol className="steps" data-testid="flow-steps">
        {flow.map((s, i) => (
          <li key={s} className={i < at ? 'done' : i === at ? 'current' : 'todo'} aria-current={i === at ? 'step' : undefined}>
            {statusLabel(s, lang, row.category)}
          </li>
        ))}
      </ol>
      <div className="actions">
        {allowed
          .slice()
          .sort((a, b) => KIND_ORDER[kind(a)] - KIND_ORDER[kind(b)])
          .map((to) => {
            const k = kind(to);
            return (
              <button
                key={to}
                type="button"
                className={k === 'forward' ? 'primary' : 'secondary'}
                onClick={() => move(to)}
                data-testid={`transition-${to}`}
                title={k === 'forward' ? ']' : k === 'back' ? '[' : undefined}
              >
                {k === 'back' ? `← ${statusLabel(to, lang, row.category)}` : k === 'forward' ? `${statusLabel(to, lang, row.category)} →` : t('case:flow.closeTo', { status: statusLabel(to, lang, row.category) })}
              </button>
            );
          })}
      </div>
      {next && nextCheck && !nextCheck.ok && nextCheck.reason !== 'not_adjacent' && (
        <p className="warn" data-testid="transition-refused">
          {t('case:flow.refusedNext', { status: statusLabel(next, lang, row.category) })} {t(`errors:codes.${nextCheck.reason}`)}
        </p>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
