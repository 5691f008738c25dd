/**
 * The e-mail channel end to end, with its real parts, in Swedish and in Finnish: a customer's mail
 * is delivered to support@ / tuki@ on Debian's Dovecot, the server reads it over IMAP and makes a
 * case of it, the automatic reply with the case number reaches the SMTP relay, the specialist
 * answers on the desk with a reply template (Alt+M, filled for the case) and a pasted screenshot,
 * the reply reaches the relay with the case tag, the filled template and the file, and the customer's answer threads back onto the case on the open desk.
 */
import type { Page } from '@playwright/test';
import { caseNumbersInSubject, teamOfIndustry, type Contact } from '../../shared/index';
import { customerMail, deliverMail, FI_MAILBOX, SE_MAILBOX } from '../support/mail';
import { pngBytes } from '../support/png';
import { expectAccessible } from './a11y';
import { e2eServer, relayed, ServerApi, type RelayedRecord } from './env';
import { expect, loginAs, test } from './fixtures';

test.describe.configure({ timeout: 150_000 });

/** A contact of a Team 1 customer of the office, whose address no other contact shares. */
async function customerOf(office: 'SE' | 'FI', skip: readonly string[]): Promise<Contact> {
  const all = await (await ServerApi.login(e2eServer().leadEmail)).snapshot();
  const customers = new Map(all.customers.map((c) => [c.id, c]));
  const uses = new Map<string, number>();
  for (const p of all.contacts) if (p.email) uses.set(p.email.toLowerCase(), (uses.get(p.email.toLowerCase()) ?? 0) + 1);
  const found = all.contacts.find((p) => {
    const customer = customers.get(p.customerId);
    return (
      p.email !== null &&
      p.anonymisedAt === null &&
      uses.get(p.email.toLowerCase()) === 1 &&
      !skip.includes(p.id) &&
      customer !== undefined &&
      customer.country === office &&
      customer.language === (office === 'FI' ? 'fi' : 'sv') &&
      teamOfIndustry(customer.industry) === 1
    );
  });
  if (!found) throw new Error(`the seed has no Team 1 contact with an address of ${office}`);
  return found;
}

/** Waits for the relay to have received a mail that matches. */
async function relayedMail(match: (m: RelayedRecord) => boolean): Promise<RelayedRecord> {
  let found: RelayedRecord | undefined;
  await expect
    .poll(() => {
      found = relayed().find(match);
      return found !== undefined;
    }, { timeout: 30_000 })
    .toBe(true);
  return found as RelayedRecord;
}

