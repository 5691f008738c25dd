/** The company's cases: open and resolved, each by the four categories; one case with its public history and a reply box. */
import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { ROUTES } from '../../../shared/api';
import { CATEGORY_IDS, CATEGORY_LABELS, statusWord } from '../../../shared/categories';
import {
  CentreCaseResponseSchema,
  CentreCasesResponseSchema,
  CentreReplyRequestSchema,
  groupCases,
  type CentreCaseResponse,
  type CentreCaseSummary,
  type CentreMe,
} from '../../../shared/centre';
import { MODULE_LABELS } from '../../../shared/modules';
import type { Language } from '../../../shared/teams';
import { z } from 'zod';
import { ApiFailure, call } from './api';
import { useDate, useErrorText } from './util';
import { FileList, FilePicker, useUploads } from './Files';
import { useCentreLive, type LiveChange } from './live';

const lang = (language: string): Language => (language === 'fi' ? 'fi' : 'sv');

function Times({ c }: { c: CentreCaseSummary }): ReactElement | null {
  const { t } = useTranslation();
  const date = useDate();
  if (c.status === 'closed') return c.resolvedAt ? <p className="meta">{t('list.resolvedAt', { date: date(c.resolvedAt) })}</p> : null;
  if (!c.sla) return null;
  return (
    <p className="meta">
      {c.status === 'new' && <span>{t('list.handlingBy', { date: date(c.sla.handlingBy) })}</span>}
      <span>{t('list.resolveBy', { date: date(c.sla.resolveBy, false) })}</span>
    </p>
  );
}

function CaseRow({ c }: { c: CentreCaseSummary }): ReactElement {
  const { t, i18n } = useTranslation();
  const date = useDate();
  const l = lang(i18n.language);
  return (
    <li className="case-row">
      <a href={`#/case/${encodeURIComponent(c.id)}`}>
        <span className="number">{c.number}</span> <span className="case-title">{c.title}</span>
      </a>
      <p className="meta">
        <span className={`status status-${c.status}`}>{statusWord(c.status, l, c.category)}</span>
        <span>{MODULE_LABELS[c.module][l]}</span>
        <span>{t('list.registered', { date: date(c.registeredAt, false) })}</span>
      </p>
      <Times c={c} />
    </li>
  );
}

export function CaseList({ me }: { me: CentreMe }): ReactElement {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [cases, setCases] = useState<CentreCaseSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Live refresh: a change to any of the company's cases fetches the list again.
  const [version, setVersion] = useState(0);
  useCentreLive(() => setVersion((v) => v + 1));
  const shown = useRef(false);
  useEffect(() => {
    call('GET', ROUTES.centreCases, CentreCasesResponseSchema).then(
      (answer) => {
        shown.current = true;
        setCases(answer.cases);
        setError(null);
      },
      // A refresh that fails keeps the list shown (offline: nothing alarming); a first load says why.
      (failure: unknown) => (shown.current ? undefined : setError(errorText(failure))),
    );
  }, [errorText, version]);
  const l = lang(i18n.language);
  const groups = groupCases(cases ?? []);
  return (
    <section>
      <h1>{t('list.heading')}</h1>
      {me.overduePayment && <p className="warning" role="note">{t('form.overdue')}</p>}
      {error && <p role="alert" className="error">{error}</p>}
      {cases === null && !error && <p aria-busy="true" />}
      {cases !== null &&
        (['open', 'resolved'] as const).map((part) => (
          <section key={part} className="group" aria-labelledby={`group-${part}`}>
            <h2 id={`group-${part}`}>{t(`list.${part}`)}</h2>
            {CATEGORY_IDS.map((category) => {
              const list = groups[part][category];
              return (
                <section key={category} aria-labelledby={`group-${part}-${category}`}>
                  <h3 id={`group-${part}-${category}`}>
                    {CATEGORY_LABELS[category][l]} <span className="count">({list.length})</span>
                  </h3>
                  {list.length === 0 ? <p className="none">{t('list.none')}</p> : <ul className="cases">{list.map((c) => <CaseRow key={c.id} c={c} />)}</ul>}
                </section>
              );
            })}
          </section>
        ))}
    </section>
  );
}

