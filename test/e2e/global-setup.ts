/**
 * Starts ONE real server for the whole run, in this process, seeded with ~2000 cases and serving
 * the built renderer; tells the tests where it is through test-results/e2e-server.json; stops it
 * (and removes its data) at the end.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api } from '../support/http';
import { startTestServer } from '../support/server';
import { addLeadWithTwoFactor } from '../support/two-factor';
import { MeResponseSchema, ROUTES, teamOfIndustry } from '../../shared/index';
import { E2E_SERVER_FILE, ServerApi, type E2eServer, type Fixtures } from './env';
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
  const server = await startTestServer({
    cases: 2000,
    seed: 42,
    staticDir,
    // The switch's queues as a site would configure them: option 1 and option 2.
    server: { ctiOptions: '1=hantverk;2=handel' },
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
  const base = { url: server.url, ctiToken: server.ctiToken, password: server.password, leadEmail: server.leadEmail, team1, team2, admin };
  mkdirSync(dirname(join(root, E2E_SERVER_FILE)), { recursive: true });
  writeFileSync(join(root, E2E_SERVER_FILE), JSON.stringify(base));
  const info: E2eServer = { ...base, fixtures: await pickFixtures(await ServerApi.login(server.leadEmail)) };
  // Mail on a few cases for the mail UI's tests (mail.spec.ts).
  seedMail(server.store, join(root, E2E_MAIL_FILE));
  writeFileSync(join(root, E2E_SERVER_FILE), JSON.stringify(info, null, 2));
  return async () => {
    await server.close();
  };
}
