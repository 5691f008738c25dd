/**
 * Questions and answers ("Frågor och Svar" / "UKK"): the knowledge base's public articles in the
 * customer's language, searched on the server as the customer types (`#/qa`), one article
 * (`#/qa/<id>`), and the few suggested under a new case's title (`Suggestions`, opened in place
 * so the form keeps what was typed). An article's body is shown as text blocks (shared/articleText.ts),
 * never as HTML.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactElement, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROUTES } from '../../../shared/api';
import { articleBlocks, type Span } from '../../../shared/articleText';
import { CENTRE_QA_SUGGESTIONS, CENTRE_QA_SUGGEST_FROM, CentreArticleResponseSchema, CentreArticlesResponseSchema, type CentreArticle, type CentreArticleHit } from '../../../shared/centreQa';
import type { CentreMe } from '../../../shared/centre';
import { MODULE_LABELS, type ModuleId } from '../../../shared/modules';
import type { Language } from '../../../shared/teams';
import { highlight } from '../../../shared/textTerms';
import { ApiFailure, call } from './api';
import { go, useDate, useErrorText } from './util';
import './qa.css';

const lang = (language: string): Language => (language === 'fi' ? 'fi' : 'sv');
/** Waits this long after the last key before asking the server. */
const SEARCH_DEBOUNCE_MS = 250;
const SUGGEST_DEBOUNCE_MS = 400;

/** The value once it has stayed the same for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

interface Found {
  hits: CentreArticleHit[] | null;
  error: unknown;
}

/** The server's answer to a search; an answer that arrives after a newer question is dropped. */
function useArticleSearch(q: string, module: ModuleId | undefined, limit: number, enabled: boolean, match: 'all' | 'any' = 'all'): Found {
  const [found, setFound] = useState<Found>({ hits: null, error: null });
  useEffect(() => {
    if (!enabled) {
      setFound({ hits: null, error: null });
      return;
    }
    let current = true;
    const params = new URLSearchParams({ limit: String(limit), match });
    if (q.trim() !== '') params.set('q', q.trim());
    if (module) params.set('module', module);
    call('GET', `${ROUTES.centreArticles}?${params.toString()}`, CentreArticlesResponseSchema).then(
      (answer) => current && setFound({ hits: answer.articles, error: null }),
      (error: unknown) => current && setFound({ hits: null, error }),
    );
    return () => {
      current = false;
    };
  }, [q, module, limit, enabled, match]);
  return found;
}

/** A text with the words the search matched marked. */
function Marked({ text, terms }: { text: string; terms: readonly string[] }): ReactElement {
  return <>{highlight(text, terms).map((part, i) => (part.mark ? <mark key={i}>{part.text}</mark> : part.text))}</>;
}

function Spans({ spans }: { spans: Span[] }): ReactElement {
  return <>{spans.map((s, i) => (s.bold ? <strong key={i}>{s.text}</strong> : <span key={i}>{s.text}</span>))}</>;
}

/** An article's body: paragraphs, lists and bold, as React text (nothing in it becomes markup). */
export function ArticleBody({ body }: { body: string }): ReactElement {
  return (
    <div className="article-body">
      {articleBlocks(body).map((b, i) =>
        b.kind === 'p' ? (
          <p key={i}><Spans spans={b.spans} /></p>
        ) : (
          <ul key={i}>{b.items.map((item, j) => <li key={j}><Spans spans={item} /></li>)}</ul>
        ),
      )}
    </div>
  );
}

/** What was searched last: going back from an article finds the search as it was left. */
const remembered: { q: string; module: ModuleId | '' } = { q: '', module: '' };

/** The header menu's link. */
export function QaLink(): ReactElement {
  const { t } = useTranslation('qa');
  return <a href="#/qa">{t('nav')}</a>;
}

