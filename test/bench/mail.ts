/**
 * The mail metric (`mail_to_desk_p50_ms` / `_p95_ms`): a customer's mail delivered to the office's
 * mailbox (an IMAP APPEND on Debian's Dovecot finished) to its new case's row painted in a desk's
 * queue, over the server's real IMAP intake (IDLE, parse, one transaction, live poke) and the
 * desk's live sync. The desk must show its queue, signed in as a specialist whose team gets the
 * senders' cases. Used by `npm run bench` (bench.ts) and by mail-run.ts on its own.
 */
import type { Page } from '@playwright/test';
import { teamOfIndustry } from '../../shared/index';
import type { Store } from '../../server/store/store';
import { customerMail, FI_MAILBOX, SE_MAILBOX, type Dovecot } from '../support/mail';
import { percentile } from './metrics';

export interface MailToDesk {
  p50Ms: number;
  p95Ms: number;
  samples: number[];
}

export async function measureMailToDesk(
  page: Page,
  store: Store,
  dovecot: Pick<Dovecot, 'deliver'>,
  o: { mails: number; office: 'SE' | 'FI'; team: number },
): Promise<MailToDesk> {
  const mailbox = o.office === 'SE' ? SE_MAILBOX : FI_MAILBOX;
  // Senders: contacts of the office's customers of the desk's team whose address no other contact shares.
  const senders = store.db
    .prepare<[string], { email: string; industry: string }>(
      `SELECT co.email, cu.industry FROM contacts co JOIN customers cu ON cu.id = co.customer_id
        WHERE co.email IS NOT NULL AND co.anonymised_at IS NULL AND cu.country = ?
          AND (SELECT count(*) FROM contacts o WHERE o.email = co.email COLLATE NOCASE) = 1`,
    )
    .all(o.office)
    .filter((r) => teamOfIndustry(r.industry as Parameters<typeof teamOfIndustry>[0]) === o.team)
    .map((r) => r.email);
  if (senders.length === 0) throw new Error(`no sender of ${o.office} for team ${o.team}`);
  // Newest number first: a new case is the queue's first row.
  await page.getByTestId('sort-number').click();
  await page.getByTestId('sort-number').click();
  await page.locator('[data-testid=sort-number][aria-sort=descending]').waitFor();
  const samples: number[] = [];
  for (let i = 0; i < o.mails; i++) {
    const token = `bench${i}x${Date.now().toString(36)}`;
    await page.evaluate((t) => window.__deskBench.watch(`mail-${t}`, { selector: '[data-testid=queue-row]', text: t }), token);
    const from = senders[i % senders.length] as string;
    await dovecot.deliver(mailbox, customerMail({ from, to: mailbox, subject: `Fakturan skrivs inte ut ${token}`, text: 'Hej! Fakturan skrivs inte ut. Mvh' }));
    const deliveredAt = Date.now();
    const shownAt = await page.evaluate(async (t) => performance.timeOrigin + (await window.__deskBench.until(`mail-${t}`, 30_000)).paintedAt, token);
    samples.push(shownAt - deliveredAt);
  }
  return { p50Ms: percentile(samples, 50), p95Ms: percentile(samples, 95), samples };
}
