/**
 * Managing answers: "Svarsmallar" / "Vastauspohjat" (key s) and "Kunskapsbank" / "Tietopankki"
 * (key b), from the lookup box's actions too. A searchable list and an edit form (title,
 * language, team or personal / module and public, the body with the fields to insert); each
 * problem is said at its field. Saving and deleting are edits through the outbox, so they work
 * offline and reach every desk through the feed.
 */
import { useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import {
  ARTICLE_BODY_MAX,
  MODULE_IDS,
  TEMPLATE_BODY_MAX,
  TEMPLATE_FIELDS,
  TEMPLATE_TITLE_MAX,
  articleLink,
  fillTemplate,
  mayWriteTemplate,
  templateTeamFirst,
  type Article,
  type Language,
  type ModuleId,
  type Template,
  type TemplateScope,
} from '../../../../shared/index';
import { useT } from '../../i18n/typing';
import { moduleLabel } from '../../i18n/labels';
import { AnswerIndex } from '../../model/answerSearch';
import { useAct } from '../case/act';
import { useLanguage, useSession, useSignal, useStoreVersion } from '../hooks';
import { AnswerTags, fieldLabel, publicOrigin } from './AnswerPicker';

type Kind = 'templates' | 'articles';
type ScopeChoice = 'team1' | 'team2' | 'personal';

interface Draft {
  id: string;
  isNew: boolean;
  title: string;
  language: Language;
  scope: ScopeChoice;
  module: ModuleId;
  public: boolean;
  body: string;
}

type Errors = Partial<Record<'title' | 'body' | 'scope', string>>;

const scopeChoice = (s: TemplateScope): ScopeChoice => (s.kind === 'personal' ? 'personal' : s.team === 1 ? 'team1' : 'team2');

export function AnswersScreen({ kind, onBack }: { kind: Kind; onBack: () => void }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  useStoreVersion();
  const teams = useSignal(session.teams);
  const { act, error: actError } = useAct();
  const answers = session.store.answers;
  const version = answers.version;
  const isLead = session.me.role === 'lead';
  const formId = useId();

  const items = useMemo<ReadonlyArray<Template | Article>>(
    () => (kind === 'templates' ? [...answers.templates()].sort((a, b) => templateTeamFirst(a, teams) - templateTeamFirst(b, teams)) : answers.articles()),
    // The answers' version covers every save and deletion.
    [answers, kind, teams, version],
  );
  const index = useMemo(() => new AnswerIndex<Template | Article>(items, lang), [items, lang]);
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => index.search(filter, 500), [index, filter]);

  const fresh = (): Draft => ({
    id: crypto.randomUUID(),
    isNew: true,
    title: '',
    language: lang,
    scope: kind === 'templates' && isLead ? (teams[0] === 2 ? 'team2' : 'team1') : 'personal',
    module: 'finance',
    public: true,
    body: '',
  });
  const [draft, setDraft] = useState<Draft>(fresh);
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState<string | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);

  const editing = kind === 'templates' ? answers.template(draft.id) : answers.article(draft.id);
  const readOnly = kind === 'templates' && editing !== undefined && 'scope' in editing && !mayWriteTemplate(editing.scope, session.me);

  const choose = (item: Template | Article) => {
    setDraft({
      id: item.id,
      isNew: false,
      title: item.title,
      language: item.language,
      scope: 'scope' in item ? scopeChoice(item.scope) : 'personal',
      module: 'module' in item ? item.module : 'finance',
      public: 'public' in item ? item.public : false,
      body: item.body,
    });
    setErrors({});
    setStatus(null);
  };

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setStatus(null);
  };

  const validate = (d: Draft): Errors => {
    const e: Errors = {};
    if (d.title.trim() === '' || d.title.trim().length > TEMPLATE_TITLE_MAX) e.title = t('answers:errors.title');
    const max = kind === 'templates' ? TEMPLATE_BODY_MAX : ARTICLE_BODY_MAX;
    if (d.body.trim() === '') e.body = t('answers:errors.body');
    else if (d.body.trim().length > max) e.body = t('answers:errors.bodyTooLong', { max });
    else if (kind === 'templates') {
      const unknown = fillTemplate(d.body, { contact: null, case: null, specialist: null }, d.language).unknown;
      if (unknown.length > 0) e.body = t('answers:errors.unknownFields', { fields: unknown.map((f) => `{${f}}`).join(', ') });
    }
    if (kind === 'templates' && d.scope !== 'personal' && !isLead) e.scope = t('answers:errors.scope');
    return e;
  };

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    if (readOnly) return;
    const problems = validate(draft);
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      if (problems.title) titleRef.current?.focus();
      else if (problems.body) bodyRef.current?.focus();
      return;
    }
    const ok =
      kind === 'templates'
        ? await act({
            name: 'saveTemplate',
            args: {
              id: draft.id,
              language: draft.language,
              scope: draft.scope === 'personal' ? { kind: 'personal', ownerId: session.me.id } : { kind: 'team', team: draft.scope === 'team1' ? 1 : 2 },
              title: draft.title.trim(),
              body: draft.body.trim(),
            },
          })
        : await act({
            name: 'saveArticle',
            args: { id: draft.id, language: draft.language, module: draft.module, title: draft.title.trim(), body: draft.body.trim(), public: draft.public },
          });
    if (ok) {
      setDraft((d) => ({ ...d, isNew: false, title: d.title.trim(), body: d.body.trim() }));
      setStatus(t('answers:screen.saved'));
    }
  };

  const remove = async () => {
    if (draft.isNew || readOnly) return;
    if (!window.confirm(t('answers:form.confirmDelete', { title: draft.title }))) return;
    const ok = await act(kind === 'templates' ? { name: 'deleteTemplate', args: { id: draft.id } } : { name: 'deleteArticle', args: { id: draft.id } });
    if (ok) {
      setDraft(fresh());
      setStatus(t('answers:screen.deleted'));
    }
  };

  const insertField = (field: string) => {
    const el = bodyRef.current;
    const token = `{${field}}`;
    const start = el?.selectionStart ?? draft.body.length;
    const end = el?.selectionEnd ?? draft.body.length;
    set('body', draft.body.slice(0, start) + token + draft.body.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const onFormKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void save();
    }
  };

  const heading = kind === 'templates' ? t('answers:templates') : t('answers:articles');
  const err = (key: keyof Errors) => (errors[key] ? { 'aria-invalid': true, 'aria-describedby': `${formId}-${key}-error` } : {});
  const errorLine = (key: keyof Errors) =>
    errors[key] ? (
      <span id={`${formId}-${key}-error`} className="error field-error" role="alert">
        {errors[key]}
      </span>
    ) : null;

  return (
    <div className="answers-screen" data-testid={`answers-${kind}`}>
      <div className="account-head">
        <h1>{heading}</h1>
        <span className="muted">{kind === 'templates' ? t('answers:screen.templatesIntro') : t('answers:screen.articlesIntro')}</span>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={onBack}>
          {t('account:back')}
        </button>
      </div>
      <div className="answers-grid">
        <section className="panel answers-list" aria-label={t('answers:screen.list')}>
          <div className="answers-list-head">
            <input
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              placeholder={t('answers:screen.filter')}
              aria-label={`${heading}: ${t('answers:screen.filter')}`}
              data-testid="answers-filter"
            />
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setDraft(fresh());
                setErrors({});
                setStatus(null);
                titleRef.current?.focus();
              }}
              data-testid="answers-new"
            >
              {kind === 'templates' ? t('answers:screen.newTemplate') : t('answers:screen.newArticle')}
            </button>
          </div>
          <ul className="answers-items">
            {shown.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  className={item.id === draft.id ? 'answers-item current' : 'answers-item'}
                  aria-current={item.id === draft.id ? 'true' : undefined}
                  onClick={() => choose(item)}
                  data-testid="answers-item"
                >
                  <span className="ellipsis">{item.title}</span>
                  <span className="answer-tags">
                    <AnswerTags item={item} showPublic />
                    {answers.isPending(item.id) && <span className="chip pending tiny">{t('answers:screen.pending')}</span>}
                  </span>
                </button>
              </li>
            ))}
            {shown.length === 0 && <li className="muted">{t('answers:screen.noneYet')}</li>}
          </ul>
        </section>
        <form className="panel answers-form" onSubmit={(e) => void save(e)} onKeyDown={onFormKey} noValidate aria-labelledby={`${formId}-head`} data-testid="answers-form">
          <h2 id={`${formId}-head`}>{draft.isNew ? (kind === 'templates' ? t('answers:screen.newTemplate') : t('answers:screen.newArticle')) : `${t('answers:screen.editing')}: ${draft.title}`}</h2>
          {readOnly && <p className="chip warn">{t('answers:screen.readOnly')}</p>}
          <fieldset disabled={readOnly} className="answers-fieldset">
            <label>
              <span>{t('answers:form.title')}</span>
              <input ref={titleRef} value={draft.title} onChange={(e) => set('title', e.target.value)} maxLength={TEMPLATE_TITLE_MAX + 50} {...err('title')} data-testid="answers-title" />
              {errorLine('title')}
            </label>
            <div className="form-grid">
              <label>
                <span>{t('answers:form.language')}</span>
                <select value={draft.language} onChange={(e) => set('language', e.target.value as Language)} data-testid="answers-language">
                  <option value="sv">{t('answers:language.sv')}</option>
                  <option value="fi">{t('answers:language.fi')}</option>
                </select>
              </label>
              {kind === 'templates' ? (
                <label>
                  <span>{t('answers:form.scope')}</span>
                  <select value={draft.scope} onChange={(e) => set('scope', e.target.value as ScopeChoice)} {...err('scope')} data-testid="answers-scope">
                    <option value="personal">{t('answers:scope.personal')}</option>
                    <option value="team1">{t('answers:scope.team', { team: 1 })}</option>
                    <option value="team2">{t('answers:scope.team', { team: 2 })}</option>
                  </select>
                  {errorLine('scope')}
                </label>
              ) : (
                <>
                  <label>
                    <span>{t('answers:form.module')}</span>
                    <select value={draft.module} onChange={(e) => set('module', e.target.value as ModuleId)} data-testid="answers-module">
                      {MODULE_IDS.map((m) => (
                        <option key={m} value={m}>
                          {moduleLabel(m, lang)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="answers-check">
                    <span>{t('answers:public')}</span>
                    <span className="answers-check-row">
                      <input type="checkbox" checked={draft.public} onChange={(e) => set('public', e.target.checked)} data-testid="answers-public" />
                      {t('answers:form.public')}
                    </span>
                  </label>
                </>
              )}
            </div>
            <label>
              <span>{t('answers:form.body')}</span>
              <textarea ref={bodyRef} rows={10} value={draft.body} onChange={(e) => set('body', e.target.value)} {...err('body')} data-testid="answers-body" />
              {errorLine('body')}
            </label>
            {kind === 'templates' ? (
              <div className="answers-fields" role="group" aria-label={t('answers:form.fields')}>
                <span className="muted small">{t('answers:form.fields')}:</span>
                {TEMPLATE_FIELDS.map((f) => (
                  <button key={f} type="button" className="ghost small" onClick={() => insertField(f)} title={`{${f}}`}>
                    {fieldLabel(t, f)}
                  </button>
                ))}
              </div>
            ) : (
              <p className="muted small">{t('answers:form.bodyArticleHint')}</p>
            )}
            {kind === 'articles' && !draft.isNew && (
              <p className="small">
                {t('answers:screen.link')}: <span className="num" data-testid="answers-link">{articleLink(publicOrigin(session), draft.id)}</span>
              </p>
            )}
            <div className="dialog-actions">
              <button type="submit" className="primary" data-testid="answers-save">
                {t('answers:form.save')}
              </button>
              {!draft.isNew && (
                <button type="button" className="ghost" onClick={() => void remove()} data-testid="answers-delete">
                  {t('answers:form.delete')}
                </button>
              )}
              {status && (
                <span className="ok" role="status">
                  {status}
                </span>
              )}
            </div>
          </fieldset>
          {actError && <p className="error">{actError}</p>}
        </form>
      </div>
    </div>
  );
}
