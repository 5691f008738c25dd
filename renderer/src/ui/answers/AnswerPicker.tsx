/**
 * The answer picker, opened from a note or reply box: Alt+M for reply templates, Alt+K for the
 * knowledge base. Type to filter (the lookup's folding and stems, offline from the cache), ↑↓ to
 * choose, Enter inserts (a template filled for the open case; an article's link), Shift+Enter an
 * article's text, Esc closes. Fields a template names that the case lacks are shown before
 * inserting, and inserted empty.
 */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { articleLink, fillTemplate, templateTeamFirst, type Article, type Template, type TemplateContext, type TemplateField } from '../../../../shared/index';
import { useT, type DeskT } from '../../i18n/typing';
import { moduleLabel } from '../../i18n/labels';
import { AnswerIndex, articleBlocks, articleText, type Span } from '../../model/answerSearch';
import type { DeskSession } from '../../session/session';
import { useLanguage, useSession, useSignal, useStoreVersion } from '../hooks';

export interface AnswerPickerProps {
  kind: 'templates' | 'articles';
  caseId: string;
  onInsert(text: string): void;
  onClose(): void;
}

/** What a template is filled from for a case: its contact, the case, the specialist writing. */
export function templateContext(session: DeskSession, caseId: string): TemplateContext {
  const row = session.store.cases.get(caseId);
  const contact = row?.contactId ? session.store.directory.contacts.get(row.contactId) : undefined;
  return {
    contact: contact && contact.anonymisedAt === null ? { name: contact.name } : null,
    case: row
      ? {
          number: row.number,
          title: row.title,
          office: row.office,
          category: row.category,
          serviceLevel: row.serviceLevel,
          registeredAt: new Date(row.registeredAt).toISOString(),
        }
      : null,
    specialist: { name: session.me.name },
  };
}

/** The server's public origin: where `/kb/<id>` links point. */
export function publicOrigin(session: DeskSession): string {
  return session.serverUrl !== '' ? session.serverUrl : window.location.origin;
}

export const fieldLabel = (t: DeskT, field: TemplateField): string => t(`answers:fields.${field.replace('.', '_') as 'contact_firstName'}`);

const spansOf = (spans: readonly Span[]) => spans.map((s, i) => (s.bold ? <strong key={i}>{s.text}</strong> : <span key={i}>{s.text}</span>));

/** An article's small markdown subset shown as React text (never as HTML): paragraphs, lists, bold. */
export function ArticleBody({ body }: { body: string }) {
  return (
    <div className="article-body">
      {articleBlocks(body).map((b, i) =>
        b.kind === 'p' ? (
          <p key={i}>{spansOf(b.spans)}</p>
        ) : (
          <ul key={i}>
            {b.items.map((item, j) => (
              <li key={j}>{spansOf(item)}</li>
            ))}
          </ul>
        ),
      )}
    </div>
  );
}

