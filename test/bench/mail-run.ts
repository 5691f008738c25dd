/**
 * The mail metric: a customer's mail delivered to support@ (an IMAP APPEND on Debian's Dovecot
 * finished) to its case's row painted in a desk's queue, over the server's real IMAP intake (IDLE)
 * and the desk's live sync (bench/mail.ts; `npm run bench` measures the same in its run).
 * `npx tsx test/bench/mail-run.ts [--cases 100000] [--mails 20]`.
 * Needs `dovecot-imapd` (as the mail tests do). Prints p50 and p95 (ms) of `mail_to_desk_ms`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDovecot, startRelay, testMailSettings } from '../support/mail';
import { startTestServer } from '../support/server';
import { measureBootstrap, openDesk, submitLogin, untilSettled } from './desk';
import { measureMailToDesk } from './mail';
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
    const dbName = `desk:${new URL(server.url).host}:${specialist.id}`;
    const desk = await openDesk(join(profiles, 'a'));
    try {
      const { page } = desk;
      await submitLogin(page, server.url, specialist.email, server.password);
      const boot = await measureBootstrap(page, 600_000);
      await untilSettled(page, dbName, 120_000);
      console.log(`${cases} cases bootstrapped in ${Math.round(boot.totalMs)} ms`);
      const mail = await measureMailToDesk(page, server.store, dovecot, { mails, office: 'SE', team: 1 });
      const out = mail.samples;
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
