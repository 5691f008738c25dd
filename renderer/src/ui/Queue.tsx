/**
 * The queue: ready views, filters, and a virtualised list that renders only the rows on screen,
 * so 100,000 cached cases scroll like 100. j/k or arrows move, Enter opens.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useMemo, useRef, type RefObject } from 'react';
import { OnCallMark, PresenceBadges } from './Presence';
import { useT } from '../i18n/typing';
import { useFormat, useLanguage, useNow, useSession, useSignal, useStoreVersion } from './hooks';
import type { DisplayRow } from '../model/rows';
import { READY_VIEWS, type QueueFilters, type QueueIndex, type ReadyView, type Sort, type SortKey } from '../model/queue';
import { slaRemaining } from '../model/slaView';
import type { Formatters } from '../i18n/format';
import { categoryLabel, statusLabel } from '../i18n/labels';
import { isTyping, useKeys } from './keys';
import { QueueFilterBar } from './QueueFilters';

export interface QueueState {
  view: ReadyView;
  filters: QueueFilters;
  sort: Sort;
  selectedId: string | null;
}

const ROW_HEIGHT = 34;

interface Props {
  index: QueueIndex;
  state: QueueState;
  /**
   * False while a case covers the queue: its keys are then the case's. A ref, so that covering
   * the queue re-renders nothing of it.
   */
  shown: RefObject<boolean>;
  onState: (update: (s: QueueState) => QueueState) => void;
  onOpen: (row: DisplayRow) => void;
}

