/**
 * Support login (Supportinloggning / Tukikirjautuminen): the SuperUser gives SoftOne's product
 * specialists a login to the company's system, sees when the one in force ends (in the office's
 * time zone, in the customer's language) and ends it early after a confirmation; the earlier ones
 * are listed below. The end shown before granting is the server's own rule (shared/grants.ts
 * grantExpiry): Sweden 8 working hours, on a Friday 24 or 72 hours; Finland the hours chosen.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { ROUTES } from '../../../shared/api';
import { OFFICE_TIME_ZONE } from '../../../shared/calendar';
import type { CentreMe } from '../../../shared/centre';
import {
  CentreGrantRequestSchema,
  CentreGrantResponseSchema,
  CentreGrantsResponseSchema,
  laterGrantState,
  type CentreGrant,
  type CentreGrantRequest,
} from '../../../shared/centreGrants';
import { FI_GRANT_HOURS_MAX, FI_GRANT_HOURS_MIN, FRIDAY_GRANT_HOURS, fridayChoiceApplies, grantExpiry, nextGrantChange, type FridayGrantHours } from '../../../shared/grants';
import { ApiFailure, call } from './api';
import { useCentreLiveGrants } from './live';
import './grants.css';
import { useErrorText } from './util';

/** The menu's link to the screen. */
export function GrantsLink(): ReactElement {
  const { t } = useTranslation('grants');
  return <a href="#/grants">{t('nav')}</a>;
}

/** A time in the customer's language and the customer's office's time zone. */
function useOfficeTime(me: CentreMe): (at: string | Date) => string {
  const { i18n } = useTranslation();
  const zone = OFFICE_TIME_ZONE[me.customer.country];
  return useCallback(
    (at: string | Date) =>
      new Intl.DateTimeFormat(i18n.language === 'fi' ? 'fi-FI' : 'sv-SE', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone }).format(typeof at === 'string' ? new Date(at) : at),
    [i18n.language, zone],
  );
}

/**
 * Now, read at every render; rendered again every half minute and when a listed grant next
 * begins or ends (a fresh listing renders too, so its states are never judged by an old clock).
 */
function useNow(grants: readonly CentreGrant[] | null): Date {
  const [tick, setTick] = useState(0);
  const now = new Date();
  useEffect(() => {
    const at = new Date();
    const next = grants ? nextGrantChange(grants, at) : null;
    const wait = Math.min(30_000, next === null ? 30_000 : Math.max(0, next.getTime() - at.getTime()) + 50);
    const timer = setTimeout(() => setTick((n) => n + 1), wait);
    return () => clearTimeout(timer);
  }, [grants, tick]);
  return now;
}

type Field = 'durationHours' | 'fridayHours';