export function AnswerPicker({ kind, caseId, onInsert, onClose }: AnswerPickerProps) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  useStoreVersion();
  const teams = useSignal(session.teams);
  const answersVersion = session.store.answers.version;
  const id = useId();
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(0);

  const index = useMemo(() => {
    if (kind === 'templates') {
      // Personal first, then my teams', then the other team's.
      const items = [...session.store.answers.templates()].sort((a, b) => templateTeamFirst(a, teams) - templateTeamFirst(b, teams));
      return new AnswerIndex<Template | Article>(items, lang);
    }
    return new AnswerIndex<Template | Article>(session.store.answers.articles(), lang);
    // The answers' version covers every save and deletion.
  }, [session, kind, lang, teams, answersVersion]);
  const hits = useMemo(() => index.search(query), [index, query]);
  const at = Math.min(cursor, Math.max(0, hits.length - 1));
  const current = hits[at];
  const ctx = useMemo(() => templateContext(session, caseId), [session, caseId]);
  const filled = current && kind === 'templates' ? fillTemplate(current.body, ctx, current.language) : null;

  const insert = (item: Template | Article | undefined, asText: boolean) => {
    if (!item) return;
    if (kind === 'templates') onInsert(fillTemplate(item.body, ctx, item.language).text);
    else onInsert(asText ? articleText(item.body) : articleLink(publicOrigin(session), item.id));
    onClose();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (hits.length > 0) setCursor((at + (e.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      insert(current, e.shiftKey && kind === 'articles');
    } else if (e.key === 'Escape') {
      // Handled here: the desk's Esc (leave the field, back to the queue) must not run too.
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };

  const title = kind === 'templates' ? t('answers:picker.templatesTitle') : t('answers:picker.articlesTitle');
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-opt-${i}`;
  return (
    <div className="answer-picker" role="dialog" aria-modal="false" aria-label={title} data-testid="answer-picker">
      <div className="answer-picker-head">
        <strong>{title}</strong>
        <span className="muted small">{kind === 'templates' ? t('answers:picker.templatesHint') : t('answers:picker.articlesHint')}</span>
      </div>
      <input
        autoFocus
        type="search"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={current ? optionId(at) : undefined}
        aria-autocomplete="list"
        aria-label={`${title}: ${t('answers:picker.search')}`}
        placeholder={t('answers:picker.search')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setCursor(0);
        }}
        onKeyDown={onKeyDown}
        data-testid="answer-search"
      />
      <div className="answer-picker-body">
        <ul className="answer-list" role="listbox" id={listId} aria-label={title}>
          {hits.map((item, i) => (
            <li
              key={item.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === at}
              className={i === at ? 'answer-option current' : 'answer-option'}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => insert(item, false)}
              data-testid="answer-option"
            >
              <span className="ellipsis">{item.title}</span>
              <span className="answer-tags">
                <AnswerTags item={item} />
              </span>
            </li>
          ))}
        </ul>
        {hits.length === 0 && (
          <p className="muted" role="status">
            {query.trim() !== ''
              ? t('answers:picker.none', { text: query.trim() })
              : kind === 'templates'
                ? t('answers:picker.emptyTemplates')
                : t('answers:picker.emptyArticles')}
          </p>
        )}
        {current && (
          <div className="answer-preview" aria-label={t('answers:picker.preview')} data-testid="answer-preview">
            {filled && filled.missing.length > 0 && (
              <p className="chip warn answer-warning" role="status" data-testid="answer-missing">
                {t('answers:picker.missing', { fields: filled.missing.map((f) => fieldLabel(t, f)).join(', ') })}
              </p>
            )}
            {filled && filled.unknown.length > 0 && (
              <p className="chip warn answer-warning" role="status">
                {t('answers:picker.unknown', { fields: filled.unknown.map((f) => `{${f}}`).join(', ') })}
              </p>
            )}
            {filled ? <p className="note-text answer-preview-text">{filled.text}</p> : <ArticleBody body={current.body} />}
            {kind === 'articles' && <p className="muted small ellipsis">{articleLink(publicOrigin(session), current.id)}</p>}
          </div>
        )}
      </div>
    </div>
  );
}

/** A template's or article's chips in a list: its language, then its team or owner, or its module (and, asked for, whether it is public). */
export function AnswerTags({ item, showPublic = false }: { item: Template | Article; showPublic?: boolean }) {
  const { t } = useT();
  const lang = useLanguage();
  return (
    <>
      <span className="chip tiny">{item.language.toUpperCase()}</span>
      {'scope' in item ? (
        <span className="chip tiny">{item.scope.kind === 'team' ? t('answers:scope.team', { team: item.scope.team }) : t('answers:scope.personal')}</span>
      ) : (
        <>
          <span className="chip tiny">{moduleLabel(item.module, lang)}</span>
          {showPublic && <span className={item.public ? 'chip tiny ok' : 'chip tiny'}>{item.public ? t('answers:public') : t('answers:internal')}</span>}
        </>
      )}
    </>
  );
}
