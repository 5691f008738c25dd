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

/** Schemes that place a call: the only ones a call-back link may use besides a web softphone's https. */
export const CALL_SCHEMES: readonly string[] = ['tel:', 'sip:', 'sips:', 'callto:'];

/** The parts of a parsed URL (a WHATWG `URL`) that decide whether it only places a call. */
export interface LinkParts {
  protocol: string;
  username: string;
  password: string;
  pathname: string;
  search: string;
  hash: string;
}

const NUMBER = String.raw`(\+|%2B)?[0-9]{3,20}`;
const CALL_TEXT = new RegExp(String.raw`^(tel|callto):${NUMBER}$`, 'i');
const SIP_TEXT = new RegExp(String.raw`^sips?:${NUMBER}(@[A-Za-z0-9.-]+(:[0-9]{1,5})?)?(;[A-Za-z0-9=._-]+)*$`, 'i');
const HTTPS_TEXT = /^https:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[^\s@]*)?$/i;

/**
 * A link that places a call and does nothing else: `tel:`/`callto:` with a number, `sip:`/`sips:`
 * with a number or number@host (a port and `;parameters` allowed). The desktop shell opens only
 * these (and http(s) and mailto) outside the app; other schemes (`smb:`, `ms-*:`…) run programs.
 */
export function isCallLink(url: LinkParts): boolean {
  if (!CALL_SCHEMES.includes(url.protocol) || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return false;
  const text = `${url.protocol}${url.pathname}`;
  return CALL_TEXT.test(text) || SIP_TEXT.test(text);
}

/**
 * Checks a softphone link template (`DESK_SOFTPHONE_URL`, e.g. `sip:{number}`,
 * `sip:{number}@pbx.example:5061;transport=tls` or `https://pbx.example/dial?n={number}`): the
 * `{number}` placeholder, no spaces, and the link it makes for a sample number must be a call
 * link (isCallLink) or a plain https address, so the desk can open it. Returns the template, or
 * throws naming what is wrong.
 */
export function parseSoftphoneTemplate(template: string): string {
  const t = template.trim();
  if (!t.includes('{number}')) throw new Error(`DESK_SOFTPHONE_URL: "${t}" has no {number} placeholder`);
  if (/\s/.test(t)) throw new Error(`DESK_SOFTPHONE_URL: "${t}" contains spaces`);
  const sample = t.split('{number}').join(encodeURIComponent('+46701234567'));
  if (!CALL_TEXT.test(sample) && !SIP_TEXT.test(sample) && !HTTPS_TEXT.test(sample)) {
    throw new Error(`DESK_SOFTPHONE_URL: "${t}" must be a tel:, sip:, sips: or callto: link to the number, or an https address`);
  }
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
