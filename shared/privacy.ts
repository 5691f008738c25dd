/**
 * How a person's data is written in free text (notes, titles, descriptions), so anonymising a
 * contact finds it where people typed it: the phone number in the ways people write it
 * ("070-123 45 67", "+46 70 123 45 67", "0046701234567", "+46 (0)70 1234567"), the e-mail address
 * in any case, and the name with or without its diacritics, in either order.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { foldText } from './search';

export interface PersonData {
  name: string;
  /** E.164, as contacts store it. */
  phone: string | null;
  email: string | null;
}

/** What may stand between the digits of a written number. */
const SEPARATOR = '[\\s\\-./()\\u00a0\\u2009\\u202f]{0,3}';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** National numbers shorter than this are looked for only after a "0" or the country code. */
const BARE_NATIONAL_MIN = 9;

/**
 * A number as people write it: the national significant number's digits with any separators,
 * after "+46", "0046" or the trunk "0". A national number of at least 9 digits also after a bare
 * "46" (with or without "(0)") or nothing; a shorter one only with a prefix, so "+358 13 1234" is
 * not "Ärende 131234" and "+46 8 123 456" is not "46.8.123.456". Not inside a longer run of digits.
 */
export function phonePattern(e164: string): string | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return null;
  const national = String(parsed.nationalNumber);
  if (national.length < 5) return null;
  const long = national.length >= BARE_NATIONAL_MIN;
  const country = escape(String(parsed.countryCallingCode)).split('').join(SEPARATOR);
  const international = `(?:\\+|00)${SEPARATOR}${country}${SEPARATOR}(?:\\(\\s*0\\s*\\)${SEPARATOR})?`;
  const bareCountry = `${country}${SEPARATOR}(?:\\(\\s*0\\s*\\)${SEPARATOR})?`;
  const trunk = `\\(?0\\)?${SEPARATOR}`;
  const prefix = long ? `(?:${international}|${bareCountry}|${trunk})?` : `(?:${international}|${trunk})`;
  return `(?<![\\d+])${prefix}${national.split('').join(SEPARATOR)}(?!\\d)`;
}

/** The single-character forms of a character: itself, its other case, and its bare letter in either case ("Ö": "Ö", "ö", "O", "o"). */
function forms(char: string, cases: 'any' | 'upper'): string[] {
  const bare = foldText(char);
  const base = bare.length === 1 ? [char, bare] : [char];
  const all = base.flatMap((c) => (cases === 'upper' ? [c.toUpperCase()] : [c, c.toLowerCase(), c.toUpperCase()]));
  return [...new Set(all.filter((c) => [...c].length === 1))];
}

/** A character in any case, with or without diacritics ("ö" also "Ö", "o", "O"); `upper` for a capital only. */
function letter(char: string, cases: 'any' | 'upper' = 'any'): string {
  const options = forms(char, cases);
  return options.length === 1 ? escape(options[0]!) : `[${options.map(escape).join('')}]`;
}

/** A character in either case, as it is otherwise (an address: "ö" is not "o" there). */
const anyCase = (char: string): string => {
  const options = [...new Set([char, char.toLowerCase(), char.toUpperCase()].filter((c) => [...c].length === 1))];
  return options.length === 1 ? escape(options[0]!) : `[${options.map(escape).join('')}]`;
};

const wordPattern = (word: string): string => [...word].map((c) => letter(c)).join('');

/** A word as a name is written: its first letter a capital, the rest in any case ("Per", "PER", not "per"). */
const capitalisedPattern = (word: string): string => {
  const [first = '', ...rest] = [...word];
  return letter(first, 'upper') + rest.map((c) => letter(c)).join('');
};

/** The words of a name (at least two letters each). */
export const nameWords = (name: string): string[] => name.split(/[\s,]+/u).filter((w) => [...w].length >= 2);

/** Words that join a name's parts and are ordinary words on their own ("de", "af", "von"). */
const PARTICLES = new Set(['af', 'al', 'av', 'bin', 'da', 'das', 'de', 'dei', 'del', 'della', 'den', 'der', 'des', 'di', 'do', 'dos', 'du', 'el', 'ibn', 'la', 'le', 'les', 'op', 'ten', 'ter', 'van', 'vom', 'von', 'zu', 'zum', 'zur']);

