/**
 * One box for everything, from anywhere: `/`, Ctrl+K, or just typing digits.
 * - A case number: the cache answers as you type (a Map get, first and synchronous), and the
 *   desk prepares the case it names (`PrepareCase`); Enter opens it, or asks the server when the
 *   number is not cached and the desk is online.
 * - Words: the search worker's index of the cache (cases with their notes, customers, contacts;
 *   Swedish and Finnish), and the actions whose names they start (lookupActions.ts). Results
 *   are grouped, ↑/↓ choose, Enter runs the chosen one; the matching words are marked.
 */
import { createContext, forwardRef, useContext, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useT } from '../i18n/typing';
import { foldText, parseCaseNumber, type Contact, type Customer } from '../../../shared/index';
import { useLanguage, useSession, useSignal, useStoreVersion } from './hooks';
import type { DisplayRow } from '../model/rows';
import { highlight, rankCases, type TextResults } from '../model/textSearch';
import { categoryLabel, statusLabel } from '../i18n/labels';
import { errorMessage } from './errors';
import { matchActions, type LookupActionId, type LookupActions } from './lookupActions';

export interface LookupHandle {
  focus(initial?: string): void;
}

/**
 * Told the id of the cached case the lookup offers (null when none), so the desk can render it
 * out of sight while the number is still being read out, and Enter only has to show it.
 */
export const PrepareCase = createContext<(id: string | null) => void>(() => undefined);

type Outcome = { kind: 'idle' } | { kind: 'asking'; n: number } | { kind: 'notFound'; n: number } | { kind: 'offline'; n: number } | { kind: 'error'; message: string };

/** A customer (or one of its contacts) chosen in the box: the box lists its cases. */
interface Scope {
  name: string;
  rows: DisplayRow[];
}

type Option =
  | { kind: 'case'; row: DisplayRow; terms: readonly string[]; where: 'title' | 'description' | 'note' | null; snippet?: string }
  | { kind: 'customer'; customer: Customer; terms: readonly string[] }
  | { kind: 'contact'; contact: Contact; customer: Customer | undefined; terms: readonly string[] }
  | { kind: 'action'; id: LookupActionId; keys: string | null };

const NO_ACTIONS: LookupActions = {
  newCase: () => undefined,
  team1: () => undefined,
  team2: () => undefined,
  bothTeams: () => undefined,
  callLog: () => undefined,
  shortcuts: () => undefined,
  account: () => undefined,
  logout: () => undefined,
  mailReview: () => undefined,
  templates: () => undefined,
  knowledgeBase: () => undefined,
  leadDesk: () => undefined,
};

const GROUP_TITLES = {
  case: 'lookup:search.cases',
  customer: 'lookup:search.customers',
  contact: 'lookup:search.contacts',
  action: 'lookup:search.actions',
} as const;

/** Cases per customer shown in the box, newest change first. */
const SCOPE_LIMIT = 12;

