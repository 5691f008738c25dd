/**
 * The phone rings: who is calling (contact, customer, team), whether they chose the right
 * option on the switch, whether they are entitled, and their open cases. One key opens the
 * newest open case (o) and logs the call in its history, registers a new one from the call (c),
 * or dismisses (x).
 */
import { memo } from 'react';
import { useT } from '../i18n/typing';
import { formatPhone } from '../../../shared/index';
import { useLanguage, useSession, useSignal, useStoreVersion } from './hooks';
import type { DisplayRow } from '../model/rows';
import { callLog, callMismatch, type IncomingCall } from '../model/caller';
import { statusLabel, teamName } from '../i18n/labels';
import { EntitlementBadge } from './case/Entitlement';
import { CustomerHistory } from './case/CustomerHistory';
import { isTyping, plain, useKeys } from './keys';

interface Props {
  onOpen: (row: DisplayRow) => void;
  onNewFromCall: (call: IncomingCall) => void;
}

/** Memoised: it follows the session itself, not the desk's route. */
export const CallBanner = memo(CallBannerView);

function CallBannerView({ onOpen, onNewFromCall }: Props) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  useStoreVersion();
  const call = useSignal(session.calls.current);
  const openRows = (call?.caller.openCaseNumbers ?? []).map((n) => session.store.cases.byNumber(n)).filter((r): r is DisplayRow => r !== undefined);

  const open = (row: DisplayRow) => {
    if (!call) return;
    session.calls.dismiss();
    // A closed case opened from the history is looked at, not called about: no call logged on it.
    const log = row.status === 'closed' ? null : callLog(call, row.id);
    // Not awaited: the case opens at once and the call waits in the durable outbox like any
    // edit. The only failure is the cache itself, which session.enqueue already reports in the
    // sync status.
    if (log) void session.enqueue(log).catch(() => undefined);
    onOpen(row);
  };
  const openFirst = () => {
    const first = openRows[0];
    if (first) open(first);
  };
  const newCase = () => {
    if (!call) return;
    session.calls.dismiss();
    onNewFromCall(call);
  };

  useKeys(
    (e) => {
      if (isTyping(e) || !plain(e)) return false;
      if (e.key === 'o' && openRows.length > 0) openFirst();
      else if (e.key === 'c') newCase();
      else if (e.key === 'x') session.calls.dismiss();
      else return false;
      return true;
    },
    call !== null,
  );

  if (!call) return <AnsweredElsewhere />;
  const { caller } = call;
  const mismatch = callMismatch(call);
  const number = caller.phone ? formatPhone(caller.phone, session.me.office) : call.from;
  return (
    <section className={`call-banner ${call.state}`} role="alert" aria-live="assertive" data-testid="call-banner" data-state={call.state}>
      <div className="call-main">
        <span className="ring" aria-hidden="true">
          ☎
        </span>
        <div>
          <p className="call-head">
            <strong>{t(`call:state.${call.state}`)}</strong> · <span data-testid="call-number">{number}</span>
            {call.option !== null && <span className="muted"> · {t('call:option', { option: call.option })}</span>}
          </p>
          {caller.contact ? (
            <p className="caller">
              <strong data-testid="call-contact">{caller.contact.name}</strong>
              {caller.customer && <span data-testid="call-customer"> · {caller.customer.name}</span>}
              {caller.team !== null && (
                <span className="muted">
                  {' '}
                  · {t('common:team.short', { team: caller.team })} ({teamName(caller.team, lang)})
                </span>
              )}
            </p>
          ) : (
            <p className="caller muted">{t('call:unknown')}</p>
          )}
          {mismatch?.mismatch && (
            <p className="warn" data-testid="call-mismatch">
              {t('call:mismatch', { chosen: mismatch.chosenTeam, team: mismatch.customerTeam })}
            </p>
          )}
        </div>
      </div>
      {caller.entitlement && <EntitlementBadge result={caller.entitlement} />}
      <div className="call-cases">
        <p className="muted small">{t('call:openCases', { count: caller.openCaseNumbers.length })}</p>
        <ul>
          {openRows.slice(0, 4).map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className="link"
                onClick={() => open(r)}
              >
                <span className="num">{r.number}</span> {r.title} <span className="muted">· {statusLabel(r.status, lang, r.category)}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="call-actions">
        {openRows.length > 0 && (
          <button type="button" className="primary" onClick={openFirst} data-testid="call-open">
            {t('call:openCase')} <kbd>o</kbd>
          </button>
        )}
        <button type="button" className={openRows.length > 0 ? 'secondary' : 'primary'} onClick={newCase} data-testid="call-new-case">
          {t('call:newCase')} <kbd>c</kbd>
        </button>
        <button type="button" className="ghost" onClick={() => session.calls.dismiss()} data-testid="call-dismiss">
          {t('call:dismiss')} <kbd>x</kbd>
        </button>
      </div>
      {(caller.customer || caller.contact) && (
        <CustomerHistory
          of={{ customerId: caller.customer?.id ?? null, contactId: caller.contact?.id ?? null }}
          onOpen={open}
          keys
          testId="call-history"
          className="call-history"
        />
      )}
    </section>
  );
}

/** The rest of the team's notice when a colleague answered a call of the team: who, no caller data. */
function AnsweredElsewhere() {
  const { t } = useT();
  const session = useSession();
  const answered = useSignal(session.calls.answered);
  useKeys(
    (e) => {
      if (isTyping(e) || !plain(e) || e.key !== 'x') return false;
      session.calls.dismissAnswered();
      return true;
    },
    answered !== null,
  );
  if (!answered) return null;
  return (
    <section className="call-banner answered-elsewhere" role="status" aria-live="polite" data-testid="call-answered-by">
      <p className="call-head">
        <span aria-hidden="true">☎ </span>
        {t('call:answeredBy', { name: answered.name })}
      </p>
      <div className="call-actions">
        <button type="button" className="ghost" onClick={() => session.calls.dismissAnswered()} data-testid="call-answered-dismiss">
          {t('call:answeredDismiss')} <kbd>x</kbd>
        </button>
      </div>
    </section>
  );
}