/** The parts of a name looked for on their own in the person's own cases: 3 letters or more, no particles. */
export const nameParts = (name: string): string[] =>
  nameWords(name).filter((w) => [...w].length >= 3 && /^\p{L}/u.test(w) && !PARTICLES.has(w.toLowerCase()));

const whole = (pattern: string): string => `(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`;

/**
 * A pattern for the person's data in free text (flags `gu`; case is in the pattern): the whole
 * name of two words or more (its words in this or the reverse order, "Svensson, Anna", in any
 * case), the e-mail address in any case and the phone number. A one-word name on its own is
 * anyone's ("Anna"), so it is looked for only with `nameParts`: each part of the name of 3
 * letters or more, written as a name (a capital first), particles ("de", "von") left out, for
 * text about the person (their own cases), where "Anna called" is about them. Null when there is
 * nothing to look for.
 */
export function personPattern(person: PersonData, options: { nameParts?: boolean } = {}): RegExp | null {
  const alternatives: string[] = [];
  const words = nameWords(person.name.normalize('NFC'));
  if (words.length > 1) {
    const gap = '[\\s,]+';
    alternatives.push(whole(words.map(wordPattern).join(gap)));
    alternatives.push(whole([...words].reverse().map(wordPattern).join(gap)));
  }
  if (options.nameParts) for (const part of nameParts(person.name.normalize('NFC'))) alternatives.push(whole(capitalisedPattern(part)));
  if (person.email) alternatives.push(whole([...person.email].map(anyCase).join('')));
  const phone = person.phone ? phonePattern(person.phone) : null;
  if (phone) alternatives.push(phone);
  return alternatives.length === 0 ? null : new RegExp(alternatives.join('|'), 'gu');
}

/**
 * A quick test that a text may hold the person's data, many times cheaper than the full pattern
 * over a large store: the e-mail as a substring, a word of the name in any case (the longest of a
 * name of two words or more, or any with `nameParts`), the national number's digits among the
 * text's digits. False only where `personPattern` finds nothing.
 */
export function personProbe(person: PersonData, options: { nameParts?: boolean } = {}): (text: string) => boolean {
  const words = nameWords(person.name.normalize('NFC'));
  const longest = words.length > 1 ? [...words].sort((a, b) => b.length - a.length).slice(0, 1) : [];
  const probeWords = options.nameParts ? words : longest;
  const name = probeWords.length === 0 ? null : new RegExp(probeWords.map(wordPattern).join('|'), 'u');
  const email = person.email?.toLowerCase() ?? null;
  const parsed = person.phone ? parsePhoneNumberFromString(person.phone) : undefined;
  const digits = parsed ? String(parsed.nationalNumber) : null;
  return (text) =>
    (name !== null && name.test(text)) ||
    (email !== null && text.toLowerCase().includes(email)) ||
    (digits !== null && /\d/.test(text) && text.replace(/\D+/g, '').includes(digits));
}

/**
 * The text with every match of `pattern` replaced by `placeholder`, cut to `max` characters (UTF-16
 * units, as the contract's limits count) when the placeholder made it longer than that.
 */
export function redact(text: string, pattern: RegExp, placeholder: string, max = Number.POSITIVE_INFINITY): string {
  pattern.lastIndex = 0;
  const redacted = text.replace(pattern, placeholder);
  if (redacted.length <= max) return redacted;
  // Not between the two halves of a character outside the BMP.
  const cut = /[\uD800-\uDBFF]/.test(redacted.charAt(max - 1)) ? max - 1 : max;
  return redacted.slice(0, cut);
}

/** A test of whether a number as written (a call's raw number) is this phone number. */
export function phoneTest(e164: string): (raw: string) => boolean {
  const pattern = phonePattern(e164);
  if (pattern === null) return () => false;
  const whole = new RegExp(`^\\s*${pattern}\\s*$`, 'u');
  return (raw) => whole.test(raw);
}

/** Whether a number as written (a call's raw number) is the person's phone number. */
export function isPhoneOf(raw: string, e164: string): boolean {
  return phoneTest(e164)(raw);
}
