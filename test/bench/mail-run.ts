/**
 * The mail metric: a customer's mail delivered to support@ (an IMAP APPEND on Debian's Dovecot
 * finished) to its case's row painted in a desk's queue, over the server's real IMAP intake (IDLE)
 * and the desk's live sync. `npx tsx test/bench/mail-run.ts [--cases 100000] [--mails 20]`.
 * Needs `dovecot-imapd` (as the mail tests do). Prints p50 and p95 (ms) of `mail_to_desk_ms`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { teamOfIndustry } from '../../shared/index';
import { customerMail, SE_MAILBOX, startDovecot, startRelay, testMailSettings } from '../support/mail';
import { startTestServer } from '../support/server';
import { measureBootstrap, openDesk, submitLogin, untilSettled } from './desk';
import { percentile } from './metrics';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' }, mails: { type: 'string', default: '20' } } });

async function main(): Promise<void> {
  const cases = Number(values.cases);
  const mails = Number(values.mails);
  const profiles = mkdtempSync(join(tmpdir(), 'desk-mail-bench-'));
  const dovecot = await startDovecot();
  const relay = await startRelay();
  const server = await startTestServer({
    cases,
    seed: 42,
    staticDir: join(root, 'renderer/dist'),
    server: { mail: { settings: testMailSettings(dovecot, relay, { pollSeconds: 60 }) } },
  });
  try {
    const specialist = server.store.specialists.list().find((s) => s.active && s.role === 'specialist' && s.office === 'SE' && s.teams.length === 1 && s.teams[0] === 1);
    if (!specialist) throw new Error('no Swedish Team 1 specialist');
    // Senders: contacts of Swedish Team 1 customers whose address no other contact shares.
    const senders = server.store.db
      .prepare<[], { email: string; industry: string }>(
        `SELECT co.email, cu.industry FROM contacts co JOIN customers cu ON cu.id = co.customer_id
          WHERE co.email IS NOT NULL AND co.anonymised_at IS NULL AND cu.country = 'SE'
            AND (SELECT count(*) FROM contacts o WHERE o.email = co.email COLLATE NOCASE) = 1`,
      )
      .all()
      .filter((r) => teamOfIndustry(r.industry as Parameters<typeof teamOfIndustry>[0]) === 1)
      .map((r) => r.email);
    if (senders.length === 0) throw new Error('no sender');
    const dbName = `desk:${new URL(server.url).host}:${specialist.id}`;
    const desk = await openDesk(join(profiles, 'a'));
    try {
      const { page } = desk;
      await submitLogin(page, server.url, specialist.email, server.password);
      const boot = await measureBootstrap(page, 600_000);
      await untilSettled(page, dbName, 120_000);
      console.log(`${cases} cases bootstrapped in ${Math.round(boot.totalMs)} ms`);
      // Newest number first: a new case is the queue's first row.
      await page.getByTestId('sort-number').click();
      await page.getByTestId('sort-number').click();
      await page.locator('[data-testid=sort-number][aria-sort=descending]').waitFor();
      const out: number[] = [];
      for (let i = 0; i < mails; i++) {
        const token = `bench${i}x${Date.now().toString(36)}`;
        await page.evaluate((t) => window.__deskBench.watch(`mail-${t}`, { selector: '[data-testid=queue-row]', text: t }), token);
        const from = senders[i % senders.length] as string;
        await dovecot.deliver(SE_MAILBOX, customerMail({ from, to: SE_MAILBOX, subject: `Fakturan skrivs inte ut ${token}`, text: 'Hej! Fakturan skrivs inte ut. Mvh' }));
        const deliveredAt = Date.now();
        const shownAt = await page.evaluate(async (t) => performance.timeOrigin + (await window.__deskBench.until(`mail-${t}`, 30_000)).paintedAt, token);
        out.push(shownAt - deliveredAt);
      }
      console.log(
        JSON.stringify(
          { cases, mails, mail_to_desk_p50_ms: Math.round(percentile(out, 50)), mail_to_desk_p95_ms: Math.round(percentile(out, 95)), all: out.map(Math.round) },
          null,
          2,
        ),
      );
    } finally {
      await desk.close();
    }
  } finally {
    await server.close();
    await relay.stop();
    await dovecot.stop();
    rmSync(profiles, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
