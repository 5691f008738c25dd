import { describe, expect, it } from 'vitest';
import { mailSettingsFromEnv, MailConfigError, parseMailboxes, parseSmtpUrl } from '../../../server/mail/config';
import { ConfigError, loadConfig } from '../../../server/cli/config';
import { isPermanent, retryDelay, DEFAULT_RETRY } from '../../../server/mail/sender';

describe('mail settings from the environment', () => {
  it('reads one mailbox per office: the user is the address, the path the folder', () => {
    const [se, fi] = parseMailboxes('SE=imap://support%40softone.se:p%3Ass@imap.softone.se:143/INBOX;FI=imaps://tuki%40softone.fi:pw@imap.softone.fi/Tuki');
    expect(se).toEqual({ office: 'SE', address: 'support@softone.se', host: 'imap.softone.se', port: 143, secure: false, user: 'support@softone.se', pass: 'p:ss', path: 'INBOX' });
    expect(fi).toMatchObject({ office: 'FI', address: 'tuki@softone.fi', port: 993, secure: true, path: 'Tuki' });
    expect(parseMailboxes('SE=imap://a%40b.se:x@h')[0]?.path).toBe('INBOX');
  });

  it.each([
    ['DK=imap://a%40b.se:x@h', /entry 1: the office "DK" is not SE or FI/],
    ['SE=pop3://a%40b.se:x@h', /entry 1 \(SE\): the scheme must be imap/],
    ['SE=imap://a%40b.se@h', /the password is missing/],
    ['SE=imap://:secret@h', /the user .* is missing/],
    ['SE=imap://nobody:secret@h', /is not an e-mail address/],
    ['SE=imap://a%40b.se:x@h;SE=imap://c%40b.se:y@h', /entry 2 \(SE\): the office has a mailbox already/],
    ['SE=imap://a%40b.se:x@h:99999', /entry 1 \(SE\) is not a URL/],
    ['SE', /must be OFFICE=imap/],
  ])('refuses %j naming the part, never the password', (value, message) => {
    let error: unknown;
    try {
      parseMailboxes(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MailConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^DESK_MAILBOXES: /);
    expect((error as Error).message).not.toContain('secret');
  });

  it('reads the relay: smtp:// or smtps://, credentials optional', () => {
    expect(parseSmtpUrl('smtp://relay.softone.se:587')).toEqual({ host: 'relay.softone.se', port: 587, secure: false, auth: null });
    expect(parseSmtpUrl('smtps://u%40x.se:pw@relay')).toEqual({ host: 'relay', port: 465, secure: true, auth: { user: 'u@x.se', pass: 'pw' } });
    expect(() => parseSmtpUrl('http://relay')).toThrow(/DESK_SMTP_URL: the scheme/);
    expect(() => parseSmtpUrl('smtp://user@relay')).toThrow(/needs a password/);
  });

  it('is off without mailboxes, and stops the server on a bad value with the variable named', () => {
    expect(mailSettingsFromEnv({})).toBeNull();
    expect(loadConfig({}).mail).toBeNull();
    const on = loadConfig({ DESK_MAILBOXES: 'SE=imap://support%40softone.se:pw@h', DESK_SMTP_URL: 'smtp://r:25', DESK_MAIL_POLL_SECONDS: '30', DESK_MAIL_MAX_MB: '10' });
    expect(on.mail).toMatchObject({ pollSeconds: 30, maxBytes: 10 * 1024 * 1024, smtp: { host: 'r', port: 25 } });
    expect(() => loadConfig({ DESK_MAILBOXES: 'SE=imap://support%40softone.se:topsecret@h' })).toThrow(/DESK_SMTP_URL: required/);
    expect(() => loadConfig({ DESK_MAILBOXES: 'SE=ftp://support%40softone.se:topsecret@h', DESK_SMTP_URL: 'smtp://r' })).toThrow(ConfigError);
    expect(() => loadConfig({ DESK_MAILBOXES: 'SE=imap://support%40softone.se:pw@h', DESK_SMTP_URL: 'smtp://r', DESK_MAIL_POLL_SECONDS: 'often' })).toThrow(/DESK_MAIL_POLL_SECONDS/);
  });
});

describe('the outgoing queue\'s rules', () => {
  it('gives up on 5xx only; 4xx and no answer are retried', () => {
    expect(isPermanent({ responseCode: 550 })).toBe(true);
    expect(isPermanent({ responseCode: 451 })).toBe(false);
    expect(isPermanent({ code: 'ECONNECTION' })).toBe(false);
  });

  it('backs off from a minute to an hour', () => {
    expect([1, 2, 3, 7, 8].map((n) => retryDelay(n, DEFAULT_RETRY))).toEqual([60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });
});
