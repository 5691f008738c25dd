/**
 * Lookup by case number, from anywhere: `/`, Ctrl+K, or just typing digits. The cache answers
 * as you type (a Map get), and the desk prepares the case it names (`PrepareCase`); Enter
 * opens it, or asks the server when the number is not cached and the desk is online.
 */
import { createContext, forwardRef, useContext, useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent } from 'react';
import { useT } from '../i18n/typing';
import { parseCaseNumber } from '../../../shared/index';
import { useLanguage, useSession, useSignal, useStoreVersion } from './hooks';
import type { DisplayRow } from '../model/rows';
import { categoryLabel, statusLabel } from '../i18n/labels';
import { errorMessage } from './errors';

export interface LookupHandle {
  focus(initial?: string): void;
}

/**
 * Told the id of the cached case the lookup offers (null when none), so the desk can render it
 * out of sight while the number is still being read out, and Enter only has to show it.
 */
export const PrepareCase = createContext<(id: string | null) => void>(() => undefined);

type Outcome = { kind: 'idle' } | { kind: 'asking'; n: number } | { kind: 'notFound'; n: number } | { kind: 'offline'; n: number } | { kind: 'error'; message: string };

export const Lookup = forwardRef<LookupHandle, { onOpen: (row: DisplayRow) => void }>(function Lookup({ onOpen }, ref) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  const status = useSignal(session.status);
  useStoreVersion();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [focused, setFocused] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });

  useImperativeHandle(ref, () => ({
    focus(initial?: string) {
      if (initial !== undefined) {
        setText(initial);
        setOutcome({ kind: 'idle' });
      }
      input.current?.focus();
    },
  }));

  const n = parseCaseNumber(text);
  const hit = n === null ? undefined : session.store.cases.byNumber(n);
  const showPanel = focused && text.trim() !== '';

  const prepare = useContext(PrepareCase);
  const offered = showPanel && hit ? hit.id : null;
  useEffect(() => prepare(offered), [prepare, offered]);

  const open = (row: DisplayRow) => {
    setText('');
    setOutcome({ kind: 'idle' });
    input.current?.blur();
    onOpen(row);
  };

  const submit = async () => {
    if (n === null) return;
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
      const found = await session.details.fetchByNumber(n);
      if (found) open(found);
      else setOutcome({ kind: 'notFound', n });
    } catch (e) {
      setOutcome({ kind: 'error', message: errorMessage(t, e) });
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setText('');
      setOutcome({ kind: 'idle' });
      input.current?.blur();
    }
  };

  return (
    <div className="lookup" role="search">
      <input
        ref={input}
        data-testid="lookup"
        className="lookup-input"
        value={text}
        inputMode="numeric"
        placeholder={t('lookup:placeholder')}
        aria-label={t('lookup:label')}
        onChange={(e) => {
          setText(e.target.value);
          setOutcome({ kind: 'idle' });
        }}
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        spellCheck={false}
        autoComplete="off"
      />
      <kbd className="lookup-kbd" aria-hidden="true">/</kbd>
      {showPanel && (
        <div className="lookup-panel" data-testid="lookup-panel" role="status">
          {n === null ? (
            <p className="muted">{t('lookup:notANumber')}</p>
          ) : hit ? (
            <button type="button" className="lookup-hit" onMouseDown={(e) => e.preventDefault()} onClick={() => open(hit)} data-testid="lookup-hit">
              <span className="num">{hit.number}</span>
              <span className="title">{hit.title}</span>
              <span className="muted">
                {session.store.directory.customers.get(hit.customerId)?.name ?? ''} · {categoryLabel(hit.category, lang)} · {statusLabel(hit.status, lang, hit.category)}
              </span>
              <span className="hint">{t('lookup:enterToOpen')}</span>
            </button>
          ) : outcome.kind === 'asking' ? (
            <p className="muted">{t('lookup:asking', { number: n })}</p>
          ) : outcome.kind === 'notFound' ? (
            <p className="error" data-testid="lookup-not-found">
              {t('lookup:notFound', { number: outcome.n })}
            </p>
          ) : outcome.kind === 'offline' ? (
            <p className="warn">{t('lookup:offlineNotCached', { number: outcome.n })}</p>
          ) : outcome.kind === 'error' ? (
            <p className="error">{outcome.message}</p>
          ) : (
            <p className="muted">{status.connection === 'online' ? t('lookup:notCachedAsk', { number: n }) : t('lookup:offlineNotCached', { number: n })}</p>
          )}
        </div>
      )}
    </div>
  );
});
