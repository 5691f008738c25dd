/**
 * A case, complete. The first frame is what a specialist on the phone needs at once, from the
 * in-memory row: the case's head, who is calling and whether they are entitled, the SLA. The
 * rest — the flow, the full record from IndexedDB, the timeline, the editing panels — renders
 * in the task after that frame (`usePainted`), so opening a case costs one small render.
 *
 * A case can also be prepared before it is opened: while a number typed into the lookup names
 * a cached case, the desk renders that case here, laid out but not shown (`shown` false), so
 * that Enter only has to show it. A prepared case is no case detail yet: no test id, no number
 * attribute, inert, invisible, and its shortcuts are off.
 */
import { memo, useEffect, type FocusEvent, type FormEvent } from 'react';
import { useT } from '../../i18n/typing';
import { useLanguage, useSession, useSignal, useStoreVersion } from '../hooks';
import type { DisplayRow } from '../../model/rows';
import { categoryLabel, statusLabel } from '../../i18n/labels';
import { isTyping, plain, useKeys } from '../keys';
import { AssignPanel, assignToMe } from './AssignPanel';
import { BillingPanel } from './BillingPanel';
import { ConflictPanel } from './ConflictPanel';
import { CustomerPanel } from './CustomerPanel';
import { CustomerHistory } from './CustomerHistory';
import { FieldsPanel } from './FieldsPanel';
import { FlowPanel, stepTo } from './FlowPanel';
import { SlaPanel } from './SlaPanel';
import { Timeline } from './Timeline';
import { TransferPanel } from './TransferPanel';
import { useFullCase } from './useCaseData';
import { usePainted } from '../usePainted';
import { pendingDescription } from '../../model/overlay';
import { CasePresenceLine } from '../Presence';

/** `onOpen`: opens another case (from the customer's history). */
export function CaseDetail({ id, shown, onBack, onOpen }: { id: string; shown: boolean; onBack: () => void; onOpen: (row: DisplayRow) => void }) {
  const { t } = useT();
  const session = useSession();
  useStoreVersion();
  const row = session.store.cases.get(id);
  // False until the first paint after the case is shown: a prepared case stays at its head,
  // because the rest would lengthen the keystrokes' tasks and only add to the frame showing it.
  const painted = usePainted(shown);
  const exists = row !== undefined;

  // Colleagues see that this case is open here while it is shown (a prepared case is not).
  useEffect(() => {
    if (!shown || !exists) return;
    session.presence.view(id);
    return () => session.presence.leave(id);
  }, [session, id, shown, exists]);
  // Typing in a note, a field or the flow panel: colleagues see "… is writing".
  const isField = (el: EventTarget | null) => el instanceof HTMLElement && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT' || el.tagName === 'SELECT');
  const onInput = (e: FormEvent) => {
    if (shown && isField(e.target)) session.presence.typing(id);
  };
  // Leaving the field (Esc, Tab away, a click elsewhere) ends writing; moving to another field of the case goes on.
  const onBlur = (e: FocusEvent) => {
    if (isField(e.target) && !isField(e.relatedTarget)) session.presence.stopTyping(id);
  };

  useKeys((e) => {
    if (!shown || !row || isTyping(e) || !plain(e)) return false;
    switch (e.key) {
      case 'a':
        void assignToMe(session, row);
        return true;
      case ']':
        void stepTo(session, row, +1);
        return true;
      case '[':
        void stepTo(session, row, -1);
        return true;
      // `m` (note), `r` (reply) and Alt+S: the composer's own keys (Composer.tsx).
      case 't':
        document.getElementById('transfer-open')?.click();
        return true;
      case 'e':
        document.getElementById('edit-open')?.click();
        return true;
      default:
        return false;
    }
  });

  if (!row) {
    if (!shown) return null;
    return (
      <section className="case missing">
        <button type="button" className="ghost" onClick={onBack}>
          ← {t('common:nav.back')}
        </button>
        <p>{t('case:missing')}</p>
      </section>
    );
  }
  // Showing a prepared case changes these attributes and nothing inside (`CaseContent` is
  // memoised and its props stay the same): no render of its content, no layout, only the
  // restyle and paint of the case's head.
  return (
    <article
      className={shown ? 'case' : 'case prepared'}
      data-testid={shown ? 'case-detail' : undefined}
      data-number={shown ? row.number : undefined}
      aria-labelledby="case-title"
      inert={!shown}
      onInput={onInput}
      onChange={onInput}
      onBlur={onBlur}
    >
      <CaseContent id={id} painted={painted} onBack={onBack} onOpen={onOpen} />
    </article>
  );
}

