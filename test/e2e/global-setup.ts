/**
 * Starts ONE real server for the whole run, in this process, seeded with ~2000 cases and serving
 * the built renderer; tells the tests where it is through test-results/e2e-server.json; stops it
 * (and removes its data) at the end.
 */
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api } from '../support/http';
import { startTestServer } from '../support/server';
import { addLeadWithTwoFactor } from '../support/two-factor';
import { startDovecot, startRelay, testMailSettings } from '../support/mail';
import { MeResponseSchema, ROUTES, teamOfIndustry } from '../../shared/index';
import { E2E_RELAY_FILE, E2E_SERVER_FILE, ServerApi, type E2eServer, type Fixtures, type RelayedRecord } from './env';
import { E2E_MAIL_FILE, seedMail } from './mailSeed';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

async function teamsOf(url: string, token: string): Promise<number[]> {
  return MeResponseSchema.parse((await api({ url }, token).get(ROUTES.me)).body).specialist.teams;
}

async function pickFixtures(api: ServerApi): Promise<Fixtures> {
  const all = await api.snapshot();
  const customers = new Map(all.customers.map((c) => [c.id, c]));
  const team1Customer = (id: string) => {
    const c = customers.get(id);
    return c !== undefined && teamOfIndustry(c.industry) === 1;
  };
  const newSupportTeam1 = all.cases
    .filter((c) => c.team === 1 && c.category === 'support' && c.status === 'new' && c.assigneeId === null && team1Customer(c.customerId))
    .map((c) => c.number)
    .slice(0, 12);
  const order = all.cases.find((c) => c.team === 1 && c.category === 'order' && c.status === 'cost_proposal' && !c.billingInformed);
  const openByCustomer = new Set(all.cases.filter((c) => c.status !== 'closed' && c.team === 1).map((c) => c.customerId));
  const caller = all.contacts.find((p) => p.superUser && p.phone !== null && p.anonymisedAt === null && team1Customer(p.customerId) && openByCustomer.has(p.customerId));
  const bug = all.cases.find((c) => c.team === 1 && c.category === 'bug' && c.serviceLevel !== null && c.status !== 'closed' && c.contactId !== null);
  if (newSupportTeam1.length < 12 || !order || !caller?.phone || !bug) throw new Error('the seed lacks the cases and callers the e2e tests need');
  const callerCustomer = customers.get(caller.customerId);
  return {
    newSupportTeam1,
    orderAwaitingBilling: order.number,
    callerTeam1: { phone: caller.phone, contactName: caller.name, customerName: callerCustomer?.name ?? '' },
    customerTeam1: callerCustomer?.name ?? '',
    bugTeam1: bug.number,
  };
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const staticDir = join(root, 'renderer/dist');
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error('renderer/dist is missing: run `npm run build:web` first');
  // The mail channel's real parts: Debian's Dovecot holds support@ and tuki@, an SMTP relay in
  // this process takes what the server sends and writes it down (one JSON line per mail) for the
  // tests, which run in other processes.
  const dovecot = await startDovecot();
  const relay = await startRelay();
  const relayFile = join(root, E2E_RELAY_FILE);
  mkdirSync(dirname(relayFile), { recursive: true });
  rmSync(relayFile, { force: true });
  writeFileSync(relayFile, '');
  relay.onReceived = (m) => {
    const record: RelayedRecord = {
      to: m.envelopeTo,
      from: m.envelopeFrom === false ? null : m.envelopeFrom,
      subject: m.mail.subject ?? '',
      text: m.mail.text ?? '',
      messageId: m.mail.messageId ?? null,
      autoSubmitted: typeof m.mail.headers.get('auto-submitted') === 'string' ? String(m.mail.headers.get('auto-submitted')) : null,
      attachments: m.mail.attachments.map((a) => ({ name: a.filename ?? '', contentType: a.contentType, size: a.size })),
    };
    appendFileSync(relayFile, `${JSON.stringify(record)}\n`);
  };
  const server = await startTestServer({
    cases: 2000,
    seed: 42,
    staticDir,
    server: {
      // The customer centre's own bundle at /centre/ (`npm run build:centre`), when built.
      ...(existsSync(join(root, 'renderer/centre/dist/index.html')) ? { centreDir: join(root, 'renderer/centre/dist') } : {}),
      // The switch's queues as a site would configure them: option 1 and option 2.
      ctiOptions: '1=hantverk;2=handel',
      // IDLE brings mail at once; the poll is only the fallback.
      mail: { settings: testMailSettings(dovecot, relay, { pollSeconds: 30 }), reconnect: { baseMs: 200, maxMs: 2_000 } },
    },
  });
  const team1: string[] = [];
  const team2: string[] = [];
  for (const email of server.specialistEmails) {
    const teams = await teamsOf(server.url, await server.login(email));
    if (teams.length === 1 && teams[0] === 1) team1.push(email);
    if (teams.length === 1 && teams[0] === 2) team2.push(email);
  }
  if (team1.length < 2 || team2.length < 1) throw new Error('the demo data needs two Team 1 and one Team 2 specialists');
  const enrolled = await addLeadWithTwoFactor(server, 'e2e.admin@softone.se');
  const admin = { id: enrolled.id, email: enrolled.email, password: enrolled.password, secret: enrolled.secret, token: enrolled.token };
  const base = {
    url: server.url,
    ctiToken: server.ctiToken,
    password: server.password,
    leadEmail: server.leadEmail,
    team1,
    team2,
    admin,
    mail: { imapHost: dovecot.host, imapPort: dovecot.port },
  };
  mkdirSync(dirname(join(root, E2E_SERVER_FILE)), { recursive: true });
  writeFileSync(join(root, E2E_SERVER_FILE), JSON.stringify(base));
  const info: E2eServer = { ...base, fixtures: await pickFixtures(await ServerApi.login(server.leadEmail)) };
  // Mail on a few cases for the mail UI's tests (mail.spec.ts).
  seedMail(server.store, join(root, E2E_MAIL_FILE));
  writeFileSync(join(root, E2E_SERVER_FILE), JSON.stringify(info, null, 2));
  return async () => {
    await server.close();
    await relay.stop();
    await dovecot.stop();
  };
}