export function QaSearch({ me }: { me: CentreMe }): ReactElement {
  const { t, i18n } = useTranslation('qa');
  const { t: tc } = useTranslation();
  const errorText = useErrorText();
  const l = lang(i18n.language);
  const ids = useId();
  const [q, setQ] = useState(remembered.q);
  const [module, setModule] = useState<ModuleId | ''>(remembered.module);
  const settled = useDebounced(q, SEARCH_DEBOUNCE_MS);
  const { hits, error } = useArticleSearch(settled, module === '' ? undefined : module, 20, true);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  remembered.q = q;
  remembered.module = module;

  const links = (): HTMLAnchorElement[] => [...(list.current?.querySelectorAll<HTMLAnchorElement>('a.qa-hit') ?? [])];
  // ↓ from the box to the first answer, ↑/↓ between answers, ↑ from the first back to the box; Enter opens.
  const move = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const all = links();
    if (all.length === 0) return;
    e.preventDefault();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    const next = e.key === 'ArrowDown' ? Math.min(at + 1, all.length - 1) : at - 1;
    if (next < 0) input.current?.focus();
    else all[next]?.focus();
  };
  const enter = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter' && hits?.[0]) {
      e.preventDefault();
      go(`/qa/${encodeURIComponent(hits[0].id)}`);
    } else move(e);
  };
  const searching = settled.trim() !== '';

  return (
    <section className="qa">
      <h1>{t('heading')}</h1>
      <p className="hint">{t('intro')}</p>
      <form role="search" className="qa-search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={`${ids}-q`}>{t('search')}</label>
        <input
          ref={input}
          id={`${ids}-q`}
          type="search"
          autoComplete="off"
          maxLength={200}
          value={q}
          aria-describedby={`${ids}-hint`}
          aria-controls={`${ids}-results`}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={enter}
        />
        <p id={`${ids}-hint`} className="hint">{t('searchHint')}</p>
        {me.modules.length > 1 && (
          <>
            <label htmlFor={`${ids}-module`}>{t('module')}</label>
            <select id={`${ids}-module`} value={module} onChange={(e) => setModule(e.target.value as ModuleId | '')}>
              <option value="">{t('allModules')}</option>
              {me.modules.map((m) => (
                <option key={m.id} value={m.id}>{MODULE_LABELS[m.id][l]}</option>
              ))}
            </select>
          </>
        )}
      </form>
      <p role="status" className="qa-count">
        {hits === null ? '' : hits.length === 0 ? t('none') : searching ? t('results', { count: hits.length }) : ''}
      </p>
      {error !== null && <p role="alert" className="error">{errorText(error)}</p>}
      {hits !== null && hits.length > 0 && (
        <>
          {!searching && <h2>{t('newest')}</h2>}
          <ul ref={list} id={`${ids}-results`} className="qa-hits" aria-label={t('heading')} onKeyDown={move}>
            {hits.map((hit) => (
              <li key={hit.id}>
                <a className="qa-hit" href={`#/qa/${encodeURIComponent(hit.id)}`}>
                  <span className="qa-title"><Marked text={hit.title} terms={hit.terms} /></span>
                  <span className="qa-module">{MODULE_LABELS[hit.module][l]}</span>
                  <span className="qa-snippet"><Marked text={hit.snippet} terms={hit.terms} /></span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {hits !== null && hits.length === 0 && (
        <p><a href="#/new">{tc('nav.newCase')}</a></p>
      )}
    </section>
  );
}

export function QaArticle({ id }: { id: string }): ReactElement {
  const { t, i18n } = useTranslation('qa');
  const errorText = useErrorText();
  const date = useDate();
  const l = lang(i18n.language);
  const [article, setArticle] = useState<CentreArticle | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setArticle(null);
    setError(null);
    call('GET', ROUTES.centreArticle(id), CentreArticleResponseSchema).then(
      (answer) => current && setArticle(answer.article),
      (failure: unknown) => current && setError(failure instanceof ApiFailure && failure.status === 404 ? t('notFound') : errorText(failure)),
    );
    return () => {
      current = false;
    };
  }, [id, errorText, t]);
  return (
    <article className="card qa-article">
      <p><a href="#/qa">{t('back')}</a></p>
      {error && <p role="alert" className="error">{error}</p>}
      {!article && !error && <p aria-busy="true" />}
      {article && (
        <>
          <h1>{article.title}</h1>
          <p className="meta">
            <span>{MODULE_LABELS[article.module][l]}</span>
            <span>{t('updated', { date: date(article.updatedAt, false) })}</span>
          </p>
          <ArticleBody body={article.body} />
        </>
      )}
    </article>
  );
}

/** One suggestion, opened in place: its body is fetched when it is first opened. */
function Suggestion({ hit, language }: { hit: CentreArticleHit; language: Language }): ReactElement {
  const { t } = useTranslation('qa');
  const errorText = useErrorText();
  const [article, setArticle] = useState<CentreArticle | null>(null);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(false);
  const toggled = (e: SyntheticEvent<HTMLDetailsElement>): void => {
    if (!e.currentTarget.open || asked.current) return;
    asked.current = true;
    call('GET', ROUTES.centreArticle(hit.id), CentreArticleResponseSchema).then(
      (answer) => setArticle(answer.article),
      (failure: unknown) => {
        asked.current = false;
        setError(failure instanceof ApiFailure && failure.status === 404 ? t('notFound') : errorText(failure));
      },
    );
  };
  return (
    <li>
      <details className="qa-suggestion" onToggle={toggled}>
        <summary>
          <span className="qa-title"><Marked text={hit.title} terms={hit.terms} /></span> <span className="qa-module">{MODULE_LABELS[hit.module][language]}</span>
        </summary>
        <div className="qa-suggestion-body">
          {error ? <p className="error">{error}</p> : article ? <ArticleBody body={article.body} /> : <p aria-busy="true">{t('suggest.loading')}</p>}
        </div>
      </details>
    </li>
  );
}

/**
 * Under a new case's title: up to a few public articles that may already answer it (for the
 * chosen module), as the customer types. Never takes the focus; the count is announced politely.
 */
export function Suggestions({ title, module }: { title: string; module: ModuleId | undefined }): ReactElement {
  const { t, i18n } = useTranslation('qa');
  const ids = useId();
  const settled = useDebounced(title.trim(), SUGGEST_DEBOUNCE_MS);
  const enabled = settled.length >= CENTRE_QA_SUGGEST_FROM;
  const { hits } = useArticleSearch(settled, module, CENTRE_QA_SUGGESTIONS, enabled, 'any');
  const shown = enabled && hits !== null ? hits : [];
  return (
    <div className="qa-suggestions" data-testid="qa-suggestions">
      <p role="status" className="visually-hidden">{shown.length > 0 ? t('suggest.count', { count: shown.length }) : ''}</p>
      {shown.length > 0 && (
        <section aria-labelledby={`${ids}-heading`} className="qa-suggest-box">
          <h2 id={`${ids}-heading`}>{t('suggest.heading')}</h2>
          <ul>
            {shown.map((hit) => (
              <Suggestion key={hit.id} hit={hit} language={lang(i18n.language)} />
            ))}
          </ul>
          <p className="hint">{t('suggest.keep')}</p>
        </section>
      )}
    </div>
  );
}