function Marked({ text, terms }: { text: string; terms: readonly string[] }) {
  return (
    <>
      {highlight(text, terms).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

export const Lookup = forwardRef<LookupHandle, { onOpen: (row: DisplayRow) => void; actions?: LookupActions }>(function Lookup({ onOpen, actions = NO_ACTIONS }, ref) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  const status = useSignal(session.status);
  const version = useStoreVersion();
  // Asked again once the index holds the whole cache, and as the cache changes.
  const indexReady = useSignal(session.search.ready);
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [focused, setFocused] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [found, setFound] = useState<{ text: string; results: TextResults } | null>(null);
  const [active, setActive] = useState(0);
  const [scope, setScope] = useState<Scope | null>(null);
  // When the text being searched was typed: `desk:search` measures typing to results shown.
  const typedAt = useRef<{ text: string; at: number } | null>(null);

  const change = (value: string) => {
    setText(value);
    setOutcome({ kind: 'idle' });
    setActive(0);
    setScope(null);
    typedAt.current = { text: value, at: performance.now() };
  };

  useImperativeHandle(ref, () => ({
    focus(initial?: string) {
      if (initial !== undefined) change(initial);
      input.current?.focus();
    },
  }));

  const n = parseCaseNumber(text);
  const hit = n === null ? undefined : session.store.cases.byNumber(n);
  const words = n === null && foldText(text.trim()).length >= 2 ? text.trim() : '';
  const showPanel = focused && (text.trim() !== '' || scope !== null);

  const prepare = useContext(PrepareCase);
  const offered = showPanel && hit ? hit.id : null;
  useEffect(() => prepare(offered), [prepare, offered]);

  // Words go to the search worker; only the answer for the text still typed is shown.
  const current = useRef(words);
  current.current = words;
  useEffect(() => {
    if (words === '') return;
    let live = true;
    void session.search.query(words).then((results) => {
      if (live && current.current === words) setFound({ text: words, results });
    });
    return () => {
      live = false;
    };
  }, [session, words, indexReady, version]);
  // The answer for the text typed; until it comes, the previous one stays on screen (no flicker).
  const results = found !== null && found.text === words ? found.results : null;
  const shown = words === '' ? null : (results ?? found?.results ?? null);
  useLayoutEffect(() => {
    const typed = typedAt.current;
    if (results === null || typed === null || typed.text.trim() !== words) return;
    performance.measure('desk:search', { start: typed.at, end: performance.now() });
    typedAt.current = null;
  }, [results, words]);

  const directory = session.store.directory;
  const options: Option[] = [];
  // Actions by name, also where the name reads as a number ("team 2", "tiimi 2"): when one is
  // named by its own name they come first (the specialist asked for it), otherwise last.
  const named = !scope && /\p{L}/u.test(text) ? matchActions(t, text, session.me.role === 'lead') : [];
  const actionsFirst = named.some((m) => m.byName);
  const pushActions = () => {
    for (const { action } of named) options.push({ kind: 'action', id: action.id, keys: action.keys });
  };
  if (actionsFirst) pushActions();
  if (scope) {
    for (const row of scope.rows) options.push({ kind: 'case', row, terms: [], where: null });
  } else {
    const wordHits = shown?.cases ?? [];
    const where = new Map(wordHits.map((h) => [h.id, h]));
    for (const id of rankCases(hit ? hit.id : null, words === '' ? [] : wordHits)) {
      const row = session.store.cases.get(id);
      const h = where.get(id);
      if (row) options.push({ kind: 'case', row, terms: h?.terms ?? [], where: h ? (h.fields.includes('title') ? 'title' : (h.fields[0] ?? null)) : null, ...(h?.snippet !== undefined ? { snippet: h.snippet } : {}) });
    }
    if (words !== '') {
      for (const h of shown?.customers ?? []) {
        const customer = directory.customers.get(h.id);
        if (customer) options.push({ kind: 'customer', customer, terms: h.terms });
      }
      for (const h of shown?.contacts ?? []) {
        const contact = directory.contacts.get(h.id);
        if (contact) options.push({ kind: 'contact', contact, customer: directory.customers.get(contact.customerId), terms: h.terms });
      }
    }
    if (!actionsFirst) pushActions();
  }
  const chosen = Math.min(active, Math.max(0, options.length - 1));

  const close = () => {
    setText('');
    setOutcome({ kind: 'idle' });
    setScope(null);
    setActive(0);
    input.current?.blur();
  };

  const open = (row: DisplayRow) => {
    close();
    onOpen(row);
  };

  const showCasesOf = (name: string, match: (row: DisplayRow) => boolean) => {
    const rows = session.store.cases
      .rows()
      .filter(match)
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, SCOPE_LIMIT);
    setScope({ name, rows });
    setActive(0);
  };

  const run = (o: Option) => {
    switch (o.kind) {
      case 'case':
        open(o.row);
        return;
      case 'customer':
        showCasesOf(o.customer.name, (r) => r.customerId === o.customer.id);
        return;
      case 'contact':
        showCasesOf(o.contact.name, (r) => r.contactId === o.contact.id);
        return;
      case 'action':
        close();
        actions[o.id]();
        return;
    }
  };

  const submit = async () => {
    if (n === null) {
      const o = options[chosen];
      if (o) run(o);
      return;
    }
    const start = performance.now();
    const cached = session.store.cases.byNumber(n);
    if (cached) {
      performance.measure('desk:lookup-cache', { start, end: performance.now() });
      open(cached);
      return;
    }
    if (status.connection === 'offline') {
      setOutcome({ kind: 'offline', n });
      return;
    }
    setOutcome({ kind: 'asking', n });
    try {
      const fetched = await session.details.fetchByNumber(n);
      if (fetched) open(fetched);
      else setOutcome({ kind: 'notFound', n });
    } catch (e) {
      setOutcome({ kind: 'error', message: errorMessage(t, e) });
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      // A number opens its case (or asks the server) unless another result was chosen.
      const o = options[chosen];
      if (n !== null && (!o || (o.kind === 'case' && o.row.id === hit?.id))) void submit();
      else if (o) run(o);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (options.length === 0) return;
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((chosen + step + options.length) % options.length);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (scope) setScope(null);
      else close();
    }
  };

  const optionId = (i: number) => `lookup-option-${i}`;
  const listed = options.length > 0;
  const group = (kind: Option['kind'], title: string): ReactNode => {
    const items = options.map((o, i) => ({ o, i })).filter(({ o }) => o.kind === kind);
    if (items.length === 0) return null;
    return (
      <div role="group" aria-labelledby={`lookup-group-${kind}`} className="lookup-group" key={kind}>
        <div id={`lookup-group-${kind}`} role="presentation" className="lookup-group-title">
          {title}
        </div>
        {items.map(({ o, i }) => {
          return (
            <div
              key={i}
              id={optionId(i)}
              role="option"
              aria-selected={i === chosen}
              className={i === chosen ? 'lookup-option active' : 'lookup-option'}
              data-testid={o.kind === 'case' && hit?.id === o.row.id ? 'lookup-hit' : `lookup-${o.kind}`}
              onMouseDown={(e) => e.preventDefault()}
              onMouseMove={() => i !== chosen && setActive(i)}
              onClick={() => run(o)}
            >
              {optionBody(o)}
            </div>
          );
        })}
      </div>
    );
  };

  const optionBody = (o: Option): ReactNode => {
    switch (o.kind) {
      case 'case':
        return (
          <>
            <span className="num">{o.row.number}</span>
            <span className="title">
              <Marked text={o.row.title} terms={o.terms} />
            </span>
            <span className="muted">
              {directory.customers.get(o.row.customerId)?.name ?? ''} · {categoryLabel(o.row.category, lang)} · {statusLabel(o.row.status, lang, o.row.category)}
              {o.where === 'note' ? ` · ${t('lookup:search.inNote')}` : o.where === 'description' ? ` · ${t('lookup:search.inDescription')}` : ''}
            </span>
            {o.snippet !== undefined && o.where !== 'title' && (
              <span className="snippet">
                <Marked text={o.snippet} terms={o.terms} />
              </span>
            )}
          </>
        );
      case 'customer':
        return (
          <>
            <span className="title">
              <Marked text={o.customer.name} terms={o.terms} />
            </span>
            <span className="muted">{o.customer.orgNumber}</span>
          </>
        );
      case 'contact':
        return (
          <>
            <span className="title">
              <Marked text={o.contact.name} terms={o.terms} />
            </span>
            <span className="muted">{[o.customer?.name, o.contact.email, o.contact.phone].filter(Boolean).join(' · ')}</span>
          </>
        );
      case 'action':
        return (
          <>
            <span className="title">{t(`lookup:actions.${o.id}`)}</span>
            {o.keys && <kbd className="muted">{o.keys}</kbd>}
          </>
        );
    }
  };

  const message = (): ReactNode => {
    if (scope) return scope.rows.length === 0 ? <p className="muted">{t('lookup:search.noCasesOf', { name: scope.name })}</p> : null;
    // A name that reads as a number ("team 2") and names an action: Enter runs the action.
    if (n !== null && !hit && listed && outcome.kind === 'idle') return <p className="hint">{t('lookup:search.hint')}</p>;
    if (n !== null) {
      if (hit) return <p className="hint">{t('lookup:enterToOpen')}</p>;
      if (outcome.kind === 'asking') return <p className="muted">{t('lookup:asking', { number: n })}</p>;
      if (outcome.kind === 'notFound')
        return (
          <p className="error" data-testid="lookup-not-found">
            {t('lookup:notFound', { number: outcome.n })}
          </p>
        );
      if (outcome.kind === 'offline') return <p className="warn">{t('lookup:offlineNotCached', { number: outcome.n })}</p>;
      if (outcome.kind === 'error') return <p className="error">{outcome.message}</p>;
      return <p className="muted">{status.connection === 'online' ? t('lookup:notCachedAsk', { number: n }) : t('lookup:offlineNotCached', { number: n })}</p>;
    }
    if (words === '') return <p className="muted">{t('lookup:notANumber')}</p>;
    if (results === null && !listed) return <p className="muted">{t('lookup:search.searching')}</p>;
    if (!listed) return <p className="muted">{t('lookup:search.none', { text: words })}</p>;
    return <p className="hint">{t('lookup:search.hint')}</p>;
  };

  return (
    <div className="lookup" role="search">
      <input
        ref={input}
        data-testid="lookup"
        className="lookup-input"
        value={text}
        placeholder={t('lookup:placeholder')}
        aria-label={t('lookup:label')}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showPanel && listed}
        aria-controls="lookup-listbox"
        aria-activedescendant={showPanel && listed ? optionId(chosen) : undefined}
        onChange={(e) => change(e.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        spellCheck={false}
        autoComplete="off"
      />
      <kbd className="lookup-kbd" aria-hidden="true">/</kbd>
      {showPanel && (
        <div className="lookup-panel" data-testid="lookup-panel">
          {scope && <p className="lookup-scope">{t('lookup:search.casesOf', { name: scope.name })}</p>}
          {listed && (
            <div id="lookup-listbox" role="listbox" aria-label={t('lookup:label')} className="lookup-list">
              {/* In the order of the options, so ↑/↓ go down and up the screen. */}
              {[...new Set(options.map((o) => o.kind))].map((kind) => group(kind, t(GROUP_TITLES[kind])))}
            </div>
          )}
          <div role="status" className="lookup-status">
            {message()}
          </div>
        </div>
      )}
    </div>
  );
});