async function pasteScreenshot(page: Page, testId: string): Promise<void> {
  const png = pngBytes(160, 90, [200, 80, 40], 7).toString('base64');
  await page.getByTestId(testId).evaluate((el, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png);
}

const WORDS = {
  sv: { template: 'Tack för ditt ärende', thanks: 'Tack för ditt ärende!', subject: 'Momsen blir fel på fakturan', body: 'Hej!\n\nNär vi skriver ut fakturan blir momsen fel. Vad gör vi?\n\nMvh', reply: 'Hej! Kontrollera momskoden under Inställningar > Moms. Se bifogad skärmbild.', answer: 'Tack, nu fungerar det!', tag: 'Ärende' },
  fi: { template: 'Kiitos yhteydenotostasi', thanks: 'Kiitos yhteydenotostasi!', subject: 'Laskun ALV on väärin', body: 'Hei!\n\nKun tulostamme laskun, ALV on väärin. Mitä teemme?\n\nTerveisin', reply: 'Hei! Tarkistakaa ALV-koodi kohdasta Asetukset > ALV. Katso liitteenä oleva kuvakaappaus.', answer: 'Kiitos, nyt toimii!', tag: 'Tukipyyntö' },
} as const;

const used: string[] = [];

for (const lang of ['sv', 'fi'] as const) {
  const w = WORDS[lang];
  const office = lang === 'fi' ? 'FI' : 'SE';
  const mailbox = lang === 'fi' ? FI_MAILBOX : SE_MAILBOX;

  test(`a customer's mail becomes a case, is answered from the desk with a screenshot, and the answer threads back (${lang})`, async ({ page, server }) => {
    const s = e2eServer();
    const contact = await customerOf(office, used);
    used.push(contact.id);
    const address = contact.email as string;
    const token = `${Date.now().toString(36)}`;
    const subject = `${w.subject} ${token}`;
    const desk = await loginAs(page, server.team1[0]!, lang);

    // 1. The customer writes to the office's mailbox.
    await deliverMail(s.mail.imapHost, s.mail.imapPort, mailbox, customerMail({ from: `${contact.name} <${address}>`, to: mailbox, subject, text: `${w.body}\n${contact.name}` }));

    // 2. The automatic reply, in the customer's language, from the mailbox, with the case number.
    const ack = await relayedMail((m) => m.to.includes(address.toLowerCase()) && m.subject.includes(token));
    const [number] = caseNumbersInSubject(ack.subject);
    expect(number).toBeDefined();
    expect(ack.subject).toContain(`[${w.tag} #${number}]`);
    expect(ack.from).toBe(mailbox);
    expect(ack.autoSubmitted).toBe('auto-replied');
    expect(ack.text).toContain(String(number));

    // 3. The case is on the desk: the customer's mail in its thread, the acknowledgement as sent.
    await desk.lookup(String(number));
    const thread = page.getByTestId('mail-event');
    await expect(thread.filter({ hasText: w.body.split('\n')[2] as string })).toHaveAttribute('data-direction', 'in');
    await expect(thread.filter({ has: page.getByTestId('mail-status') }).first()).toHaveAttribute('data-status', 'sent');

    // 4. The specialist answers by mail: a reply template (Alt+M) filled for the case, a line of
    // their own and a pasted screenshot.
    await page.keyboard.press('r');
    await expect(page.getByTestId('reply-input')).toBeFocused();
    await page.keyboard.press('Alt+m');
    await expect(page.getByTestId('answer-search')).toBeFocused();
    await page.keyboard.type(w.template);
    await expect(page.getByTestId('answer-option').first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('reply-input')).toBeFocused();
    const firstName = contact.name.split(' ')[0] as string;
    await expect(page.getByTestId('reply-input')).toHaveValue(new RegExp(`${firstName}[\\s\\S]*${number}`));
    await page.keyboard.press('Control+End');
    await page.keyboard.type(`\n${w.reply}`);
    await pasteScreenshot(page, 'reply-input');
    await expect(page.getByTestId('draft-file')).toHaveCount(1);
    await expectAccessible(page, `${lang}-mail-flow-reply`);
    await page.screenshot({ path: `test-results/screenshots/${lang}-mail-flow-reply.png`, fullPage: true });
    await page.keyboard.press('Control+Enter');
    const mine = thread.filter({ hasText: w.reply });
    await expect(mine).toHaveAttribute('data-status', 'sent', { timeout: 30_000 });
    const reply = await relayedMail((m) => m.to.includes(address.toLowerCase()) && m.text.includes(w.reply));
    expect(reply.subject).toContain(`[${w.tag} #${number}]`);
    expect(reply.from).toBe(mailbox);
    expect(reply.autoSubmitted).toBeNull();
    expect(reply.attachments.map((a) => a.contentType)).toEqual(['image/png']);
    expect(reply.text).toContain(w.thanks);
    expect(reply.text).toContain(firstName);

    // 5. The customer's answer threads back onto the case, on the open desk, without a reload.
    await deliverMail(
      s.mail.imapHost,
      s.mail.imapPort,
      mailbox,
      customerMail({ from: address, to: mailbox, subject: `Re: ${reply.subject}`, text: `${w.answer}\n\n> ${w.reply}`, ...(reply.messageId ? { inReplyTo: reply.messageId.replace(/^<|>$/g, '') } : {}) }),
    );
    await expect(thread.filter({ hasText: w.answer })).toHaveAttribute('data-direction', 'in', { timeout: 30_000 });
    await page.screenshot({ path: `test-results/screenshots/${lang}-mail-flow-thread.png`, fullPage: true });
    // Answered once: no second acknowledgement for the customer's answer.
    expect(relayed().filter((m) => m.to.includes(address.toLowerCase()) && m.autoSubmitted !== null)).toHaveLength(1);
  });
}
