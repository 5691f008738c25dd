/**
 * The desk after login: top bar, banners, and one main view at a time (queue, case, new case).
 * Queue state lives here so it survives opening a case and coming back with Esc.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TeamId } from '../../../shared/index';
import { useSession, useSignal, useStoreVersion } from './hooks';
import type { DisplayRow } from '../model/rows';
import type { IncomingCall } from '../model/caller';
import { DEFAULT_FILTERS, DEFAULT_SORT } from '../model/queue';
import { host } from '../platform/index';
import { CallBanner } from './CallBanner';
import { CaseDetail } from './case/CaseDetail';
import { isTyping, plain, useKeys } from './keys';
import { PrepareCase, type LookupHandle } from './Lookup';
import { NewCase } from './NewCase';
import { LogoutDialog } from './LogoutDialog';
import { Notices } from './Notices';
import { Queue, type QueueState } from './Queue';
import { Shortcuts } from './Shortcuts';
import { useSlaAlerts } from './slaAlerts';
import { SyncBanner } from './SyncBanner';
import { teamsOf } from './TeamSwitch';
import { TopBar } from './TopBar';
import { AccountPanel } from './account/AccountPanel';
import { CallerLog } from './CallerLog';
import { openMissedCount } from '../model/callLog';
import { MailReview } from './MailReview';
import { AnswersScreen } from './answers/AnswersScreen';
import { LeadDesk } from './lead/LeadDesk';
import type { LeadSectionId } from './lead/sections';

type Route =
  | { kind: 'queue' }
  | { kind: 'case'; id: string }
  | { kind: 'new'; call: IncomingCall | null }
  | { kind: 'account' }
  | { kind: 'calls' }
  | { kind: 'mail' }
  | { kind: 'answers'; answers: 'templates' | 'articles' }
  | { kind: 'lead' };

export function Desk({ onLogout }: { onLogout: () => void }) {
  const session = useSession();
  // Re-render on every change of the cache: the team counts move with it.
  useStoreVersion();
  const teams = useSignal(session.teams);
  const [route, setRoute] = useState<Route>({ kind: 'queue' });
  const [help, setHelp] = useState(false);
  // Asked before logging out while this computer holds edits (see LogoutDialog).
  const [askLogout, setAskLogout] = useState(false);
  // The cached case the lookup offers while a number is typed over the queue (see CaseDetail).
  const [prepared, setPrepared] = useState<string | null>(null);
  const [queue, setQueue] = useState<QueueState>({ view: 'all', filters: DEFAULT_FILTERS, sort: DEFAULT_SORT, selectedId: null });
  // While hidden, the queue keeps the state it was last shown with, so opening a case (which
  // selects its row) renders nothing of the queue: the selection reaches it when it is shown again.
  const shownQueue = useRef(queue);
  if (route.kind === 'queue') shownQueue.current = queue;
  const queueShown = useRef(true);
  queueShown.current = route.kind === 'queue';
  const lookup = useRef<LookupHandle>(null);
  // The lead's desk keeps its section while the lead visits a case and comes back.
  const [leadSection, setLeadSection] = useState<LeadSectionId>('customers');
  const isLead = session.me.role === 'lead';

  // One index for the session, kept sorted as rows change; shared by the queue and the team counts.
  const index = session.store.queue;
  const open1 = index.openCounts[1];
  const open2 = index.openCounts[2];
  // Stable while the counts are, like the callbacks below: the top bar and the banners are
  // memoised, so opening a case renders the case and the lookup, nothing else around them.
  const counts = useMemo<Record<TeamId, number>>(() => ({ 1: open1, 2: open2 }), [open1, open2]);
  const myOpen = teams.reduce((n, t) => n + counts[t], 0);
  // Missed calls waiting for a call back: the caller log's badge, and the app badge while any wait.
  const missedCalls = openMissedCount(session.store.calls.all(), teams);

  useEffect(() => {
    // A missed call is a caller waiting: while any is, the badge counts those (the open cases are
    // on screen in the queue); with none it counts my teams' open cases as before.
    void host.setBadge(missedCalls > 0 ? missedCalls : myOpen);
  }, [myOpen, missedCalls]);

  // Rendered with the whole cache: the store may fill what that first paint did without.
  const loaded = useSignal(session.loaded);
  useEffect(() => (loaded ? session.queuePainted() : undefined), [session, loaded]);

  useSlaAlerts();

  // A lead without two-factor is shown the way to enrol (lead functions answer 403 until then).
  const [twoFactorNeeded, setTwoFactorNeeded] = useState(false);
  const inAccount = route.kind === 'account';
  useEffect(() => {
    if (session.me.role !== 'lead' || inAccount) return;
    let live = true;
    session.account.info().then(
      (info) => live && setTwoFactorNeeded(info.account.twoFactorRequired),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [session, inAccount]);

  const openRow = useCallback((row: DisplayRow) => {
    setQueue((q) => ({ ...q, selectedId: row.id }));
    setRoute({ kind: 'case', id: row.id });
    setPrepared(null);
  }, []);

  // Deep links and the shell's global shortcut.
  const openRowRef = useRef(openRow);
  openRowRef.current = openRow;
  useEffect(() => {
    const offLink = host.onLink((link) => {
      if (link.kind === 'call') {
        session.calls.showFromLink(link.from, link.option);
        return;
      }
      const cached = session.store.cases.byNumber(link.number);
      if (cached) openRowRef.current(cached);
      else void session.details.fetchByNumber(link.number).then((row) => row && openRowRef.current(row), () => undefined);
    });
    const offFocus = host.onFocusLookup(() => lookup.current?.focus());
    return () => {
      offLink();
      offFocus();
    };
  }, [session]);

  useKeys((e) => {
    if (askLogout) {
      if (e.key !== 'Escape') return false;
      setAskLogout(false);
      return true;
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
      lookup.current?.focus();
      return true;
    }
    if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[123]$/.test(e.code)) {
      session.setTeams(teamsOf(e.code === 'Digit3' ? 'both' : e.code === 'Digit1' ? '1' : '2'));
      return true;
    }
    if (isTyping(e)) {
      // Esc leaves the field (a note, a form's input), so the next "/" or number goes to the
      // lookup instead of into the text; a second Esc then goes back to the queue.
      if (e.key !== 'Escape') return false;
      (e.target as HTMLElement).blur();
      return true;
    }
    if (e.key === 'Escape') {
      if (help) setHelp(false);
      else if (route.kind !== 'queue') setRoute({ kind: 'queue' });
      else return false;
      return true;
    }
    if (!plain(e)) return false;
    if (e.key === '/') {
      lookup.current?.focus();
      return true;
    }
    if (/^[0-9]$/.test(e.key)) {
      lookup.current?.focus(e.key);
      return true;
    }
    if (e.key === '?') {
      setHelp((h) => !h);
      return true;
    }
    if (e.key === 'n' && route.kind !== 'new') {
      setRoute({ kind: 'new', call: null });
      return true;
    }
    if (e.key === 'l' && route.kind !== 'calls') {
      setRoute({ kind: 'calls' });
      return true;
    }
    if (e.key === 'u' && route.kind !== 'mail') {
      setRoute({ kind: 'mail' });
      return true;
    }
    if (e.key === 'g' && isLead && route.kind !== 'lead') {
      setRoute({ kind: 'lead' });
      return true;
    }
    // Answers: reply templates (s) and the knowledge base (b).
    if (e.key === 's' || e.key === 'b') {
      setRoute({ kind: 'answers', answers: e.key === 's' ? 'templates' : 'articles' });
      return true;
    }
    return false;
  });

  const back = useCallback(() => setRoute({ kind: 'queue' }), []);
  const newCase = useCallback(() => setRoute({ kind: 'new', call: null }), []);
  const newFromCall = useCallback((call: IncomingCall) => setRoute({ kind: 'new', call }), []);
  const showHelp = useCallback(() => setHelp(true), []);
  // With nothing held, logging out removes this computer's copy at once; otherwise ask first.
  const requestLogout = useCallback(() => {
    void session.heldEdits().then(
      (held) => (held === 0 ? onLogout() : setAskLogout(true)),
      () => setAskLogout(true),
    );
  }, [session, onLogout]);
  const showAccount = useCallback(() => setRoute({ kind: 'account' }), []);
  const showCallLog = useCallback(() => setRoute({ kind: 'calls' }), []);
  const showMailReview = useCallback(() => setRoute({ kind: 'mail' }), []);
  // Mail of my office waiting to be linked to a contact: the top bar's count.
  const mailReview = useSignal(session.mail.reviewCount);
  const showLeadDesk = useCallback(() => setRoute({ kind: 'lead' }), []);
  const showAnswers = useCallback((answers: 'templates' | 'articles') => setRoute({ kind: 'answers', answers }), []);
  // One place for a case, shown or prepared: opening the prepared case keeps its element (same
  // key, same place), so Enter shows what is already rendered and laid out. Prepared only over
  // the queue, so there is never a second case (with the same element ids) next to a shown one.
  const caseId = route.kind === 'case' ? route.id : route.kind === 'queue' ? prepared : null;
  return (
    <PrepareCase.Provider value={setPrepared}>
      <div className="desk">
        <TopBar
          ref={lookup}
          counts={counts}
          onOpen={openRow}
          onNewCase={newCase}
          onHelp={showHelp}
          onLogout={requestLogout}
          onHome={back}
          onAccount={showAccount}
          twoFactorNeeded={twoFactorNeeded}
          missedCalls={missedCalls}
          onCallLog={showCallLog}
          mailReview={mailReview}
          onMailReview={showMailReview}
          onAnswers={showAnswers}
          onLeadDesk={isLead ? showLeadDesk : undefined}
        />
        <SyncBanner />
        <CallBanner onOpen={openRow} onNewFromCall={newFromCall} />
        <Notices onOpen={openRow} />
        <main className="main">
          {/* Kept while a case or a new case is open, mounted and laid out under it but not shown:
              opening a case then costs the case's own render and layout, never the rows' (no
              unmounting, no re-layout, no filtering 100,000 again), and Esc shows the queue as it was. */}
          <div className={route.kind === 'queue' ? 'queue-layer' : 'queue-layer covered'}>
            <Queue index={index} state={shownQueue.current} shown={queueShown} onState={setQueue} onOpen={openRow} />
          </div>
          {caseId !== null && <CaseDetail key={caseId} id={caseId} shown={route.kind === 'case'} onBack={back} onOpen={openRow} />}
          {route.kind === 'new' && <NewCase call={route.call} onCreated={openRow} onCancel={back} />}
          {route.kind === 'account' && <AccountPanel onBack={back} />}
          {route.kind === 'calls' && <CallerLog onOpen={openRow} onNewFromCall={newFromCall} />}
          {route.kind === 'mail' && <MailReview onOpen={openRow} />}
          {route.kind === 'answers' && <AnswersScreen key={route.answers} kind={route.answers} onBack={back} />}
          {route.kind === 'lead' && <LeadDesk section={leadSection} onSection={setLeadSection} onOpenCase={openRow} onBack={back} twoFactorNeeded={twoFactorNeeded} />}
        </main>
        {help && <Shortcuts onClose={() => setHelp(false)} />}
        {askLogout && <LogoutDialog onStay={() => setAskLogout(false)} onLogout={onLogout} />}
      </div>
    </PrepareCase.Provider>
  );
}