/** Memoised: the desk re-renders around it (opening a case, the top bar's counts) without it. */
export const Queue = memo(function Queue({ index, state, shown, onState, onOpen }: Props) {
  const { t } = useT();
  const session = useSession();
  // Re-rendered on every change of the cache: names of customers and assignees may have changed.
  useStoreVersion();
  const teams = useSignal(session.teams);
  const now = useNow();
  // Only the Breached view depends on the clock; the others do not re-filter every minute.
  const viewNow = state.view === 'breached' ? now : 0;
  const indexVersion = index.version;
  const rows = useMemo(() => {
    const start = performance.now();
    const selected = index.select({ teams, view: state.view, filters: state.filters, sort: state.sort }, { meId: session.me.id, now: viewNow || Date.now() });
    performance.measure('desk:queue-select', { start, end: performance.now() });
    return selected;
  }, [index, indexVersion, teams, state.view, state.filters, state.sort, session.me.id, viewNow]);

  const selectedId = state.selectedId;
  const scroller = useRef<HTMLDivElement>(null);
  // Four rows beyond the visible ones on each side: every switch, cache change and first paint
  // lays out and paints every rendered row, and most of a switch's frame is that (new text
  // shaped). With 12, a trace of 48 switches had 6.5 ms of layout and 2.2 ms of paint per
  // switch, with 4, 3.7 and 1.3 ms. Scrolling renders the next rows in the scroll's own frame.
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 4 });

  // Looked for only when a key needs it: a search of up to 100,000 rows on every switch and every
  // change of the cache would be paid for a selection most switches do not show.
  const selectedIndex = () => (selectedId === null ? -1 : rows.findIndex((r) => r.id === selectedId));
  /**
   * The list follows the selection only when a key moves it. A switch of team, view, filter or
   * sort, a change of the cache, or coming back from a case (which selected it) leaves the list
   * where it was: scrolling to the selected row there would measure the layout in the middle of
   * the switch's frame and render the rows twice, and the case looked up is rarely where the
   * specialist was working in the queue.
   */
  const select = (i: number) => {
    const at = Math.max(0, Math.min(rows.length - 1, i));
    const row = rows[at];
    if (!row) return;
    virtualizer.scrollToIndex(at, { align: 'auto' });
    onState((s) => ({ ...s, selectedId: row.id }));
  };

  useKeys((e) => {
    if (!shown.current || isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return false;
    if (e.shiftKey && /^Digit[1-5]$/.test(e.code)) {
      const view = READY_VIEWS[Number(e.code.slice(5)) - 1];
      if (view) onState((s) => ({ ...s, view }));
      return true;
    }
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        select(selectedIndex() + 1);
        return true;
      case 'k':
      case 'ArrowUp': {
        const at = selectedIndex();
        select(at <= 0 ? 0 : at - 1);
        return true;
      }
      case 'Home':
        select(0);
        return true;
      case 'End':
        select(rows.length - 1);
        return true;
      case 'Enter': {
        const row = rows[selectedIndex()] ?? rows[0];
        if (row) onOpen(row);
        return row !== undefined;
      }
      default:
        return false;
    }
  });

  const selectId = useCallback((id: string) => onState((s) => ({ ...s, selectedId: id })), [onState]);
  const setFilters = useCallback((filters: QueueFilters) => onState((s) => ({ ...s, filters })), [onState]);
  const setSort = (key: SortKey) =>
    onState((s) => ({ ...s, sort: { key, dir: s.sort.key === key && s.sort.dir === 'asc' ? 'desc' : 'asc' } }));

  return (
    <section className="queue" aria-label={t('queue:title')}>
      <nav className="views" aria-label={t('queue:views.label')}>
        {READY_VIEWS.map((view, i) => (
          <button
            key={view}
            type="button"
            className="tab"
            aria-pressed={state.view === view}
            data-testid={`view-${view}`}
            title={`Shift+${i + 1}`}
            onClick={() => onState((s) => ({ ...s, view }))}
          >
            {t(`queue:views.${view}`)}
          </button>
        ))}
        <span className="spacer" />
        <span className="muted" data-testid="queue-count">
          {t('queue:count', { count: rows.length })}
        </span>
      </nav>
      <QueueFilterBar filters={state.filters} onChange={setFilters} />
      {/* One grid: the header row and the rows (a virtual list: each row says its index). */}
      <div className="queue-grid" role="grid" aria-label={t('queue:title')} aria-rowcount={rows.length + 1}>
        <div className="grid-head" role="row" aria-rowindex={1}>
          <SortHeader label={t('queue:columns.number')} sortKey="number" sort={state.sort} onSort={setSort} />
          <span role="columnheader">{t('queue:columns.customer')}</span>
          <span role="columnheader">{t('queue:columns.title')}</span>
          <span role="columnheader">{t('queue:columns.category')}</span>
          <span role="columnheader">{t('queue:columns.level')}</span>
          <span role="columnheader">{t('queue:columns.status')}</span>
          <SortHeader label={t('queue:columns.sla')} sortKey="urgency" sort={state.sort} onSort={setSort} />
          <span role="columnheader">{t('queue:columns.assignee')}</span>
          <SortHeader label={t('queue:columns.age')} sortKey="age" sort={state.sort} onSort={setSort} />
        </div>
        <div ref={scroller} className="grid-body" role="rowgroup" data-testid="queue">
          {rows.length === 0 ? (
            <div role="row">
              <p className="empty" role="gridcell">
                {t('queue:empty')}
              </p>
            </div>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = rows[item.index];
                if (!row) return null;
                return (
                  <QueueRow
                    // By position: a new filter or sort fills the same row elements with other cases.
                    key={item.key}
                    row={row}
                    customerName={session.store.directory.customers.get(row.customerId)?.name}
                    assigneeName={row.assigneeId ? session.store.directory.specialists.get(row.assigneeId)?.name : undefined}
                    top={item.start}
                    rowIndex={item.index + 2}
                    selected={row.id === selectedId}
                    now={now}
                    onSelect={selectId}
                    onOpen={onOpen}
                  />
                );
              })}
            </div>
          )}
        </div>
      </div>
    </section>
  );
});

function SortHeader({ label, sortKey, sort, onSort }: { label: string; sortKey: SortKey; sort: Sort; onSort: (k: SortKey) => void }) {
  const active = sort.key === sortKey;
  return (
    <button
      type="button"
      role="columnheader"
      className={`sort ${active ? 'active' : ''}`}
      aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      data-testid={`sort-${sortKey}`}
      onClick={() => onSort(sortKey)}
    >
      {label}
      {active ? (sort.dir === 'asc' ? ' ↑' : ' ↓') : ''}
    </button>
  );
}

