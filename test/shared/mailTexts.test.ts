import { describe, expect, it } from 'vitest';
import { quotedReply, subjectWithoutTags } from '../../shared/mail';
import { autoReplyText, NO_SUBJECT } from '../../shared/mailTexts';

describe('what Desk writes to customers', () => {
  it('acknowledges a case with its number in Swedish and in Finnish', () => {
    expect(autoReplyText('sv', 123456, 'Anna Svensson')).toMatch(/^Hej Anna,/);
    expect(autoReplyText('sv', 123456, null)).toContain('ärendenummer 123456');
    expect(autoReplyText('fi', 123456, 'Matti Virtanen')).toMatch(/^Hei Matti,/);
    expect(autoReplyText('fi', 123456, null)).toContain('numero on 123456');
    expect(NO_SUBJECT).toEqual({ sv: '(Inget ämne)', fi: '(Ei aihetta)' });
  });

  it('quotes the last mail under a reply, with who wrote it and when, in the customer\'s language', () => {
    const quoted = { text: 'Rad ett\n\nRad tre\n', name: 'Anna Svensson', address: 'anna@firma.se', at: '2026-12-07T09:15:00.000Z' };
    const sv = quotedReply('Tack!', quoted, 'sv');
    expect(sv).toBe('Tack!\n\nAnna Svensson skrev 7 december 2026 kl. 10:15:\n> Rad ett\n>\n> Rad tre\n');
    const fi = quotedReply('Kiitos!', { ...quoted, name: null }, 'fi');
    expect(fi.split('\n')[2]).toMatch(/^anna@firma\.se kirjoitti 7\. joulukuuta 2026 .*11[.:]15:$/);
  });

  it('strips case tags from a subject', () => {
    expect(subjectWithoutTags('Re: Fakturan [Ärende #12] [ärende 13]')).toBe('Re: Fakturan');
  });
});
