/**
 * What the lookup box can do besides finding: one list. An action is offered when every word
 * typed starts a word of its name or of its other words (in the desk's language), and runs
 * what the desk gives for its id. A new action is one entry here, its words in the locales
 * (lookup.json, `actions.<id>` and `actionWords.<id>`) and its handler where the box is placed
 * (TopBar.tsx): the type makes the handler required.
 */
import { foldText } from '../../../shared/index';
import type { DeskT } from '../i18n/typing';

export const LOOKUP_ACTIONS = [
  { id: 'newCase', keys: 'n' },
  { id: 'team1', keys: 'Alt 1' },
  { id: 'team2', keys: 'Alt 2' },
  { id: 'bothTeams', keys: 'Alt 3' },
  { id: 'callLog', keys: 'l' },
  { id: 'shortcuts', keys: '?' },
  { id: 'account', keys: null },
  { id: 'logout', keys: null },
  { id: 'mailReview', keys: 'u' },
  { id: 'templates', keys: 's' },
  { id: 'knowledgeBase', keys: 'b' },
  { id: 'leadDesk', keys: 'g', lead: true },
] as const satisfies ReadonlyArray<{ id: string; keys: string | null; lead?: true }>;

export type LookupActionId = (typeof LOOKUP_ACTIONS)[number]['id'];
export type LookupActions = Record<LookupActionId, () => void>;

const fold = (s: string): string[] => foldText(s.toLowerCase()).match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * The actions a query names, in the list's order; `byName` when every word typed starts a word
 * of the action's name itself (the box offers those before any case). `lead`: the desk's user is
 * a lead (leads' actions are offered to them only).
 */
export function matchActions(t: DeskT, query: string, lead = false): Array<{ action: (typeof LOOKUP_ACTIONS)[number]; byName: boolean }> {
  const typed = fold(query);
  if (typed.length === 0) return [];
  const out: Array<{ action: (typeof LOOKUP_ACTIONS)[number]; byName: boolean }> = [];
  for (const a of LOOKUP_ACTIONS) {
    // The lead's own actions are offered to leads only.
    if ('lead' in a && a.lead && !lead) continue;
    const name = fold(t(`lookup:actions.${a.id}`));
    const own = [...name, ...fold(t(`lookup:actionWords.${a.id}`))];
    if (!typed.every((w) => own.some((o) => o.startsWith(w)))) continue;
    out.push({ action: a, byName: typed.every((w) => name.some((o) => o.startsWith(w))) });
  }
  return out;
}
