/**
 * The lead's SLA escalation settings: per service level whether it is escalated, at how many
 * business minutes before a deadline and at the breach; which categories and deadlines; whether
 * the team's leads are notified too. Checked at the fields here, and by the server again.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import {
  CATEGORY_IDS,
  CATEGORY_LABELS,
  ESCALATION_LEVELS,
  ESCALATION_MAX_MINUTES,
  ESCALATION_MAX_POINTS,
  type CategoryId,
  type EscalationSettings,
  type ServiceLevel,
} from '../../../../../shared/index';
import { useT } from '../../../i18n/typing';
import { useFormat, useLanguage, useSession, useSignal } from '../../hooks';
import { errorMessage } from '../../errors';
import type { LeadSectionProps } from '../sections';

type Status = { kind: 'ok' | 'error'; text: string } | null;
type LevelForm = { enabled: boolean; before: string; atBreach: boolean };

const toForm = (s: EscalationSettings): Record<ServiceLevel, LevelForm> =>
  Object.fromEntries(ESCALATION_LEVELS.map((l) => [l, { enabled: s.levels[l].enabled, before: s.levels[l].beforeMinutes.join(', '), atBreach: s.levels[l].atBreach }])) as Record<ServiceLevel, LevelForm>;

export default function EscalationSection(_props: LeadSectionProps) {
  const { t } = useT();
  const fmt = useFormat();
  const lang = useLanguage();
  const session = useSession();
  const online = useSignal(session.status).connection === 'online';
  const [loaded, setLoaded] = useState<{ settings: EscalationSettings; updatedAt: string | null; updatedBy: string | null } | null>(null);
  const [levels, setLevels] = useState<Record<ServiceLevel, LevelForm> | null>(null);
  const [categories, setCategories] = useState<CategoryId[]>([]);
  const [deadlines, setDeadlines] = useState({ handling: true, resolution: true });
  const [notifyLeads, setNotifyLeads] = useState(true);
  const [errors, setErrors] = useState<Partial<Record<ServiceLevel, string>>>({});
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const baseId = useId();

  const take = (answer: { settings: EscalationSettings; updatedAt: string | null; updatedBy: string | null }) => {
    setLoaded(answer);
    setLevels(toForm(answer.settings));
    setCategories(answer.settings.categories);
    setDeadlines(answer.settings.deadlines);
    setNotifyLeads(answer.settings.notifyLeads);
  };

  useEffect(() => {
    if (!online || loaded) return;
    let live = true;
    session.escalationAdmin.settings().then(
      (answer) => live && take(answer),
      (err: unknown) => live && setStatus({ kind: 'error', text: errorMessage(t, err) }),
    );
    return () => {
      live = false;
    };
  }, [online, loaded, session, t]);

  /** The minutes of a level, or the field's error. */
  const parse = (form: LevelForm): number[] | string => {
    const parts = form.before.split(',').map((p) => p.trim()).filter((p) => p !== '');
    const minutes = parts.map(Number);
    if (minutes.some((m) => !Number.isInteger(m) || m < 1 || m > ESCALATION_MAX_MINUTES)) return t('escalation:settings.invalidMinutes', { max: ESCALATION_MAX_MINUTES });
    if (minutes.length > ESCALATION_MAX_POINTS) return t('escalation:settings.tooMany', { count: ESCALATION_MAX_POINTS });
    if (new Set(minutes).size !== minutes.length) return t('escalation:settings.duplicate');
    if (form.enabled && minutes.length === 0 && !form.atBreach) return t('escalation:settings.noPoint');
    return minutes;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!levels) return;
    const found: Partial<Record<ServiceLevel, string>> = {};
    const parsed = {} as EscalationSettings['levels'];
    for (const l of ESCALATION_LEVELS) {
      const result = parse(levels[l]);
      if (typeof result === 'string') found[l] = result;
      else parsed[l] = { enabled: levels[l].enabled, beforeMinutes: result, atBreach: levels[l].atBreach };
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setStatus(null);
    try {
      take(await session.escalationAdmin.save({ levels: parsed, categories, deadlines, notifyLeads }));
      setStatus({ kind: 'ok', text: t('escalation:settings.saved') });
    } catch (err) {
      setStatus({ kind: 'error', text: errorMessage(t, err) });
    } finally {
      setBusy(false);
    }
  };

  const setLevel = (l: ServiceLevel, change: Partial<LevelForm>) => setLevels((current) => (current ? { ...current, [l]: { ...current[l], ...change } } : current));

  return (
    <div className="lead-section escalation-section" data-testid="escalation-section">
      <h2>{t('escalation:settings.title')}</h2>
      <p className="muted">{t('escalation:settings.intro')}</p>
      {!online && <p className="banner warn">{t('escalation:settings.offline')}</p>}
      {online && !levels && !status && <p className="muted">{t('escalation:settings.loading')}</p>}
      {levels && (
        <form className="account-form escalation-form" onSubmit={(e) => void submit(e)} noValidate>
          {loaded?.updatedAt && (
            <p className="muted small">
              {t('escalation:settings.updated', { at: fmt.dateTime(Date.parse(loaded.updatedAt)), name: session.store.directory.specialists.get(loaded.updatedBy ?? '')?.name ?? '?' })}
            </p>
          )}
          <fieldset>
            <legend>{t('escalation:settings.levels')}</legend>
            <p className="muted small" id={`${baseId}-hint`}>
              {t('escalation:settings.beforeHint', { count: ESCALATION_MAX_POINTS, max: ESCALATION_MAX_MINUTES })}
            </p>
            {ESCALATION_LEVELS.map((l) => {
              const form = levels[l];
              const errorId = `${baseId}-error-${l}`;
              return (
                <div key={l} className="escalation-level" data-testid={`escalation-level-${l}`}>
                  <h3>{t('escalation:settings.level', { level: l })}</h3>
                  <label className="check">
                    <input type="checkbox" checked={form.enabled} onChange={(e) => setLevel(l, { enabled: e.target.checked })} /> {t('escalation:settings.enabled', { level: l })}
                  </label>
                  <label>
                    <span>{t('escalation:settings.before')}</span>
                    <input
                      name={`before-${l}`}
                      inputMode="numeric"
                      value={form.before}
                      disabled={!form.enabled}
                      onChange={(e) => setLevel(l, { before: e.target.value })}
                      aria-invalid={errors[l] ? true : undefined}
                      aria-describedby={errors[l] ? `${errorId} ${baseId}-hint` : `${baseId}-hint`}
                      data-testid={`escalation-before-${l}`}
                    />
                  </label>
                  {errors[l] && (
                    <p className="error small" id={errorId} data-testid={`escalation-error-${l}`}>
                      {errors[l]}
                    </p>
                  )}
                  <label className="check">
                    <input type="checkbox" checked={form.atBreach} disabled={!form.enabled} onChange={(e) => setLevel(l, { atBreach: e.target.checked })} /> {t('escalation:settings.atBreach')}
                  </label>
                </div>
              );
            })}
          </fieldset>
          <fieldset>
            <legend>{t('escalation:settings.categories')}</legend>
            {CATEGORY_IDS.map((c) => (
              <label className="check" key={c}>
                <input type="checkbox" checked={categories.includes(c)} onChange={(e) => setCategories((list) => (e.target.checked ? [...list, c] : list.filter((x) => x !== c)))} />{' '}
                {CATEGORY_LABELS[c][lang === 'fi' ? 'fi' : 'sv']}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('escalation:settings.deadlines')}</legend>
            <label className="check">
              <input type="checkbox" checked={deadlines.handling} onChange={(e) => setDeadlines((d) => ({ ...d, handling: e.target.checked }))} /> {t('escalation:settings.handling')}
            </label>
            <label className="check">
              <input type="checkbox" checked={deadlines.resolution} onChange={(e) => setDeadlines((d) => ({ ...d, resolution: e.target.checked }))} /> {t('escalation:settings.resolution')}
            </label>
          </fieldset>
          <label className="check">
            <input type="checkbox" checked={notifyLeads} onChange={(e) => setNotifyLeads(e.target.checked)} data-testid="escalation-notify-leads" /> {t('escalation:settings.notifyLeads')}
          </label>
          <button type="submit" className="primary" disabled={busy || !online} data-testid="escalation-save">
            {t('escalation:settings.save')}
          </button>
        </form>
      )}
      {status && (
        <p className={status.kind === 'ok' ? 'ok' : 'error'} role={status.kind === 'ok' ? 'status' : 'alert'} data-testid="escalation-status">
          {status.text}
        </p>
      )}
    </div>
  );
}
