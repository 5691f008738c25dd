/**
 * Case numbers and phone numbers as people say and type them during a call.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { OFFICES, type Office } from './teams';

/** Case numbers are plain positive integers, at most 9 digits ("ärendenummer" / "tukipyynnön numero"). */
export const CASE_NUMBER_MAX = 999_999_999;

export function formatCaseNumber(n: number): string {
  return String(n);
}

/**
 * Reads a case number typed or pasted during a call: "123 456", "123-456", "#123456",
 * "Ärende 123456", "nr. 123456", "SO-123456", "asia 123456". Returns null when the text
 * holds no plausible case number (letters inside the digits, two separate numbers, …).
 */
export function parseCaseNumber(input: string): number | null {
  const text = input.normalize('NFKC').trim().toLowerCase();
  // A leading word or code ("ärende", "asia", "nr", "so-", "#") is allowed before the digits.
  // The prefix class holds no digit, so the split is unambiguous and matching stays linear
  // (a nested quantifier here once took exponential time on pasted punctuation).
  const m = /^(?:[\p{L}.#:][\p{L}.#:\s-]*)?(\d[\d\s\-\u00a0\u2009\u202f.]*)$/u.exec(text);
  if (!m || m[1] === undefined) return null;
  const digits = m[1].replace(/[\s\-\u00a0\u2009\u202f.]/g, '');
  if (!/^\d{1,9}$/.test(digits)) return null;
  const n = Number(digits);
  return n > 0 && n <= CASE_NUMBER_MAX ? n : null;
}

/**
 * A prefix of a case number being typed: the digits so far, for "as you type" lookup.
 * Returns null unless the input is on its way to a case number.
 */
export function caseNumberDigits(input: string): string | null {
  const n = parseCaseNumber(input);
  return n === null ? null : String(n);
}

const OFFICE_COUNTRY: Record<Office, CountryCode> = { SE: 'SE', FI: 'FI' };

/**
 * Normalises a phone number to E.164. A national number ("070-123 45 67", "040 123 4567")
 * is read in the office's country; "+46…", "0046…", "+358…", "00358…" are read as given.
 * Returns null when it is not a valid number.
 */
export function normalizePhone(input: string, office: Office): string | null {
  const cleaned = input.trim().replace(/^00(?=[1-9])/, '+');
  if (cleaned.length === 0 || cleaned.length > 40) return null;
  const parsed = parsePhoneNumberFromString(cleaned, OFFICE_COUNTRY[office]);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

/**
 * The E.164 readings of a number as typed or sent by the switch. A national number is read in
 * both offices' countries (Sweden first): "040 123 4567" is Malmö in Sweden and a mobile in
 * Finland, and only the contacts can tell which one is meant.
 */
export function phoneCandidates(raw: string): string[] {
  const readings = OFFICES.map((office) => normalizePhone(raw, office)).filter((p): p is string => p !== null);
  return [...new Set(readings)];
}

/**
 * The first reading of a number that `find` knows, with that reading; when none is known, the
 * first reading (null for no valid number), so a desk and the server name the same caller.
 */
export function findByPhone<T>(raw: string, find: (e164: string) => T | null | undefined): { phone: string | null; found: T | null } {
  const candidates = phoneCandidates(raw);
  for (const phone of candidates) {
    const found = find(phone);
    if (found !== null && found !== undefined) return { phone, found };
  }
  return { phone: candidates[0] ?? null, found: null };
}

/** The country a normalised number belongs to, as one of our offices, or null. */
export function officeOfPhone(e164: string): Office | null {
  const parsed = parsePhoneNumberFromString(e164);
  const country = parsed?.country;
  return country === 'SE' || country === 'FI' ? country : null;
}

/** "+46701234567" → "070-123 45 67" in Sweden, "+358401234567" → "040 1234567" in Finland. */
export function formatPhone(e164: string, viewerOffice: Office): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === OFFICE_COUNTRY[viewerOffice]
    ? parsed.formatNational()
    : parsed.formatInternational();
}
