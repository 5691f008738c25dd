/**
 * The caller log (`l`): my teams' calls, missed calls still waiting first, in callback order
 * (model/callLog.ts), answered and outgoing below. Keyboard: j/k or the arrows move, Enter opens
 * the caller's case (or a new case from the call), r calls back, d marks done (the selected
 * calls, else the row), Space or x selects. Works from the cache, online or not; marking done
 * and calling back are edits through the outbox.
 */
import { memo, useMemo, useState } from 'react';
import { callbackLink, formatPhone, isOpenMissed, type Call } from '../../../shared/index';
import { useT } from '../i18n/typing';
import { callerFromCache, type IncomingCall } from '../model/caller';
import { buildCallLog, callbackCase, type CallLogRow } from '../model/callLog';
import type { DisplayRow } from '../model/rows';
import { useAct } from './case/act';
import { useFormat, useNow, useSession, useSignal, useStoreVersion } from './hooks';
import { isTyping, useKeys } from './keys';

interface Props {
  onOpen: (row: DisplayRow) => void;
  onNewFromCall: (call: IncomingCall) => void;
}

const numberOf = (call: Call): string | null => {
  const n = call.direction === 'in' ? (call.from ?? call.fromRaw) : call.to;
  return n === '' ? null : n;
};

export const CallerLog = memo(function CallerLog({ onOpen, onNewFromCall }: Props) {
  const { t } = useT();
  const fmt = useFormat();
  const session = useSession();
  const version = useStoreVersion();
  const teams = useSignal(session.teams);
  const template = useSignal(session.softphoneUrl);
  const now = useNow();
  const { act, error } = useAct();
  const { store } = session;
  const callsVersion = store.calls.version;
  const rows = useMemo(
    () =>
      buildCallLog(store.calls.all(), teams, {
        get contacts() {
          return store.directory.contacts;
        },
        customers: store.directory.customers,
        get contactsByCustomer() {
          return store.directory.contactsByCustomer;
        },
        rows: () => store.cases.rows(),
      }),
    // The store's version covers cases and contacts; the log's own covers calls and done edits.
    [store, teams, version, callsVersion],
  );
  const missed = rows.filter((r) => isOpenMissed(r.call));
  const others = rows.filter((r) => !isOpenMissed(r.call));
  const [cursorId, setCursorId] = useState<string | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const cursor = rows.findIndex((r) => r.call.id === cursorId);
  const current = rows[cursor] ?? rows[0];

  const move = (to: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, to))];
    if (!row) return;
    setCursorId(row.call.id);
    document.getElementById(`call-${row.call.id}`)?.scrollIntoView({ block: 'nearest' });
  };
  const toggle = (id: string) =>
    setChosen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const markDone = async (ids: readonly string[]) => {
    for (const callId of ids) {
      const call = store.calls.get(callId);
      if (call && !call.done) await act({ name: 'markCallDone', args: { callId } });
    }
    setChosen(new Set());
  };
  const open = (row: CallLogRow) => {
    const target = callbackCase(row) ?? row.openCases[0];
    const shown = target ? store.cases.get(target.id) : undefined;
    if (shown) {
      onOpen(shown);
      return;
    }
    const from = numberOf(row.call) ?? '';
    const caller = callerFromCache(
      {
        customers: store.directory.customers,
        contactByPhone: store.directory.contactByPhone,
        contactsByCustomer: store.directory.contactsByCustomer,
        rows: () => store.cases.rows(),
      },
      from,
    );
    onNewFromCall({ callId: row.call.id, key: row.call.id, from, option: row.call.option, state: 'ended', caller });
  };
  /** The call back is logged on the caller's case when there is one case to log it on. */
  const calledBack = (row: CallLogRow) => {
    const target = callbackCase(row);
    if (target) void act({ name: 'logCallback', args: { caseId: target.id, callId: row.call.id, eventId: crypto.randomUUID() } });
  };

  useKeys((e) => {
    if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return false;
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        move(cursor + 1);
        return true;
      case 'k':
      case 'ArrowUp':
        move(cursor <= 0 ? 0 : cursor - 1);
        return true;
      case 'Enter':
        if (!current || (e.target as HTMLElement | null)?.closest('a, button')) return false;
        open(current);
        return true;
      // Space only: x closes the call banner, which may be open over the log.
      case ' ':
        if ((e.target as HTMLElement | null)?.closest('a, button, input')) return false;
        if (current) toggle(current.call.id);
        return current !== undefined;
      case 'd':
        void markDone(chosen.size > 0 ? [...chosen] : current ? [current.call.id] : []);
        return true;
      case 'r': {
        if (!current) return false;
        const link = document.getElementById(`callback-${current.call.id}`);
        link?.click();
        return link !== null;
      }
      default:
        return false;
    }
  });

  const renderRow = (row: CallLogRow) => {
    const { call } = row;
    const number = numberOf(call);
    const shownNumber = number === null ? t('call:log.withheld') : formatPhone(number, session.me.office);
    const who = row.contact?.name ?? (row.customer ? row.customer.name : t('call:log.unknownCaller'));
    const link = callbackLink(number, template);
    const started = Date.parse(call.startedAt);
    const waiting = isOpenMissed(call);
    const pending = store.calls.isPending(call.id);
    const doneBy = call.doneBy === null ? null : (store.directory.specialists.get(call.doneBy)?.name ?? null);
    const active = row === current;
    return (
      <tr
        key={call.id}
        id={`call-${call.id}`}
        className={`call-row ${active ? 'selected' : ''} ${waiting ? 'missed' : ''}`}
        aria-current={active ? 'true' : undefined}
        data-testid="call-row"
        data-call-id={call.id}
        data-done={call.done ? 'true' : 'false'}
        onClick={() => setCursorId(call.id)}
        onDoubleClick={() => open(row)}
      >
        <td>
          <input type="checkbox" checked={chosen.has(call.id)} onChange={() => toggle(call.id)} aria-label={t('call:log.selectRow', { caller: who })} tabIndex={-1} />
        </td>
        <td className="caller-cell">
          <span className="caller-name">{who}</span>
          {row.contact && row.customer && <span className="muted"> · {row.customer.name}</span>}
          <br />
          <span className="muted">
            {shownNumber} · {call.missed ? t('call:log.direction.missed') : t(`call:log.direction.${call.direction}`)}
          </span>
        </td>
        <td>
          <time dateTime={call.startedAt}>{fmt.dateTime(started)}</time>
        </td>
        <td>{waiting ? fmt.age(started, now) : '—'}</td>
        <td>{row.entitled === null ? t('call:log.unknown') : row.entitled ? t('call:log.entitled') : t('call:log.notEntitled')}</td>
        <td>
          {row.openCases.slice(0, 3).map((c) => (
            <button key={c.id} type="button" className="link" onClick={() => (store.cases.get(c.id) ? onOpen(store.cases.get(c.id) as DisplayRow) : undefined)} aria-label={t('call:log.openCase', { number: c.number })}>
              {c.number}
            </button>
          ))}
          {row.openCases.length > 3 && <span className="muted"> +{row.openCases.length - 3}</span>}
          {row.slaCases > 0 && <span className="chip tiny">{t('call:log.sla', { count: row.slaCases })}</span>}
        </td>
        <td className="ellipsis">{call.user ?? '—'}</td>
        <td>
          <div className="call-log-actions">
          {link && (
            <a id={`callback-${call.id}`} className="button-link" href={link}
                target="_blank"
                rel="noopener noreferrer" onClick={() => calledBack(row)} title={t('call:log.callBackTitle', { number: shownNumber })} data-testid="call-back">
              {t('call:log.callBack')}
            </a>
          )}
          {call.done ? (
            <span className="chip tiny" data-testid="call-done">
              {pending ? t('call:log.pending') : doneBy ? t('call:log.doneBy', { name: doneBy }) : t('call:log.done')}
            </span>
          ) : (
            <button type="button" className="ghost" onClick={() => void markDone([call.id])} data-testid="mark-done">
              {t('call:log.markDone')}
            </button>
          )}
          </div>
        </td>
      </tr>
    );
  };

  const head = (
    <thead>
      <tr>
        <th scope="col">
          <span className="visually-hidden">{t('call:log.columns.select')}</span>
        </th>
        <th scope="col">{t('call:log.columns.caller')}</th>
        <th scope="col">{t('call:log.columns.time')}</th>
        <th scope="col">{t('call:log.columns.waiting')}</th>
        <th scope="col">{t('call:log.columns.entitlement')}</th>
        <th scope="col">{t('call:log.columns.cases')}</th>
        <th scope="col">{t('call:log.columns.answeredBy')}</th>
        <th scope="col">
          <span className="visually-hidden">{t('call:log.columns.actions')}</span>
        </th>
      </tr>
    </thead>
  );

  return (
    <section className="caller-log" aria-labelledby="caller-log-title" data-testid="caller-log">
      <div className="panel-head">
        <h1 id="caller-log-title">{t('call:log.title')}</h1>
        <span className="muted" data-testid="missed-summary">
          {missed.length === 0 ? t('call:log.noMissed') : t('call:log.missedCount', { count: missed.length })}
        </span>
        <span className="spacer" />
        {chosen.size > 0 && (
          <button type="button" className="primary" onClick={() => void markDone([...chosen])} data-testid="mark-many-done">
            {t('call:log.markMany', { count: chosen.size })}
          </button>
        )}
      </div>
      <p className="muted hint">{t('call:log.hint')}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="empty">{t('call:log.empty')}</p>
      ) : (
        <>
          <h2 className="call-section">{t('call:log.missed')}</h2>
          {missed.length > 0 && (
            <table className="call-table" data-testid="missed-calls">
              {head}
              <tbody>{missed.map(renderRow)}</tbody>
            </table>
          )}
          <h2 className="call-section">{t('call:log.others')}</h2>
          {others.length > 0 && (
            <table className="call-table" data-testid="other-calls">
              {head}
              <tbody>{others.map(renderRow)}</tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
});
