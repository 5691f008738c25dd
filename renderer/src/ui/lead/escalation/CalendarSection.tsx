/**
 * The lead's office calendar: an office's coming exceptions (an extra closed day, an early
 * closing) with a way to remove each, the past ones read only, and a form to add one. The list
 * is the store's (the feed brings every desk the same), so it follows changes made elsewhere.
 */
import { useId, useState, type FormEvent } from 'react';
import { addRefusal, closureStart, officeToday, removeRefusal, type CalendarException, type Office } from '../../../../../shared/index';
import { useT } from '../../../i18n/typing';
import { useFormat, useSession, useSignal, useStoreVersion } from '../../hooks';
import { errorMessage } from '../../errors';
import type { LeadSectionProps } from '../sections';

type Status = { kind: 'ok' | 'error'; text: string } | null;

export default function CalendarSection(_props: LeadSectionProps) {
  const { t } = useT();
  const fmt = useFormat();
  const session = useSession();
  useStoreVersion();
  const online = useSignal(session.status).connection === 'online';
  const [office, setOffice] = useState<Office>(session.me.office);
  const [date, setDate] = useState('');
  const [kind, setKind] = useState<'closed' | 'closesEarly'>('closed');
  const [closesAt, setClosesAt] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ date?: string; closesAt?: string }>({});
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const ids = { date: useId(), closesAt: useId(), dateError: useId(), timeError: useId(), intro: useId() };

  const now = new Date();
  const today = officeToday(office, now);
  const all = session.store.calendar.of(office);
  const coming = all.filter((e) => e.date >= today);
  const past = all.filter((e) => e.date < today).reverse();
  const name = (id: string) => session.store.directory.specialists.get(id)?.name ?? '?';
  const dateText = (e: CalendarException) => fmt.date(Date.parse(`${e.date}T12:00:00Z`));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: { date?: string; closesAt?: string } = {};
    if (!date) found.date = t('escalation:calendar.dateRequired');
    else if (addRefusal({ office, date }, new Date())) found.date = t('escalation:calendar.datePast');
    if (kind === 'closesEarly' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(closesAt)) found.closesAt = t('escalation:calendar.timeRequired');
    setErrors(found);
    if (found.date || found.closesAt) return;
    setBusy(true);
    setStatus(null);
    try {
      const e = await session.escalationAdmin.addException({ office, date, kind, closesAt: kind === 'closesEarly' ? closesAt : null, note: note.trim() });
      setStatus({ kind: 'ok', text: t('escalation:calendar.added', { date: dateText(e) }) });
      setDate('');
      setNote('');
      setClosesAt('');
    } catch (err) {
      setStatus({ kind: 'error', text: errorMessage(t, err) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (e: CalendarException) => {
    setBusy(true);
    setStatus(null);
    try {
      await session.escalationAdmin.removeException(e.id);
      setStatus({ kind: 'ok', text: t('escalation:calendar.removed', { date: dateText(e) }) });
    } catch (err) {
      setStatus({ kind: 'error', text: errorMessage(t, err) });
    } finally {
      setBusy(false);
    }
  };

  const what = (e: CalendarException) => (e.kind === 'closed' ? t('escalation:calendar.closedDay') : t('escalation:calendar.closesEarlyAt', { time: e.closesAt ?? '' }));

  return (
    <div className="lead-section calendar-section" data-testid="calendar-section">
      <h2>{t('escalation:calendar.title')}</h2>
      <p className="muted" id={ids.intro}>
        {t('escalation:calendar.intro')}
      </p>
      <label className="inline-field">
        <span>{t('escalation:calendar.office')}</span>
        <select value={office} onChange={(e) => setOffice(e.target.value as Office)} data-testid="calendar-office">
          <option value="SE">{t('common:officeState.title.SE')}</option>
          <option value="FI">{t('common:officeState.title.FI')}</option>
        </select>
      </label>

      <h3>{t('escalation:calendar.coming')}</h3>
      {coming.length === 0 ? (
        <p className="muted">{t('escalation:calendar.noneComing')}</p>
      ) : (
        <ul className="exception-list" data-testid="calendar-coming">
          {coming.map((e) => {
            const begun = removeRefusal(e, now) !== null;
            return (
              <li key={e.id} data-testid="calendar-exception">
                <strong>{dateText(e)}</strong> <span>{what(e)}</span>
                {e.note && <span className="muted"> – {e.note}</span>}
                <span className="muted small"> ({t('escalation:calendar.madeBy', { at: fmt.dateTime(Date.parse(e.createdAt)), name: name(e.createdBy) })})</span>
                {begun ? (
                  <span className="chip tiny">{t('escalation:calendar.begun')}</span>
                ) : (
                  <button type="button" className="ghost" disabled={busy || !online} onClick={() => void remove(e)} aria-label={t('escalation:calendar.removeLabel', { date: dateText(e) })} title={fmt.dateTime(closureStart(e).getTime())}>
                    {t('escalation:calendar.remove')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}

      <h3>{t('escalation:calendar.add')}</h3>
      {!online && <p className="banner warn">{t('escalation:calendar.offline')}</p>}
      <form className="account-form calendar-form" onSubmit={(e) => void submit(e)} noValidate>
        <label>
          <span>{t('escalation:calendar.date')}</span>
          <input
            type="date"
            name="date"
            min={today}
            value={date}
            onChange={(e) => setDate(e.target.value)}
            aria-invalid={errors.date ? true : undefined}
            aria-describedby={errors.date ? ids.dateError : undefined}
            data-testid="calendar-date"
          />
        </label>
        {errors.date && (
          <p className="error small" id={ids.dateError}>
            {errors.date}
          </p>
        )}
        <fieldset>
          <legend>{t('escalation:calendar.kind')}</legend>
          <label className="check">
            <input type="radio" name="kind" value="closed" checked={kind === 'closed'} onChange={() => setKind('closed')} /> {t('escalation:calendar.closed')}
          </label>
          <label className="check">
            <input type="radio" name="kind" value="closesEarly" checked={kind === 'closesEarly'} onChange={() => setKind('closesEarly')} data-testid="calendar-closes-early" />{' '}
            {t('escalation:calendar.closesEarly')}
          </label>
        </fieldset>
        {kind === 'closesEarly' && (
          <>
            <label>
              <span>{t('escalation:calendar.closesAt')}</span>
              <input
                type="time"
                name="closesAt"
                value={closesAt}
                onChange={(e) => setClosesAt(e.target.value)}
                aria-invalid={errors.closesAt ? true : undefined}
                aria-describedby={errors.closesAt ? ids.timeError : undefined}
                data-testid="calendar-closes-at"
              />
            </label>
            {errors.closesAt && (
              <p className="error small" id={ids.timeError}>
                {errors.closesAt}
              </p>
            )}
          </>
        )}
        <label>
          <span>{t('escalation:calendar.note')}</span>
          <input name="note" maxLength={500} value={note} placeholder={t('escalation:calendar.notePlaceholder')} onChange={(e) => setNote(e.target.value)} data-testid="calendar-note" />
        </label>
        {status && (
          <p className={status.kind === 'ok' ? 'ok' : 'error'} role={status.kind === 'ok' ? 'status' : 'alert'} data-testid="calendar-status">
            {status.text}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !online} data-testid="calendar-submit">
          {t('escalation:calendar.submit')}
        </button>
      </form>

      <h3>{t('escalation:calendar.past')}</h3>
      {past.length === 0 ? (
        <p className="muted">{t('escalation:calendar.nonePast')}</p>
      ) : (
        <ul className="exception-list past" data-testid="calendar-past">
          {past.map((e) => (
            <li key={e.id}>
              <strong>{dateText(e)}</strong> <span>{what(e)}</span>
              {e.note && <span className="muted"> – {e.note}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
