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

/**
 * A number as people write it: the national significant number's digits with any separators,
 * after "+46", "0046", "46" (with or without "(0)") or the trunk "0", or nothing. Not inside a
 * longer run of digits.
 */
export function phonePattern(e164: string): string | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return null;
  const national = String(parsed.nationalNumber);
  if (national.length < 5) return null;
  const country = escape(String(parsed.countryCallingCode)).split('').join(SEPARATOR);
  const prefix = `(?:(?:(?:\\+|00)${SEPARATOR})?${country}${SEPARATOR}(?:\\(\\s*0\\s*\\)${SEPARATOR})?|\\(?0\\)?${SEPARATOR})?`;
  return `(?<![\\d+])${prefix}${national.split('').join(SEPARATOR)}(?!\\d)`;
}

/** A letter that matches itself and, when it has diacritics, its bare letter ("Ö" also "O"). */
function letter(char: string): string {
  const bare = foldText(char);
  return bare !== char.toLowerCase() && bare.length === 1 ? `[${escape(char)}${escape(bare)}]` : escape(char);
}

const wordPattern = (word: string): string => [...word].map(letter).join('');

/** The words of a name (at least two letters each). */
export const nameWords = (name: string): string[] => name.split(/[\s,]+/u).filter((w) => [...w].length >= 2);

const whole = (pattern: string): string => `(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`;

/**
 * A pattern for the person's data in free text (flags `giu`): the whole name (its words in this
 * or the reverse order, "Svensson, Anna"), the e-mail address and the phone number. With
 * `nameParts`, each word of the name on its own as well, for text about the person (their own
 * cases), where "Anna called" is about them. Null when there is nothing to look for.
 */
export function personPattern(person: PersonData, options: { nameParts?: boolean } = {}): RegExp | null {
  const alternatives: string[] = [];
  const words = nameWords(person.name.normalize('NFC'));
  if (words.length > 0) {
    const gap = '[\\s,]+';
    alternatives.push(whole(words.map(wordPattern).join(gap)));
    if (words.length > 1) alternatives.push(whole([...words].reverse().map(wordPattern).join(gap)));
    if (options.nameParts) for (const word of words) alternatives.push(whole(wordPattern(word)));
  }
  if (person.email) alternatives.push(whole(escape(person.email)));
  const phone = person.phone ? phonePattern(person.phone) : null;
  if (phone) alternatives.push(phone);
  return alternatives.length === 0 ? null : new RegExp(alternatives.join('|'), 'giu');
}

/**
 * A quick test that a text may hold the person's data, many times cheaper than the full pattern
 * over a large store: the e-mail as a substring, a word of the name (the longest, or any with
 * `nameParts`), the national number's digits among the text's digits. False only where
 * `personPattern` finds nothing.
 */
export function personProbe(person: PersonData, options: { nameParts?: boolean } = {}): (text: string) => boolean {
  const words = nameWords(person.name.normalize('NFC'));
  const longest = [...words].sort((a, b) => b.length - a.length).slice(0, 1);
  const probeWords = options.nameParts ? words : longest;
  const name = probeWords.length === 0 ? null : new RegExp(probeWords.map(wordPattern).join('|'), 'iu');
  const email = person.email?.toLowerCase() ?? null;
  const parsed = person.phone ? parsePhoneNumberFromString(person.phone) : undefined;
  const digits = parsed ? String(parsed.nationalNumber) : null;
  return (text) =>
    (name !== null && name.test(text)) ||
    (email !== null && text.toLowerCase().includes(email)) ||
    (digits !== null && /\d/.test(text) && text.replace(/\D+/g, '').includes(digits));
}

/** The text with every match of `pattern` replaced by `placeholder`. */
export function redact(text: string, pattern: RegExp, placeholder: string): string {
  pattern.lastIndex = 0;
  return text.replace(pattern, placeholder);
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