export function CaseView({ id }: { id: string; me: CentreMe }): ReactElement {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const date = useDate();
  const [view, setView] = useState<CentreCaseResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [replyError, setReplyError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [version, setVersion] = useState(0);
  const { t: tf } = useTranslation('files');
  const uploads = useUploads();
  // Live refresh: a specialist's reply or a status step on this case shows without navigation.
  useCentreLive((change: LiveChange) => (change === 'all' || change.includes(id) ? setVersion((v) => v + 1) : undefined));
  const shown = useRef<string | null>(null);
  useEffect(() => {
    call('GET', ROUTES.centreCase(id), CentreCaseResponseSchema).then(
      (answer) => {
        shown.current = id;
        setView(answer);
      },
      // A refresh that fails keeps the case shown (offline: nothing alarming); a first load says why.
      (failure: unknown) => (shown.current === id ? undefined : setError(errorText(failure))),
    );
  }, [id, version, errorText]);
  const l = lang(i18n.language);

  const reply = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setSent(false);
    if (uploads.busy) return setReplyError(tf('waiting'));
    const parsed = CentreReplyRequestSchema.safeParse({ text, files: uploads.ids });
    if (!parsed.success) return setReplyError(t('errors.required'));
    setReplyError(null);
    try {
      await call('POST', ROUTES.centreReplies(id), z.unknown(), parsed.data);
      setText('');
      uploads.clear();
      setSent(true);
      setVersion((v) => v + 1);
    } catch (failure) {
      setReplyError(failure instanceof ApiFailure && failure.field === 'files' ? tf('errors.gone') : errorText(failure));
    }
  };

  if (error) return <section><p role="alert" className="error">{error}</p><p><a href="#/">{t('case.back')}</a></p></section>;
  if (!view) return <p aria-busy="true" />;
  const c = view.case;
  const filesOf = (entryId: string | null) => view.files.filter((f) => f.entryId === entryId);
  return (
    <article className="case">
      <p><a href="#/">{t('case.back')}</a></p>
      <h1>
        <span className="number">{c.number}</span> {c.title}
      </h1>
      <dl className="facts">
        <div><dt>{t('case.status')}</dt><dd><span className={`status status-${c.status}`}>{statusWord(c.status, l, c.category)}</span></dd></div>
        <div><dt>{t('case.category')}</dt><dd>{CATEGORY_LABELS[c.category][l]}{c.serviceLevel !== null ? ` · ${t('form.level', { level: c.serviceLevel })}` : ''}</dd></div>
        <div><dt>{t('case.module')}</dt><dd>{MODULE_LABELS[c.module][l]}</dd></div>
      </dl>
      <Times c={c} />
      {(c.description !== '' || filesOf(null).length > 0) && (
        <section aria-labelledby="case-description">
          <h2 id="case-description">{t('case.description')}</h2>
          <p className="text">{c.description}</p>
          <FileList files={filesOf(null)} />
        </section>
      )}
      <section aria-labelledby="case-history">
        <h2 id="case-history">{t('case.history')}</h2>
        <ol className="entries">
          {view.entries.map((entry) =>
            entry.kind === 'status' ? (
              <li key={entry.id} className="entry status-entry">
                <span className="meta">{date(entry.at)}</span> {t('case.statusChanged', { status: statusWord(entry.to, l, c.category) })}
              </li>
            ) : (
              <li key={entry.id} className={`entry mail mail-${entry.direction}`}>
                <p className="meta">
                  <strong>{entry.direction === 'in' ? t('case.you') : entry.auto ? `${t('case.softone')} · ${t('case.ack')}` : t('case.softone')}</strong> · {date(entry.at)}
                </p>
                <p className="text">{entry.text}</p>
                <FileList files={filesOf(entry.id)} />
              </li>
            ),
          )}
        </ol>
      </section>
      <section aria-labelledby="case-reply">
        <h2 id="case-reply">{t('case.reply')}</h2>
        {view.replyable ? (
          <form onSubmit={(e) => void reply(e)} noValidate>
            <label htmlFor="reply-text">{t('case.replyLabel')}</label>
            <textarea id="reply-text" rows={5} value={text} aria-invalid={replyError !== null} aria-describedby={replyError ? 'reply-error' : undefined} onChange={(e) => setText(e.target.value)} />
            <FilePicker uploads={uploads} />
            {replyError && <p id="reply-error" role="alert" className="error">{replyError}</p>}
            {sent && <p role="status">{t('case.sent')}</p>}
            <button type="submit" className="primary">{t('case.send')}</button>
          </form>
        ) : (
          <p>{t('case.closed')}</p>
        )}
      </section>
    </article>
  );
}
