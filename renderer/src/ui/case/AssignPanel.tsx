/**
 * Assignment. A specialist takes unassigned cases and hands on their own; reassigning a
 * colleague's case is for leads (the server enforces it; the desk does not offer it).
 */
import { mayReassign } from '../../../../shared/index';
import { useT } from '../../i18n/typing';
import { useSession } from '../hooks';
import type { DeskSession } from '../../session/session';
import type { DisplayRow } from '../../model/rows';
import { useAct } from './act';

/** `a`: assign to me. */
export async function assignToMe(session: DeskSession, row: DisplayRow): Promise<void> {
  if (row.assigneeId === session.me.id || !mayReassign(row.assigneeId, session.me)) return;
  await session.enqueue({ name: 'assign', args: { caseId: row.id, assigneeId: session.me.id } });
}

export function AssignPanel({ row }: { row: DisplayRow }) {
  const { t } = useT();
  const session = useSession();
  const { act, error } = useAct();
  const assignee = row.assigneeId ? session.store.directory.specialists.get(row.assigneeId) : undefined;
  const may = mayReassign(row.assigneeId, session.me);
  const colleagues = [...session.store.directory.specialists.values()]
    .filter((s) => s.active && s.teams.includes(row.team))
    .sort((a, b) => a.name.localeCompare(b.name));
  const assign = (assigneeId: string | null) => void act({ name: 'assign', args: { caseId: row.id, assigneeId } });
  return (
    <section className="panel">
      <h2>{t('case:assign.title')}</h2>
      <p data-testid="case-assignee">{assignee ? assignee.name : <span className="muted">{t('case:assign.nobody')}</span>}</p>
      {may && (
        <div className="row-actions">
          {row.assigneeId !== session.me.id && (
            <button type="button" className="secondary" onClick={() => assign(session.me.id)} data-testid="assign-me" title="a">
              {t('case:assign.toMe')}
            </button>
          )}
          <select
            aria-label={t('case:assign.other')}
            value={row.assigneeId ?? ''}
            onChange={(e) => assign(e.target.value === '' ? null : e.target.value)}
            data-testid="assign-select"
          >
            <option value="">{t('case:assign.nobody')}</option>
            {colleagues.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {!may && <p className="muted small">{t('case:assign.leadOnly')}</p>}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
