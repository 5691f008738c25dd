/**
 * The audit log's admin actions (lead's desk): account changes, resets, GDPR actions, imports,
 * settings — every row an admin action wrote, never the plain reads — newest first, a page at a
 * time, filtered by who, what and when; each row in the lead's language with its change as a
 * short diff.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AuditEntry } from '../../../../../shared/index';
import { useT } from '../../../i18n/typing';
import { errorMessage } from '../../errors';
import { useFormat, useSession } from '../../hooks';
import type { AuditFilter } from '../../../session/admin';
import type { LeadSectionProps } from '../sections';
import { FormError } from './shared';
import { actionLabel, ADMIN_FILTER_ACTIONS, detailText, useActorName } from './auditText';

const PAGE = 50;

/** A date input's day as the start of that day (local time), as an instant. */
const dayStart = (day: string): string | undefined => (day === '' ? undefined : new Date(`${day}T00:00:00`).toISOString());
const dayAfter = (day: string): string | undefined => {
  if (day === '') return undefined;
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + 1);
  return d.toISOString();
};

export default function AuditSection(_props: LeadSectionProps) {
  const { t } = useT();
  const session = useSession();
  const format = useFormat();
  const actorName = useActorName();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const filter = useMemo<AuditFilter>(
    () => ({
      ...(actor !== '' ? { specialistId: actor } : {}),
      ...(action !== '' ? { action } : {}),
      ...(from !== '' ? { from: dayStart(from) } : {}),
      ...(to !== '' ? { to: dayAfter(to) } : {}),
    }),
    [actor, action, from, to],
  );

  const load = useCallback(
    async (before: number | null) => {
      setBusy(true);
      setError(null);
      try {
        const page = await session.admin.auditPage(before === null ? filter : { ...filter, before }, PAGE);
        setEntries((current) => (before === null || current === null ? page.entries : [...current, ...page.entries]));
        setNext(page.next);
      } catch (err) {
        setError(errorMessage(t, err));
      } finally {
        setBusy(false);
      }
    },
    [session, filter, t],
  );
  useEffect(() => {
    void load(null);
  }, [load]);

  const people = useMemo(() => [...session.store.directory.specialists.values()].sort((a, b) => a.name.localeCompare(b.name)), [session]);
  const aboutText = (e: AuditEntry): string =>
    e.targetId !== null && session.store.directory.specialists.has(e.targetId)
      ? actorName({ specialistId: e.targetId, contactId: null })
      : e.contactId !== null
        ? t('admin:audit.person', { id: e.contactId.slice(0, 8) })
        : '';

  return (
    <div className="admin-section" data-testid="admin-audit">
      <h2>{t('admin:audit.title')}</h2>
      <p className="muted">{t('admin:audit.intro')}</p>
      <div className="admin-filters" role="group" aria-label={t('admin:audit.filters')}>
        <label>
          <span>{t('admin:audit.who')}</span>
          <select value={actor} onChange={(e) => setActor(e.target.value)} data-testid="audit-actor">
            <option value="">{t('admin:all')}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('admin:audit.what')}</span>
          <select value={action} onChange={(e) => setAction(e.target.value)} data-testid="audit-action">
            <option value="">{t('admin:all')}</option>
            {ADMIN_FILTER_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(t, a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('admin:audit.from')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          <span>{t('admin:audit.to')}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <FormError text={error} />
      {entries !== null && entries.length === 0 && <p className="muted">{t('admin:audit.none')}</p>}
      {entries !== null && entries.length > 0 && (
        <table className="admin-table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">{t('admin:audit.when')}</th>
              <th scope="col">{t('admin:audit.who')}</th>
              <th scope="col">{t('admin:audit.what')}</th>
              <th scope="col">{t('admin:audit.about')}</th>
              <th scope="col">{t('admin:audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                <td className="nowrap">{format.dateTime(Date.parse(e.at))}</td>
                <td>{actorName(e)}</td>
                <td>{actionLabel(t, e.action)}</td>
                <td>{aboutText(e)}</td>
                <td className="admin-detail">{detailText(t, e.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== null && (
        <button type="button" onClick={() => void load(next)} disabled={busy} data-testid="audit-more">
          {t('admin:audit.more')}
        </button>
      )}
    </div>
  );
}
