/**
 * Registering a case: module (the company's licensed ones), category with a line on each in the
 * brochure's words, service level for a bug with its handling and resolution times, title and
 * description. Checked with the desk's own schema before it is sent; errors are shown per field.
 */
import { useId, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ROUTES } from '../../../shared/api';
import { CATEGORY_IDS, CATEGORY_LABELS, type CategoryId } from '../../../shared/categories';
import { CentreCaseRequestSchema, CentreCaseSummarySchema, type CentreMe } from '../../../shared/centre';
import { MODULE_LABELS, type ModuleId } from '../../../shared/modules';
import { SERVICE_LEVELS, SERVICE_LEVEL_RULES, type ServiceLevel } from '../../../shared/sla';
import type { Language } from '../../../shared/teams';
import { ApiFailure, call } from './api';
import { useErrorText } from './util';
import { Suggestions } from './Qa';
import { FilePicker, useUploads } from './Files';

type Field = 'module' | 'category' | 'serviceLevel' | 'title' | 'description';
const Created = z.object({ case: CentreCaseSummarySchema });

function LevelTimes({ level }: { level: ServiceLevel }): ReactElement {
  const { t } = useTranslation();
  const rule = SERVICE_LEVEL_RULES[level];
  const r = rule.resolution;
  const resolution =
    r.kind === 'calendar_days'
      ? t('times.calendar_days', { weeks: Math.round(r.days / 7) })
      : r.kind === 'calendar_months'
        ? t('times.calendar_months', { from: r.earliestMonths, to: r.deadlineMonths })
        : t(`times.${r.kind}`);
  return (
    <span className="times">
      {t('times.handling', { hours: rule.handlingHours })} · {resolution}
    </span>
  );
}

export function NewCase({ me }: { me: CentreMe }): ReactElement {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const l: Language = i18n.language === 'fi' ? 'fi' : 'sv';
  const ids = useId();
  const only = me.modules.length === 1 ? me.modules[0]?.id : undefined;
  const [module, setModule] = useState<ModuleId | ''>(only ?? '');
  const [category, setCategory] = useState<CategoryId>('support');
  const [level, setLevel] = useState<ServiceLevel>(5);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ id: string; number: number } | null>(null);
  const { t: tf } = useTranslation('files');
  const uploads = useUploads();

  const untrained = module !== '' && me.modules.find((m) => m.id === module)?.trained === false;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setFailure(null);
    if (uploads.busy) return setFailure(tf('waiting'));
    const body = { module: module === '' ? undefined : module, category, serviceLevel: category === 'bug' ? level : null, title, description, files: uploads.ids };
    const parsed = CentreCaseRequestSchema.safeParse(body);
    if (!parsed.success) {
      const found: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as Field;
        found[field] ??= field === 'title' && title.trim() !== '' ? t('errors.generic') : t('errors.required');
      }
      setErrors(found);
      setFailure(t('form.fixErrors'));
      document.getElementById(`${ids}-${Object.keys(found)[0] ?? 'title'}`)?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const answer = await call('POST', ROUTES.centreCases, Created, parsed.data);
      setCreated({ id: answer.case.id, number: answer.case.number });
      uploads.clear();
    } catch (error) {
      const field = error instanceof ApiFailure ? (error.field as Field | 'files' | undefined) : undefined;
      if (field === 'files') return setFailure(tf('errors.gone'));
      if (field) setErrors({ [field]: errorText(error) });
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <section className="card">
        <h1>{t('form.heading')}</h1>
        <p role="status" className="done">{t('form.done', { number: created.number })}</p>
        <p className="big-number" aria-hidden="true">{created.number}</p>
        <p><a href={`#/case/${encodeURIComponent(created.id)}`}>{t('form.open')}</a></p>
      </section>
    );
  }

  const fieldError = (field: Field): ReactElement | null =>
    errors[field] ? <p id={`${ids}-${field}-error`} className="error field-error">{errors[field]}</p> : null;
  const describedBy = (field: Field, hint?: string): string | undefined => [hint, errors[field] ? `${ids}-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;

  return (
    <section className="card">
      <h1>{t('form.heading')}</h1>
      {me.overduePayment && <p className="warning" role="note">{t('form.overdue')}</p>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={`${ids}-module`}>{t('form.module')}</label>
        <select id={`${ids}-module`} value={module} aria-invalid={errors.module !== undefined} aria-describedby={describedBy('module', untrained ? `${ids}-untrained` : undefined)} onChange={(e) => setModule(e.target.value as ModuleId | '')}>
          <option value="">{t('form.chooseModule')}</option>
          {me.modules.map((m) => (
            <option key={m.id} value={m.id}>{MODULE_LABELS[m.id][l]}</option>
          ))}
        </select>
        {untrained && <p id={`${ids}-untrained`} className="warning">{t('form.untrained', { module: MODULE_LABELS[module][l] })}</p>}
        {fieldError('module')}

        <fieldset>
          <legend>{t('form.category')}</legend>
          {CATEGORY_IDS.map((id) => (
            <div key={id} className="choice">
              <input type="radio" id={`${ids}-category-${id}`} name="category" value={id} checked={category === id} aria-describedby={`${ids}-category-${id}-hint`} onChange={() => setCategory(id)} />
              <label htmlFor={`${ids}-category-${id}`}>{CATEGORY_LABELS[id][l]}</label>
              <p id={`${ids}-category-${id}-hint`} className="hint">{t(`categories.${id}`)}</p>
            </div>
          ))}
        </fieldset>

        {category === 'bug' && (
          <fieldset>
            <legend>{t('form.serviceLevel')}</legend>
            {SERVICE_LEVELS.map((n) => (
              <div key={n} className="choice">
                <input type="radio" id={`${ids}-level-${n}`} name="level" value={n} checked={level === n} aria-describedby={`${ids}-level-${n}-hint`} onChange={() => setLevel(n)} />
                <label htmlFor={`${ids}-level-${n}`}>{t('form.level', { level: n })}</label>
                <p id={`${ids}-level-${n}-hint`} className="hint">
                  {t(`levels.${n}`)} <LevelTimes level={n} />
                </p>
              </div>
            ))}
            {fieldError('serviceLevel')}
          </fieldset>
        )}

        <label htmlFor={`${ids}-title`}>{t('form.titleField')}</label>
        <input id={`${ids}-title`} type="text" maxLength={300} value={title} aria-invalid={errors.title !== undefined} aria-describedby={describedBy('title')} onChange={(e) => setTitle(e.target.value)} />
        {fieldError('title')}
        <Suggestions title={title} module={module === '' ? undefined : module} />

        <label htmlFor={`${ids}-description`}>{t('form.description')}</label>
        <p id={`${ids}-description-hint`} className="hint">{t('form.descriptionHint')}</p>
        <textarea id={`${ids}-description`} rows={6} maxLength={20_000} value={description} aria-invalid={errors.description !== undefined} aria-describedby={describedBy('description', `${ids}-description-hint`)} onChange={(e) => setDescription(e.target.value)} />
        {fieldError('description')}

        <FilePicker uploads={uploads} />

        {failure && <p role="alert" className="error">{failure}</p>}
        <button type="submit" className="primary" disabled={busy}>{t('form.submit')}</button>
      </form>
    </section>
  );
}
