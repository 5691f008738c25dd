/**
 * Whether my office is open now, at lunch, closing early on an eve ("Stänger 12:00 i dag"), or
 * closed until its next opening ("Stängt till måndag 08:00"), from the shared business calendar.
 * It renders again at the instant the state changes (one timer), never by polling.
 */
import { nextLocalMidnight, officeState } from '../../../shared/index';
import { useT } from '../i18n/typing';
import { useFormat, useRenderAt, useSession, useSignal } from './hooks';
import { calendarVersion } from '../store/calendar';

export function OfficeState() {
  const { t } = useT();
  const fmt = useFormat();
  const office = useSession().me.office;
  // A calendar exception from the feed (an early closing, a closed day) changes the state at once.
  useSignal(calendarVersion);
  const now = Date.now();
  const state = officeState(office, new Date(now));
  // Closed over a night, "till i morgon" becomes "till 08:00" at midnight: render again then too.
  const midnight = nextLocalMidnight(office, new Date(now)).getTime();
  useRenderAt(state.kind === 'closed' ? Math.min(state.changesAt.getTime(), midnight) : state.changesAt.getTime());
  const until = state.until.getTime();
  const text =
    state.kind === 'open'
      ? state.eve || state.early
        ? t('common:officeState.eve', { time: fmt.time(until) })
        : t('common:officeState.open', { time: fmt.time(until) })
      : state.kind === 'lunch'
        ? t('common:officeState.lunch', { time: fmt.time(until) })
        : t('common:officeState.closed', { when: fmt.dayTime(until, now) });
  const kind = state.kind === 'open' && (state.eve || state.early) ? 'eve' : state.kind;
  return (
    <span className={`office-state ${kind}`} data-testid="office-state" data-state={kind} title={`${t(`common:officeState.title.${office}`)}: ${text}`}>
      <span className="dot" aria-hidden="true" />
      <span className="office-text">{text}</span>
    </span>
  );
}
