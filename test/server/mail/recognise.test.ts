import { describe, expect, it } from 'vitest';
import { automaticKind, headerMap, messageIds, messageIdsInReport, normaliseAddress, titleFromSubject } from '../../../server/mail/recognise';

const OWN = new Set(['support@softone.se', 'tuki@softone.fi']);
const headers = (lines: Record<string, string>): Map<string, string> => headerMap(Object.entries(lines).map(([key, value]) => ({ key: key.toLowerCase(), line: `${key}: ${value}` })));

describe('machine-made mail', () => {
  const cases: Array<[string, Record<string, string>, string | null, ReturnType<typeof automaticKind>]> = [
    ['a person writing', { 'Content-Type': 'text/plain' }, 'kund@firma.se', null],
    ['Auto-Submitted: no', { 'Auto-Submitted': 'no' }, 'kund@firma.se', null],
    ['Auto-Submitted: auto-replied', { 'Auto-Submitted': 'auto-replied' }, 'kund@firma.se', 'auto_reply'],
    ['Auto-Submitted: auto-generated; with a comment', { 'Auto-Submitted': 'Auto-Generated (vacation)' }, 'kund@firma.se', 'auto_reply'],
    ['X-Autoreply', { 'X-Autoreply': 'yes' }, 'kund@firma.se', 'auto_reply'],
    ['X-Autorespond', { 'X-Autorespond': 'Out of office' }, 'kund@firma.se', 'auto_reply'],
    ['Precedence: bulk', { Precedence: 'bulk' }, 'kund@firma.se', 'auto_reply'],
    ['Precedence: junk', { Precedence: 'Junk' }, 'kund@firma.se', 'auto_reply'],
    ['Precedence: list', { Precedence: 'list' }, 'kund@firma.se', 'auto_reply'],
    ['Precedence: first-class (a person)', { Precedence: 'first-class' }, 'kund@firma.se', null],
    ['List-Id', { 'List-Id': '<nyheter.firma.se>' }, 'kund@firma.se', 'auto_reply'],
    ['List-Unsubscribe', { 'List-Unsubscribe': '<mailto:unsub@firma.se>' }, 'kund@firma.se', 'auto_reply'],
    ['empty Return-Path', { 'Return-Path': '<>' }, 'kund@firma.se', 'auto_reply'],
    ['a Return-Path with an address', { 'Return-Path': '<kund@firma.se>' }, 'kund@firma.se', null],
    ['MAILER-DAEMON', {}, 'MAILER-DAEMON@mx.firma.se', 'bounce'],
    ['postmaster', {}, 'postmaster@firma.se', 'bounce'],
    ['multipart/report delivery-status', { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="x"' }, 'kund@firma.se', 'bounce'],
    ['one of our own mailboxes', {}, 'Support@SoftOne.se', 'auto_reply'],
    ['our own loop header', { 'X-Desk-Loop': 'support@softone.se' }, 'kund@firma.se', 'auto_reply'],
  ];
  it.each(cases)('%s', (_name, lines, from, expected) => {
    expect(automaticKind(headers(lines), from, OWN)).toBe(expected);
  });
});

describe('message ids, subjects and addresses', () => {
  it('reads Message-IDs without brackets, each once', () => {
    expect(messageIds('<a@b> <c@d>\r\n <a@b>')).toEqual(['a@b', 'c@d']);
    expect(messageIds('no ids here')).toEqual([]);
    expect(messageIds(null)).toEqual([]);
  });

  it('finds the Message-IDs a delivery report quotes', () => {
    expect(messageIdsInReport('Reporting-MTA: dns\nMessage-ID: <x@desk.softone.se>\nX-Original-Message-ID: <y@z>\n')).toEqual(['x@desk.softone.se', 'y@z']);
  });

  it.each([
    ['Re: SV: Fakturan [Ärende #123]', 'Fakturan'],
    ['VS: Palkat [Tukipyyntö #5]', 'Palkat'],
    ['AW: Fwd: Hello', 'Hello'],
    ['[Ärende #9]', null],
    ['   ', null],
  ])('a case title from %j', (subject, title) => {
    expect(titleFromSubject(subject)).toBe(title);
  });

  it('normalises addresses and refuses what is not one', () => {
    expect(normaliseAddress(' Kund@Firma.SE ')).toBe('kund@firma.se');
    expect(normaliseAddress('not an address')).toBeNull();
    expect(normaliseAddress(undefined)).toBeNull();
  });
});