const CaseContent = memo(function CaseContent({ id, painted, onBack, onOpen }: { id: string; painted: boolean; onBack: () => void; onOpen: (row: DisplayRow) => void }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  useStoreVersion();
  const row = session.store.cases.get(id);
  const full = useFullCase(painted ? row : undefined);
  if (!row) return null;
  const entries = session.store.cases.outboxOf(id);
  const description = pendingDescription(entries) ?? full?.description ?? '';
  return (
    <>
      <header className="case-head">
        <button type="button" className="ghost back" onClick={onBack} title="Esc">
          ← {t('common:nav.queue')}
        </button>
        <div className="case-title">
          <span className="num big" data-testid="case-number">
            {row.number}
          </span>
          <h1 id="case-title">{row.title}</h1>
        </div>
        <div className="chips">
          <span className={`chip cat-${row.category}`}>{categoryLabel(row.category, lang)}</span>
          <span className="chip status" data-testid="case-status">
            {statusLabel(row.status, lang, row.category)}
          </span>
          {row.serviceLevel !== null && <span className="chip">{t('case:levelChip', { level: row.serviceLevel })}</span>}
          <span className="chip">{t('common:team.short', { team: row.team })}</span>
          {row.pending ? (
            <span className="chip pending" data-testid="case-pending">
              {t('sync:pendingEdits', { count: row.pending })}
            </span>
          ) : null}
          {row.local ? <span className="chip pending">{t('case:notYetOnServer')}</span> : null}
        </div>
        <CasePresenceLine caseId={id} />
      </header>
      <ConflictPanel entries={entries} />
      <div className="case-grid">
        <div className="col-main">
          {painted && (
            <>
              <FlowPanel row={row} />
              <section className="panel">
                <h2>{t('case:fields.description')}</h2>
                <p className="description" data-testid="case-description">
                  {description || <span className="muted">{full ? t('case:noDescription') : '…'}</span>}
                </p>
              </section>
              <Timeline caseId={id} onServer={!row.local} entries={entries} />
            </>
          )}
        </div>
        <aside className="col-side">
          <SlaPanel row={row} painted={painted} />
          {/* Who is on the line, and whether they are entitled, matters most during a call. */}
          <CustomerPanel row={row} grants={painted} />
          {painted && (
            <>
              <AssignPanel row={row} />
              <FieldsPanel row={row} full={full} description={description} />
              <TransferPanel row={row} />
              <BillingPanel row={row} />
              {/* Below the case's own panels: the customer's other cases are a key away (h). */}
              <CaseHistory row={row} shown={painted} onOpen={onOpen} />
            </>
          )}
        </aside>
      </div>
    </>
  );
});

/** The customer's and the contact's other cases; during a call `h` is the caller's list (CallBanner). */
function CaseHistory({ row, shown, onOpen }: { row: DisplayRow; shown: boolean; onOpen: (row: DisplayRow) => void }) {
  const session = useSession();
  const call = useSignal(session.calls.current);
  return (
    <CustomerHistory
      of={{ customerId: row.customerId, contactId: row.contactId }}
      exclude={row.id}
      onOpen={onOpen}
      // A prepared case (not shown) is inert: its list must not take the key.
      keys={shown && call === null}
      testId="case-history"
    />
  );
}
