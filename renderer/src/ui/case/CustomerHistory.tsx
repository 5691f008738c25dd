/**
 * "Have we solved this before?": every case of the customer and of the contact, open and closed,
 * newest first, from the store (its index by customer and contact, so offline too). `h` moves
 * focus into the list; arrows or j/k move in it, Enter opens the case.
 */
import { useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useT } from '../../i18n/typing';
import { useFormat, useLanguage, useNow, useSession, useStoreVersion } from '../hooks';
import type { HistoryOf } from '../../model/history';
import type { DisplayRow } from '../../model/rows';
import { categoryLabel, statusLabel } from '../../i18n/labels';
import { isTyping, plain, useKeys } from '../keys';
import { SlaCell } from '../Queue';

/** More than this many cases are a long-standing customer's: the newest are shown, and how many more. */
const SHOWN_MAX = 100;

interface Props {
  of: HistoryOf;
  /** The case on screen, left out of its own history. */
  exclude?: string;
  onOpen: (row: DisplayRow) => void;
  /** Whether `h` is this list's (only one list takes it at a time). */
  keys: boolean;
  /** `data-testid` of the section: `case-history` or `call-history`. */
  testId: string;
  className?: string;
}

export function CustomerHistory({ of, exclude, onOpen, keys, testId, className }: Props) {
  const { t } = useT();
  const lang = useLanguage();
  const fmt = useFormat();
  const now = useNow();
  const session = useSession();
  useStoreVersion();
  const list = useRef<HTMLUListElement>(null);
  const [active, setActive] = useState(0);
  const all = session.store.cases.history(of).filter((r) => r.id !== exclude);
  const rows = all.slice(0, SHOWN_MAX);
  const current = Math.min(active, Math.max(0, rows.length - 1));

  const focusItem = (i: number) => {
    const items = list.current?.querySelectorAll<HTMLButtonElement>('button.history-item');
    const target = items?.[Math.max(0, Math.min(i, (items?.length ?? 1) - 1))];
    if (!target) return false;
    target.focus();
    return true;
  };

  useKeys((e) => {
    if (isTyping(e) || !plain(e) || e.key !== 'h') return false;
    return focusItem(current);
  }, keys && rows.length > 0);

  const onKeyDown = (e: ReactKeyboardEvent<HTMLButtonElement>, i: number) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    // Handled here, not by the window's listeners: the queue's own j/k and Enter must not move
    // or open its selection under the case or the call.
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
      e.nativeEvent.stopImmediatePropagation();
    };
    if (e.key === 'Enter') {
      handled();
      const row = rows[i];
      if (row) onOpen(row);
      return;
    }
    const next = e.key === 'ArrowDown' || e.key === 'j' ? i + 1 : e.key === 'ArrowUp' || e.key === 'k' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? rows.length - 1 : null;
    if (next === null) return;
    handled();
    focusItem(next);
  };

  const titleId = `${testId}-title`;
  return (
    <section className={`panel history ${className ?? ''}`} aria-labelledby={titleId} data-testid={testId}>
      <div className="panel-head">
        <h2 id={titleId}>
          {t('case:history.title')} <span className="muted small">({all.length})</span>
        </h2>
        {rows.length > 0 && keys && <kbd title={t('case:history.keyHint')}>h</kbd>}
      </div>
      {rows.length === 0 ? (
        <p className="muted small">{t('case:history.none')}</p>
      ) : (
        <ul className="history-list" ref={list}>
          {rows.map((r, i) => (
            <li key={r.id}>
              <button
                type="button"
                className={`history-item${r.status === 'closed' ? ' closed' : ''}`}
                tabIndex={i === current ? 0 : -1}
                data-number={r.number}
                data-testid="history-item"
                onFocus={() => setActive(i)}
                onKeyDown={(e) => onKeyDown(e, i)}
                onClick={() => onOpen(r)}
              >
                <span className="history-line">
                  <span className="num">{r.number}</span> <span className="ellipsis">{r.title}</span>
                </span>
                <span className="history-meta small">
                  <span className="chip status tiny">{statusLabel(r.status, lang, r.category)}</span>
                  <span className={`cat-${r.category}`}>{categoryLabel(r.category, lang)}</span>
                  {r.serviceLevel !== null && <span>{t('case:levelChip', { level: r.serviceLevel })}</span>}
                  <span className="muted">{fmt.shortDate(r.registeredAt)}</span>
                  {r.deadlineAt !== null && (
                    <span>
                      <span className="muted">{t('case:history.sla')}</span> <SlaCell row={r} now={now} fmt={fmt} />
                    </span>
                  )}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {all.length > rows.length && <p className="muted small">{t('case:history.more', { count: all.length - rows.length })}</p>}
    </section>
  );
}