interface RowProps {
  row: DisplayRow;
  /** Looked up by the list, so that a row re-renders only when what it shows changed. */
  customerName: string | undefined;
  assigneeName: string | undefined;
  top: number;
  /** The row's place in the grid (the header is row 1). */
  rowIndex: number;
  selected: boolean;
  now: number;
  onSelect: (id: string) => void;
  onOpen: (row: DisplayRow) => void;
}

const QueueRow = memo(function QueueRow({ row, customerName, assigneeName, top, rowIndex, selected, now, onSelect, onOpen }: RowProps) {
  const lang = useLanguage();
  const fmt = useFormat();
  return (
    <div
      role="row"
      className={`grid-row ${selected ? 'selected' : ''} ${row.pending ? 'is-pending' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      aria-selected={selected}
      aria-rowindex={rowIndex}
      data-testid="queue-row"
      data-number={row.number}
      onClick={() => onSelect(row.id)}
      onDoubleClick={() => onOpen(row)}
    >
      <span className="num" role="gridcell">
        <button type="button" className="link" onClick={() => onOpen(row)} tabIndex={-1}>
          {row.number}
        </button>
      </span>
      <span className="ellipsis" role="gridcell">
        {customerName ?? '…'}
      </span>
      <span className="ellipsis title-cell" role="gridcell">
        {row.title}
        {row.pending ? <PendingMark /> : null}
        {row.conflict ? <ConflictMark /> : null}
        <PresenceBadges caseId={row.id} />
      </span>
      <span className={`cat cat-${row.category}`} role="gridcell">
        {categoryLabel(row.category, lang)}
      </span>
      <span className="level" role="gridcell">
        {row.serviceLevel ?? ''}
      </span>
      <span className="ellipsis" role="gridcell">
        {statusLabel(row.status, lang, row.category)}
      </span>
      <span role="gridcell">
        <SlaCell row={row} now={now} fmt={fmt} />
      </span>
      <span className="ellipsis muted" role="gridcell">
        {assigneeName ?? '—'} <OnCallMark specialistId={row.assigneeId} name={assigneeName} />
      </span>
      <span className="muted age" role="gridcell">
        {fmt.age(row.registeredAt, now)}
      </span>
    </div>
  );
});

export function SlaCell({ row, now, fmt }: { row: DisplayRow; now: number; fmt: Formatters }) {
  const { t } = useT();
  const sla = slaRemaining(row, now);
  if (!sla) return <span className="muted">—</span>;
  // The queue is sorted by the deadline instant, so the column shows that instant in my own time
  // ("11:15", "tis 09:00", "sedan 14:00"): business hours left are counted in each case's own
  // office and would read out of order across offices. The hours left are in the tooltip.
  const when = sla.minutes === null ? fmt.shortDate(sla.deadlineAt) : fmt.dayTime(sla.deadlineAt, now, true);
  const text = sla.tone === 'breached' ? t('queue:sla.since', { date: when }) : when;
  const title =
    sla.minutes === null
      ? fmt.dateTime(sla.deadlineAt)
      : `${fmt.dateTime(sla.deadlineAt)} · ${t(sla.minutes >= 0 ? 'queue:sla.left' : 'queue:sla.over', { time: fmt.minutes(Math.abs(sla.minutes)) })}`;
  return (
    <span className={`sla ${sla.tone}`} data-tone={sla.tone} title={title}>
      {text}
    </span>
  );
}

function PendingMark() {
  const { t } = useT();
  return (
    <span className="chip pending tiny" data-testid="pending-mark">
      {t('sync:pendingShort')}
    </span>
  );
}

function ConflictMark() {
  const { t } = useT();
  return <span className="chip danger tiny">{t('sync:conflictShort')}</span>;
}