export function Grants({ me }: { me: CentreMe }): ReactElement {
  const { t } = useTranslation('grants');
  const errorText = useErrorText();
  const time = useOfficeTime(me);
  const ids = useId();
  const [grants, setGrants] = useState<CentreGrant[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [hours, setHours] = useState('8');
  const [fridayHours, setFridayHours] = useState<FridayGrantHours>(24);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ text: string; field?: Field } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const endRef = useRef<HTMLButtonElement>(null);
  const now = useNow(grants);

  const load = useCallback(async (): Promise<void> => {
    try {
      setGrants((await call('GET', ROUTES.centreGrants, CentreGrantsResponseSchema)).grants);
      setLoadError(null);
    } catch (error) {
      setLoadError(errorText(error));
    }
  }, [errorText]);
  useEffect(() => {
    void load();
  }, [load]);
  // A grant recorded or ended on a desk, or given by another SuperUser: shown without a reload
  // (the notices come debounced; a failed refresh keeps what is shown and says why).
  useCentreLiveGrants(() => void load());
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const office = me.customer.country;
  const finnish = office === 'FI';
  const friday = fridayChoiceApplies(office, 'support', now);
  const request: CentreGrantRequest = finnish ? { kind: 'support', durationHours: Number(hours) } : friday ? { kind: 'support', fridayHours } : { kind: 'support' };
  const parsed = CentreGrantRequestSchema.safeParse(request);
  let preview: Date | null = null;
  if (parsed.success && (!finnish || hours.trim() !== '')) {
    try {
      preview = grantExpiry({ office, kind: 'support', grantedAt: now, durationHours: parsed.data.durationHours, fridayHours: parsed.data.fridayHours });
    } catch {
      preview = null;
    }
  }

  const withState = (grants ?? []).map((g) => ({ ...g, state: laterGrantState(g, now) }));
  // The one in force that ends last.
  const active = withState.filter((g) => g.state === 'active').sort((a, b) => b.expiresAt.localeCompare(a.expiresAt))[0] ?? null;
  const earlier = withState.filter((g) => g.id !== active?.id);

  const fieldText = (error: unknown): { text: string; field?: Field } => {
    const field = error instanceof ApiFailure ? error.field : undefined;
    if (field === 'durationHours' || field === 'fridayHours') return { text: t(`errors.${field}`), field };
    if (error instanceof ApiFailure && error.code === 'not_found') return { text: t('errors.not_found') };
    return { text: errorText(error) };
  };

  const give = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setNotice(null);
    if (!parsed.success || preview === null) {
      setFailure({ text: t('errors.durationHours'), field: 'durationHours' });
      document.getElementById(`${ids}-hours`)?.focus();
      return;
    }
    setFailure(null);
    setBusy(true);
    try {
      const { grant } = await call('POST', ROUTES.centreGrants, CentreGrantResponseSchema, parsed.data);
      setNotice(t('given', { time: time(grant.expiresAt) }));
      await load();
    } catch (error) {
      setFailure(fieldText(error));
    } finally {
      setBusy(false);
    }
  };

  const end = async (id: string): Promise<void> => {
    setBusy(true);
    setNotice(null);
    try {
      await call('DELETE', ROUTES.centreGrant(id), CentreGrantResponseSchema);
      setConfirming(false);
      setNotice(t('ended'));
      await load();
    } catch (error) {
      setFailure(fieldText(error));
    } finally {
      setBusy(false);
    }
  };

  const hoursInvalid = finnish && (failure?.field === 'durationHours' || !parsed.success);

  return (
    <section className="grants">
      <h1>{t('heading')}</h1>
      <p>{t('intro')}</p>
      {loadError && <p role="alert" className="error">{loadError}</p>}
      <p role="status" className="done">{notice ?? ''}</p>

      <section className="card grant-now" aria-labelledby={`${ids}-now`} data-testid="centre-grant-active">
        <h2 id={`${ids}-now`}>{t('current')}</h2>
        {grants === null && !loadError ? (
          <p aria-busy="true" />
        ) : active ? (
          <>
            <p className="grant-until" data-expires-at={active.expiresAt}>{t('activeUntil', { time: time(active.expiresAt) })}</p>
            <p className="hint">{t('activeBy', { name: active.grantedBy ?? '–', time: time(active.grantedAt) })}</p>
            {!confirming ? (
              <button ref={endRef} type="button" className="secondary" onClick={() => setConfirming(true)} disabled={busy}>
                {t('end')}
              </button>
            ) : (
              <div className="confirm" role="group" aria-labelledby={`${ids}-confirm`}>
                <p id={`${ids}-confirm`} className="warning">{t('confirmEnd')}</p>
                <div className="buttons">
                  <button ref={confirmRef} type="button" className="danger" onClick={() => void end(active.id)} disabled={busy}>
                    {t('confirmYes')}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => {
                      setConfirming(false);
                      requestAnimationFrame(() => endRef.current?.focus());
                    }}
                  >
                    {t('cancel')}
                  </button>
                </div>
              </div>
            )}
          </>
        ) : (
          <p className="none">{t('none')}</p>
        )}
      </section>

      <section className="card" aria-labelledby={`${ids}-give`}>
        <h2 id={`${ids}-give`}>{t('give')}</h2>
        <form onSubmit={(e) => void give(e)} noValidate>
          {finnish ? (
            <>
              <label htmlFor={`${ids}-hours`}>{t('hoursLabel')}</label>
              <p id={`${ids}-hours-hint`} className="hint">{t('hoursHint', { min: FI_GRANT_HOURS_MIN, max: FI_GRANT_HOURS_MAX })}</p>
              <input
                id={`${ids}-hours`}
                type="number"
                inputMode="numeric"
                min={FI_GRANT_HOURS_MIN}
                max={FI_GRANT_HOURS_MAX}
                step={1}
                value={hours}
                aria-invalid={hoursInvalid}
                aria-describedby={`${ids}-hours-hint ${ids}-preview`}
                onChange={(e) => setHours(e.target.value)}
              />
            </>
          ) : friday ? (
            <fieldset>
              <legend>{t('fridayLegend')}</legend>
              <p className="hint">{t('ruleFriday')}</p>
              {FRIDAY_GRANT_HOURS.map((h) => (
                <div key={h} className="choice">
                  <input type="radio" id={`${ids}-friday-${h}`} name="fridayHours" value={h} checked={fridayHours === h} onChange={() => setFridayHours(h)} />
                  <label htmlFor={`${ids}-friday-${h}`}>{t(h === 24 ? 'hours24' : 'hours72')}</label>
                </div>
              ))}
            </fieldset>
          ) : (
            <p className="grant-rule">{t('ruleSE')}</p>
          )}
          <p id={`${ids}-preview`} className="grant-preview" data-testid="centre-grant-preview" data-expires-at={preview?.toISOString()} aria-live="polite">
            {preview ? t('preview', { time: time(preview) }) : t('previewInvalid', { min: FI_GRANT_HOURS_MIN, max: FI_GRANT_HOURS_MAX })}
          </p>
          <p className="hint">{t('debit')}</p>
          {failure && <p role="alert" className="error">{failure.text}</p>}
          <button type="submit" className="primary" disabled={busy}>
            {t('submit')}
          </button>
        </form>
      </section>

      <section className="group" aria-labelledby={`${ids}-history`}>
        <h2 id={`${ids}-history`}>{t('history')}</h2>
        {earlier.length === 0 ? (
          <p className="none">{t('historyNone')}</p>
        ) : (
          <ul className="cases grant-list" data-testid="centre-grant-history">
            {earlier.map((g) => (
              <li key={g.id} className="case-row" data-state={g.state}>
                <p className="grant-kind">{t(`kind.${g.kind}`)}</p>
                <p className="meta">
                  <span className="status">
                    {g.state === 'revoked' && g.revokedAt !== null
                      ? t('state.revoked', { time: time(g.revokedAt) })
                      : g.state === 'upcoming'
                        ? t('state.upcoming', { start: time(g.grantedAt), time: time(g.expiresAt) })
                        : g.state === 'active'
                          ? t('state.active', { time: time(g.expiresAt) })
                          : t('state.ended', { time: time(g.expiresAt) })}
                  </span>
                  <span>{t('grantedAt', { time: time(g.grantedAt) })}</span>
                  <span>{g.fromCentre ? t('grantedBy', { name: g.grantedBy ?? '–' }) : `${g.grantedBy === null ? '' : `${t('grantedBy', { name: g.grantedBy })}, `}${t('bySoftOne')}`}</span>
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
