import { forwardRef, memo, useMemo, type ForwardedRef } from 'react';
import { useT } from '../i18n/typing';
import type { TeamId } from '../../../shared/index';
import { useSession } from './hooks';
import type { DisplayRow } from '../model/rows';
import { LanguageSwitch } from './LanguageSwitch';
import { Lookup, type LookupHandle } from './Lookup';
import { StatusIndicator } from './StatusIndicator';
import { OfficeState } from './OfficeState';
import { TeamSwitch, teamsOf } from './TeamSwitch';
import type { LookupActions } from './lookupActions';
import { MailIcon } from './case/MailEvent';

interface Props {
  counts: Record<TeamId, number>;
  onOpen: (row: DisplayRow) => void;
  onNewCase: () => void;
  onHelp: () => void;
  onLogout: () => void;
  onHome: () => void;
  onAccount: () => void;
  /** A lead without two-factor: the account button says so (lead functions wait for enrolment). */
  twoFactorNeeded: boolean;
  /** Open missed calls of my teams: the caller log button's badge. */
  missedCalls?: number;
  onCallLog?: () => void;
  /** Mail of my office waiting in the review: its button's count. */
  mailReview?: number;
  onMailReview?: () => void;
  /** The answers' screens (reply templates, knowledge base). */
  onAnswers?: (kind: 'templates' | 'articles') => void;
  /** The lead's desk; given only to leads. */
  onLeadDesk?: () => void;
}

function TopBarView(
  { counts, onOpen, onNewCase, onHelp, onLogout, onHome, onAccount, twoFactorNeeded, missedCalls = 0, onCallLog, mailReview = 0, onMailReview, onAnswers, onLeadDesk }: Props,
  lookupRef: ForwardedRef<LookupHandle>,
) {
  const { t } = useT();
  const session = useSession();
  // What the lookup box's actions do (ui/lookupActions.ts lists them).
  const actions = useMemo<LookupActions>(
    () => ({
      newCase: onNewCase,
      team1: () => session.setTeams(teamsOf('1')),
      team2: () => session.setTeams(teamsOf('2')),
      bothTeams: () => session.setTeams(teamsOf('both')),
      callLog: () => onCallLog?.(),
      shortcuts: onHelp,
      account: onAccount,
      logout: onLogout,
      mailReview: () => onMailReview?.(),
      templates: () => onAnswers?.('templates'),
      knowledgeBase: () => onAnswers?.('articles'),
      leadDesk: () => onLeadDesk?.(),
    }),
    [session, onNewCase, onHelp, onAccount, onLogout, onCallLog, onMailReview, onAnswers, onLeadDesk],
  );
  return (
    <header className="topbar">
      <button type="button" className="brand" onClick={onHome} title={t('common:nav.queue')}>
        Desk
      </button>
      <TeamSwitch counts={counts} />
      <Lookup ref={lookupRef} onOpen={onOpen} actions={actions} />
      <div className="spacer" />
      <OfficeState />
      <StatusIndicator />
      {onCallLog && (
        <button type="button" className="ghost call-log-button" onClick={onCallLog} data-testid="call-log-button" title={`${t('call:log.open')} (l)`}>
          {t('call:log.open')}
          {missedCalls > 0 && (
            <>
              <span className="count-badge" aria-hidden="true" data-testid="missed-badge">
                {missedCalls}
              </span>
              <span className="visually-hidden">{` – ${t('call:log.missedCount', { count: missedCalls })}`}</span>
            </>
          )}
        </button>
      )}
      {/* Only while mail waits (the bar is full in Finnish); the view is always a key (u) or a lookup action away. */}
      {onMailReview && mailReview > 0 && (
        <button type="button" className="ghost mail-review-button" onClick={onMailReview} data-testid="mail-review-button" title={`${t('case:mailReview.title')} (u)`}>
          {/* An icon: the bar is full in Finnish. Its name for screen readers, the tooltip for the eye. */}
          <MailIcon />
          <span className="visually-hidden">{t('case:mailReview.title')}</span>
          <span className="count-badge" aria-hidden="true" data-testid="mail-review-badge">
            {mailReview}
          </span>
          <span className="visually-hidden">{` – ${t('case:mailReview.count', { count: mailReview })}`}</span>
        </button>
      )}
      {onLeadDesk && (
        // An icon, like the mail review's: the bar is full in Finnish. The name for screen readers, the tooltip for the eye.
        <button type="button" className="ghost icon-button lead-desk-button" onClick={onLeadDesk} data-testid="lead-desk-button" title={`${t('lead:open')} (g)`}>
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path d="M2 14h12M4 12V8M8 12V3M12 12V6" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
          <span className="visually-hidden">{t('lead:open')}</span>
        </button>
      )}
      <button type="button" className="primary" onClick={onNewCase} data-testid="new-case" title={`${t('common:nav.newCase')} (n)`}>
        {t('common:nav.newCase')}
      </button>
      <LanguageSwitch />
      <button type="button" className="ghost icon" onClick={onHelp} title={t('shortcuts:title')} aria-label={t('shortcuts:title')}>
        ?
      </button>
      <div className="me" title={session.me.email}>
        <span className="avatar" aria-hidden="true">
          {initials(session.me.name)}
        </span>
        <button
          type="button"
          className={twoFactorNeeded ? 'warn-button' : 'ghost'}
          onClick={onAccount}
          data-testid="account-button"
          title={twoFactorNeeded ? t('account:twoFactorNeeded') : undefined}
        >
          {t('account:open')}
          {/* Short on screen (the bar is full in Finnish); the whole sentence for screen readers and as a tooltip. */}
          {twoFactorNeeded && (
            <>
              <span aria-hidden="true" title={t('account:twoFactorNeeded')}>
                {' ⚠'}
              </span>
              <span className="visually-hidden">{` – ${t('account:twoFactorNeeded')}`}</span>
            </>
          )}
        </button>
        <button type="button" className="ghost" onClick={onLogout} data-testid="logout">
          {t('common:nav.logout')}
        </button>
      </div>
    </header>
  );
}

/** Memoised: when a case opens the desk re-renders, the top bar does not (the lookup does, itself). */
export const TopBar = memo(forwardRef(TopBarView));

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]?.toUpperCase() ?? '')
    .join('');
}
