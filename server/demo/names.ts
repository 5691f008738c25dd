/** Company names, organisation numbers and e-mail domains for the demo data, in each country's own formats. */
import { foldText } from '../../shared/search';
import type { IndustryId, Office } from '../../shared/teams';
import type { Rng } from './rng';
import { INDUSTRY_WORDS, LAST_NAMES, TOWNS } from './vocabulary';

const SE_STEMS = ['Norr', 'Söder', 'Väster', 'Öster', 'Berg', 'Sjö', 'Ek', 'Lind', 'Gran', 'Ström', 'Fjäll', 'Dal', 'Holm', 'Vik', 'Sten', 'Björk'];
const SE_ENDINGS = ['lands', 'dalens', 'bergs', 'viks', 'holms', 'åsens', 'näsets'];

/** "Virtanen" → "Virtasen", "Laine" → "Laineen", "Niemi" → "Niemen": Finnish genitive for company names. */
function finnishGenitive(surname: string): string {
  if (surname.endsWith('nen')) return `${surname.slice(0, -3)}sen`;
  if (surname.endsWith('e')) return `${surname}en`;
  if (surname.endsWith('i')) return `${surname.slice(0, -1)}en`;
  if (/[bcdfghjklmnpqrstvwxz]$/.test(surname)) return `${surname}in`;
  return `${surname}n`;
}

function candidateName(rng: Rng, country: Office, industry: IndustryId): string {
  const word = rng.pick(INDUSTRY_WORDS[industry][country === 'SE' ? 'sv' : 'fi']);
  const organisation = industry === 'organisations';
  if (country === 'SE') {
    if (organisation) return rng.chance(0.5) ? `${rng.pick(TOWNS.SE)} ${word}` : `${rng.pick(SE_STEMS)}${rng.pick(SE_ENDINGS)} ${word}`;
    const style = rng.next();
    if (style < 0.4) return `${rng.pick(LAST_NAMES.SE).replace(/s$/, '')}s ${word} AB`;
    if (style < 0.75) return `${rng.pick(TOWNS.SE)} ${word} AB`;
    return `${rng.pick(SE_STEMS)}${rng.pick(SE_ENDINGS)} ${word} AB`;
  }
  if (organisation) return `${rng.pick(TOWNS.FI)} ${word} ry`;
  const style = rng.next();
  if (style < 0.4) return `${finnishGenitive(rng.pick(LAST_NAMES.FI))} ${word} Oy`;
  if (style < 0.8) return `${rng.pick(TOWNS.FI)} ${word} Oy`;
  return `${word} ${rng.pick(LAST_NAMES.FI)} Oy`;
}

/** A company name not used yet in this data set. */
export function customerName(rng: Rng, country: Office, industry: IndustryId, used: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    let name = candidateName(rng, country, industry);
    // A crowded market runs out of plain names; number the rest ("Umeå Bygg 2 AB").
    if (attempt >= 20) name = / (AB|Oy|ry)$/.test(name) ? name.replace(/ (AB|Oy|ry)$/, ` ${attempt - 18}$&`) : `${name} ${attempt - 18}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

/** Luhn check digit, as Swedish organisation numbers use it. */
function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Finnish business ID (Y-tunnus) check digit; null when the body has no valid one. */
function yTunnusDigit(body: string): number | null {
  const weights = [7, 9, 10, 5, 8, 4, 2];
  const remainder = [...body].reduce((sum, d, i) => sum + Number(d) * (weights[i] ?? 0), 0) % 11;
  if (remainder === 1) return null;
  return remainder === 0 ? 0 : 11 - remainder;
}

/** SE: "556xxx-xxxx" (aktiebolag) or "802xxx-xxxx" (ideell förening); FI: "1234567-8". */
export function orgNumber(rng: Rng, country: Office, industry: IndustryId): string {
  if (country === 'SE') {
    const body = `${industry === 'organisations' ? '802' : rng.pick(['556', '559'])}${rng.digits(6)}`;
    return `${body.slice(0, 6)}-${body.slice(6)}${luhnDigit(body)}`;
  }
  for (;;) {
    const body = `${rng.int(0, 3)}${rng.digits(6)}`;
    const check = yTunnusDigit(body);
    if (check !== null) return `${body}-${check}`;
  }
}

/** "Åsa Jönsson" → "asa.jonsson" (with "."), for e-mail addresses and domains. */
export function slug(text: string, separator: string): string {
  return foldText(text)
    .replace(/&/g, ' ')
    .replace(/[^a-z0-9]+/g, separator)
    .replace(new RegExp(`^\\${separator}+|\\${separator}+$`, 'g'), '');
}

export function domainOf(companyName: string, country: Office): string {
  const base = slug(companyName.replace(/ (AB|Oy|ry)$/, ''), '-');
  return `${base}.${country === 'SE' ? 'se' : 'fi'}`;
}
