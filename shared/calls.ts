/**
 * The caller log's rules, run by the server and by the desk: marking a call done, and the link
 * a specialist calls back with.
 */
import type { Call } from './contract';

export type CallDoneOutcome = { kind: 'unchanged' } | { kind: 'changed'; call: Call };

/**
 * A call marked done: by whom and when. A call already done stays as it was (the first to mark
 * it is the one on record), so two desks marking the same call, or a replay, change nothing.
 */
export function markCallDone(call: Call, actorId: string, at: string): CallDoneOutcome {
  if (call.done) return { kind: 'unchanged' };
  return { kind: 'changed', call: { ...call, done: true, doneBy: actorId, doneAt: at } };
}

/** A missed call still waiting for a call back. */
export const isOpenMissed = (call: Pick<Call, 'missed' | 'done'>): boolean => call.missed && !call.done;

/** Schemes a softphone link may not use: they run code or read files instead of calling. */
const FORBIDDEN_SCHEMES = new Set(['javascript', 'data', 'vbscript', 'file', 'blob', 'about']);

/**
 * Checks a softphone link template (`DESK_SOFTPHONE_URL`, e.g. `sip:{number}` or
 * `softphone://dial?n={number}`): a URL scheme, the `{number}` placeholder, no spaces.
 * Returns the template, or throws naming what is wrong.
 */
export function parseSoftphoneTemplate(template: string): string {
  const t = template.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(t)?.[1]?.toLowerCase();
  if (!scheme) throw new Error(`DESK_SOFTPHONE_URL: "${t}" does not start with a URL scheme such as sip: or tel:`);
  if (FORBIDDEN_SCHEMES.has(scheme)) throw new Error(`DESK_SOFTPHONE_URL: the scheme "${scheme}:" cannot place a call`);
  if (!t.includes('{number}')) throw new Error(`DESK_SOFTPHONE_URL: "${t}" has no {number} placeholder`);
  if (/\s/.test(t)) throw new Error(`DESK_SOFTPHONE_URL: "${t}" contains spaces`);
  return t;
}

/**
 * The link that calls `number` back: the softphone's template when the server has one, `tel:`
 * otherwise. Null when there is no number to call (a withheld caller).
 */
export function callbackLink(number: string | null, template: string | null): string | null {
  const digits = number?.replace(/[\s\-().]/g, '') ?? '';
  if (!/^\+?\d{3,20}$/.test(digits)) return null;
  return template === null ? `tel:${digits}` : template.split('{number}').join(encodeURIComponent(digits));
}
