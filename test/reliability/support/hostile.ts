/** Hostile input for property-based fuzzing: odd Unicode, SQL-looking text, wrong types, bad encodings. */
import fc from 'fast-check';

/** Characters that have broken text handling somewhere: controls, bidi and zero-width marks, combining marks, emoji sequences. */
export const ODD_CHARACTERS = [
  '\u0000', '\u0001', '\u0007', '\b', '\u001b', '\u007f', '\u0085', '\u00a0', '\u00ad', '\u200b', '\u200c', '\u200d',
  '\u200e', '\u200f', '\u202a', '\u202b', '\u202e', '\u2066', '\u2069', '\u2028', '\u2029', '\ufeff', '\ufffd', '\uffff',
  '😀', '👩‍👩‍👧', '🏳️‍🌈', 'e\u0301', 'ﬃ', 'İ', 'ß', 'Å', 'ä', 'ö', '\\', '"', "'", '`', '%', '_', '*', '<', '>', '&', '/',
  '..', '\r\n', '\t', '١٢٣', '٣', '𝟙𝟚𝟛', '０１２',
] as const;

/** Text a database or a template engine might take for code. */
export const SQL_LOOKING = [
  "' OR '1'='1", "'; DROP TABLE cases; --", '" OR ""="', '1 OR 1=1', "'); DELETE FROM specialists; --", "%' --", '%', '_%',
  "\\'; SELECT password_hash FROM specialists; --", 'UNION SELECT token_hash FROM sessions', "json_extract(data, '$')",
  'NULL', 'null', '0x7FFFFFFF', '1e309', '-0', 'NaN', 'Infinity', '__proto__', 'constructor', 'prototype', '{{7*7}}',
  '${7*7}', '<script>alert(1)</script>', '../../etc/passwd', '%00', '%2e%2e%2f', '\u0000; PRAGMA writable_schema=1',
] as const;

export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

export const oddText = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    { weight: 3, arbitrary: fc.constantFrom(...ODD_CHARACTERS) },
    { weight: 1, arbitrary: loneSurrogate },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 60,
});

/**
 * Long runs of one character: past every length limit (the shortest is 40), so they test the
 * limits. Short runs that could make a backtracking regex explode are `backtrackingBait`, sent
 * only to a server in another process, where a hang is a failed request, not a frozen test.
 */
export const longText = fc
  .tuple(fc.constantFrom('x', 'ä', '😀', '\u0000', '.', '%', 'a.', '.:', ' -', '9', 'a'), fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('', '!', 'x', '1'))
  .map(([unit, count, tail]) => unit.repeat(count) + tail);

/** Runs of characters two neighbouring quantifiers both accept, ending in a mismatch: ReDoS bait. */
export const backtrackingBait = fc
  .tuple(
    fc.constantFrom('.', 'a', 'a.', '.:', 'ä', '#', ' -', '1.', '+4', '0', '1 ', 'a1', '-', ' '),
    fc.integer({ min: 12, max: 38 }),
    fc.constantFrom('!', 'x', ' !', '-', '\u0000', '', '€'),
  )
  .map(([unit, count, tail]) => `${unit.repeat(count).slice(0, 38)}${tail}`);

export const hostileString = fc.oneof(
  { weight: 5, arbitrary: oddText },
  { weight: 2, arbitrary: fc.constantFrom(...SQL_LOOKING) },
  { weight: 1, arbitrary: longText },
);

/** Any JSON-ish value, hostile strings inside. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, Number.MAX_VALUE, 1.5),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'id', 'name')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A lone surrogate in any string value (keys aside: the schemas drop unknown keys before looking). */
export const hasLoneSurrogate = (value: unknown): boolean => {
  if (typeof value === 'string') return /\p{Cs}/u.test(value);
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(hasLoneSurrogate);
};

/**
 * A path segment as a client would send it. A lone surrogate has no UTF-8 form, so it goes as
 * the bytes of its (invalid) three-byte encoding, which is what a broken client would send.
 */
export function encodeSegment(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

/** Percent-encoding that is itself broken. */
export const brokenEncoding = fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', '%u0041', '%%41', '%0');

/** Content types a client might (wrongly) send. */
export const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'text/plain',
  'text/html',
  'application/xml',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  'application/vnd.api+json',
  'JSON',
  'application/json, text/plain',
  '',
);
