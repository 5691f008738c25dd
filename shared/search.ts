/**
 * How a customer search reads what the specialist typed: the desk searches its cache and the
 * server its store with the same readings, so both find the same customers and contacts.
 */
import { getCountryCallingCode } from 'libphonenumber-js/max';
import { phoneCandidates } from './numbers';
import { OFFICES } from './teams';

/** Lower case without diacritics, so "ostersund" finds "Östersund" and "jarvinen" "Järvinen". */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The start of an organisation number (dashes left out) that the query may be: "5561", "556123-45". */
export function orgNumberPrefix(query: string): string | null {
  const digits = query.trim().replace(/[\s-]/g, '');
  return /^\d{2,}$/.test(digits) ? digits : null;
}

/**
 * The starts of E.164 numbers that a phone number being typed may be: "+4670…" and "0046…" as
 * given, a national number in both offices' countries ("070…" is "+4670…" or "+35870…").
 */
export function phonePrefixes(query: string): string[] {
  const compact = query.replace(/[\s\-().]/g, '');
  if (!/^\+?\d{3,}$/.test(compact)) return [];
  if (compact.startsWith('+')) return [compact];
  if (compact.startsWith('00')) return [`+${compact.slice(2)}`];
  const full = phoneCandidates(compact);
  if (full.length > 0) return full;
  // Not yet a whole number: the trunk 0 becomes either country code.
  const national = compact.replace(/^0/, '');
  return OFFICES.map((office) => `+${getCountryCallingCode(office)}${national}`);
}
