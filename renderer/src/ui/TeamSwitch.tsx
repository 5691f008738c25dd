/** The team choice, worded like the phone switch: option 1, option 2, or both — with open counts. */
import { useT } from '../i18n/typing';
import type { TeamId } from '../../../shared/index';
import { useLanguage, useSession, useSignal } from './hooks';
import { teamName } from '../i18n/labels';

export type TeamChoice = '1' | '2' | 'both';
export const choiceOf = (teams: readonly TeamId[]): TeamChoice => (teams.length === 2 ? 'both' : teams[0] === 2 ? '2' : '1');
export const teamsOf = (choice: TeamChoice): TeamId[] => (choice === 'both' ? [1, 2] : [Number(choice) as TeamId]);

export function TeamSwitch({ counts }: { counts: Record<TeamId, number> }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  const choice = choiceOf(useSignal(session.teams));
  const options: Array<{ choice: TeamChoice; label: string; count: number; title: string }> = [
    { choice: '1', label: t('common:team.short', { team: 1 }), count: counts[1], title: teamName(1, lang) },
    { choice: '2', label: t('common:team.short', { team: 2 }), count: counts[2], title: teamName(2, lang) },
    { choice: 'both', label: t('common:team.both'), count: counts[1] + counts[2], title: t('common:team.bothTitle') },
  ];
  return (
    <div className="segmented team-switch" role="group" aria-label={t('common:team.label')} data-testid="team-switch">
      {options.map((o) => (
        <button
          key={o.choice}
          type="button"
          aria-pressed={choice === o.choice}
          title={`${o.title} — ${t('common:team.openCount', { count: o.count })}`}
          data-team={o.choice}
          onClick={() => session.setTeams(teamsOf(o.choice))}
        >
          <span>{o.label}</span>
          <span className="count" data-testid={`team-count-${o.choice}`}>
            {o.count}
          </span>
        </button>
      ))}
    </div>
  );
}
