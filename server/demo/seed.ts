/**
 * Deterministic, realistic demo data: Swedish and Finnish customers of every industry with their
 * SuperUsers, the demo desk's specialists, and cases of every category, status and service level
 * at realistic ages relative to `now`. Same seed, count and `now` → the same rows.
 */
import { FLOWS, type CategoryId, type StatusId } from '../../shared/categories';
import type { AccessGrant, Call, Case, CaseEvent, Contact, Customer, Specialist } from '../../shared/contract';
import { grantExpiry } from '../../shared/grants';
import { seedAnswers } from './answers';
import { MODULE_IDS, MODULE_LABELS, type ModuleId, type ProductId } from '../../shared/modules';
import { SERVICE_LEVEL_RULES, type ServiceLevel } from '../../shared/sla';
import { INDUSTRY_IDS, teamOfIndustry, type IndustryId, type Language, type Office, type TeamId } from '../../shared/teams';
import { hashPassword } from '../auth/passwords';
import { Rng } from './rng';
import { CATEGORY_TITLES, DEMO_SPECIALISTS, DESCRIPTIONS, FIRST_NAMES, LAST_NAMES, MODULE_TITLES, NOTES } from './vocabulary';
import { customerName, domainOf, orgNumber, slug } from './names';
import type { Store } from '../store/store';

/** Every demo account's password; printed by the server in demo mode only. */
export const DEMO_PASSWORD = 'demo-password-1';
export const DEFAULT_DEMO_SEED = 42;

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Closed cases older than this keep only their "created" event, which keeps 100k cases quick to seed. */
const FULL_HISTORY_DAYS = 180;

export interface SeedOptions {
  cases: number;
  seed?: number;
  now?: Date;
}

export interface SeedSummary {
  specialists: number;
  customers: number;
  contacts: number;
  cases: number;
  events: number;
  grants: number;
  calls: number;
  leadEmail: string;
  specialistEmails: string[];
  password: string;
}

interface SeededCustomer {
  customer: Customer;
  superUsers: Contact[];
  others: Contact[];
}

const SV_MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

/** "oktober 2026" in Swedish; Finnish inflects month names, so "10/2026" as Finnish systems write periods. */
const periodText = (lang: Language, d: Date): string =>
  lang === 'sv' ? `${SV_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}` : `${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`;

function seedSpecialists(store: Store, passwordHash: string, now: Date): Specialist[] {
  const seeded: Specialist[] = [];
  DEMO_SPECIALISTS.forEach((s, i) => {
    const domain = s.office === 'SE' ? 'softone.se' : 'softone.fi';
    const specialist: Specialist = {
      id: `demo-specialist-${String(i + 1).padStart(2, '0')}`,
      email: `${slug(s.name, '.')}@${domain}`,
      name: s.name,
      role: s.lead ? 'lead' : 'specialist',
      teams: s.teams,
      office: s.office,
      language: s.office === 'SE' ? 'sv' : 'fi',
      active: true,
      // The demo switch's extensions: 101 for the first specialist, 102 for the second, …
      extension: String(101 + i),
    };
    // An administrator created from the environment may already own one of these addresses.
    if (store.specialists.findForLogin(specialist.email)) return;
    store.specialists.insert(specialist, passwordHash, now.toISOString());
    seeded.push(specialist);
  });
  return seeded;
}

function mobileNumber(rng: Rng, office: Office, used: Set<string>): string {
  for (;;) {
    const phone = office === 'SE' ? `+46${rng.pick(['70', '72', '73', '76', '79'])}${rng.digits(7)}` : `+358${rng.pick(['40', '41', '44', '45', '50'])}${rng.digits(7)}`;
    if (!used.has(phone)) {
      used.add(phone);
      return phone;
    }
  }
}

function seedCustomers(store: Store, rng: Rng, count: number, now: Date): SeededCustomer[] {
  const names = new Set<string>();
  const phones = new Set<string>();
  const seeded: SeededCustomer[] = [];
  for (let i = 0; i < count; i++) {
    // The first 36 cover every industry in both countries; the rest follow the market.
    const country: Office = i < 2 * INDUSTRY_IDS.length ? (i < INDUSTRY_IDS.length ? 'SE' : 'FI') : rng.chance(0.65) ? 'SE' : 'FI';
    const industry: IndustryId = i < 2 * INDUSTRY_IDS.length ? (INDUSTRY_IDS[i % INDUSTRY_IDS.length] as IndustryId) : rng.pick(INDUSTRY_IDS);
    const language: Language = country === 'SE' ? 'sv' : 'fi';
    const name = customerName(rng, country, industry, names);
    const extra = rng.sample(
      MODULE_IDS.filter((m) => m !== 'finance'),
      rng.int(2, 8),
    );
    const licensedModules: ModuleId[] = ['finance', ...extra];
    const quota = licensedModules.length <= 4 ? 2 : licensedModules.length <= 7 ? 3 : 4;
    const customer: Customer = {
      id: rng.uuid(),
      name,
      orgNumber: orgNumber(rng, country, industry),
      country,
      language,
      industry,
      licensedModules,
      paymentStatus: rng.chance(0.03) ? 'overdue' : 'ok',
      superUserQuota: quota,
    };
    store.customers.insert(customer);
    const domain = domainOf(name, country);
    // A few customers named one SuperUser more than the licence admits; some contacts are not SuperUsers.
    const superUserCount = quota + (rng.chance(0.06) ? 1 : 0);
    const otherCount = rng.chance(0.25) ? 1 : 0;
    const superUsers: Contact[] = [];
    const others: Contact[] = [];
    const emails = new Set<string>();
    for (let k = 0; k < superUserCount + otherCount; k++) {
      const personName = `${rng.pick(FIRST_NAMES[country])} ${rng.pick(LAST_NAMES[country])}`;
      const superUser = k < superUserCount;
      let email = `${slug(personName, '.')}@${domain}`;
      if (emails.has(email)) email = email.replace('@', `${k + 1}@`);
      emails.add(email);
      const contact: Contact = {
        id: rng.uuid(),
        customerId: customer.id,
        name: personName,
        email,
        phone: mobileNumber(rng, country, phones),
        superUser,
        superUserSince: superUser ? new Date(now.getTime() - rng.int(60, 2000) * DAY - k * MINUTE).toISOString() : null,
        trainedModules: superUser ? rng.sample(licensedModules, rng.int(1, licensedModules.length)) : [],
        anonymisedAt: null,
      };
      store.contacts.insert(contact);
      (superUser ? superUsers : others).push(contact);
    }
    seeded.push({ customer, superUsers, others });
  }
  return seeded;
}

const OPEN_STATUS_WEIGHTS: Record<CategoryId, ReadonlyArray<readonly [StatusId, number]>> = {
  support: [['new', 20], ['line1', 45], ['line2', 25], ['line3', 10]],
  bug: [['new', 10], ['escalated', 25], ['planned', 20], ['in_progress', 25], ['validation', 12], ['delivered', 8]],
  wish: [['new', 15], ['received', 30], ['product_council', 30], ['planned', 20], ['delivered', 5]],
  order: [['new', 15], ['received', 25], ['cost_proposal', 25], ['planned', 20], ['delivered', 15]],
};

/** How old an open bug typically is, per level: about its resolution window, so SLA states mix. */
const OPEN_BUG_MAX_AGE_DAYS: Record<ServiceLevel, number> = { 1: 1.5, 2: 8, 3: 35, 4: 200, 5: 400 };
const CLOSED_DURATION_DAYS: Record<CategoryId, [number, number]> = { support: [0.05, 5], bug: [1, 40], wish: [30, 300], order: [5, 60] };

/** A weekday office-hour time on the day `ageDays` before now (portal cases may come any time). */
function registrationTime(rng: Rng, now: Date, ageDays: number, anyTime: boolean): number {
  const t = new Date(now.getTime() - ageDays * DAY);
  if (!anyTime) {
    t.setUTCHours(rng.int(6, 14), rng.int(0, 59), rng.int(0, 59), 0);
    const weekday = t.getUTCDay();
    if (weekday === 6) t.setUTCDate(t.getUTCDate() - 1);
    if (weekday === 0) t.setUTCDate(t.getUTCDate() - 2);
  }
  return Math.min(t.getTime(), now.getTime() - rng.int(1, 30) * MINUTE);
}

/** The statuses a case passed through to reach `status`, "new" first. */
function pathTo(rng: Rng, category: CategoryId, status: StatusId): StatusId[] {
  const flow = FLOWS[category];
  if (category === 'support' && status === 'closed') return [...flow.slice(0, rng.int(2, 4)), 'closed'];
  return flow.slice(0, flow.indexOf(status) + 1);
}

interface CaseDraft {
  registeredAt: number;
  open: boolean;
  category: CategoryId;
  ageDays: number;
  serviceLevel: ServiceLevel | null;
}

function draftCase(rng: Rng, now: Date): CaseDraft {
  const open = rng.chance(0.3);
  const category = rng.weighted<CategoryId>([['support', 55], ['bug', 22], ['wish', 10], ['order', 13]]);
  const serviceLevel = category === 'bug' ? rng.weighted<ServiceLevel>([[1, 5], [2, 15], [3, 35], [4, 25], [5, 20]]) : null;
  let ageDays: number;
  if (!open) ageDays = 1 + rng.next() * 729;
  else if (category === 'bug') ageDays = rng.next() * OPEN_BUG_MAX_AGE_DAYS[serviceLevel ?? 5];
  else ageDays = rng.next() ** 2 * { support: 30, wish: 365, order: 90, bug: 30 }[category];
  const anyTime = rng.chance(0.15);
  return { registeredAt: registrationTime(rng, now, ageDays, anyTime), open, category, ageDays, serviceLevel };
}

function seedCases(store: Store, rng: Rng, count: number, customers: SeededCustomer[], specialists: Specialist[], now: Date): { cases: number; events: number } {
  const drafts = Array.from({ length: count }, () => draftCase(rng, now)).sort((a, b) => a.registeredAt - b.registeredAt);
  // Some customers call far more than others.
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < customers.length; i++) cumulative.push((total += 0.5 + rng.next() ** 2 * 6));
  const pickCustomer = (): SeededCustomer => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < r) lo = mid + 1;
      else hi = mid;
    }
    return customers[lo] as SeededCustomer;
  };
  const byTeam: Record<TeamId, Specialist[]> = { 1: specialists.filter((s) => s.teams.includes(1)), 2: specialists.filter((s) => s.teams.includes(2)) };
  const first = store.numbers.take(count);
  let events = 0;
  drafts.forEach((draft, i) => {
    const { customer, superUsers, others } = pickCustomer();
    const team = teamOfIndustry(customer.industry);
    const lang = customer.language;
    const product = rng.weighted<ProductId>([['go', 80], ['timer', 8], ['local', 12]]);
    const module: ModuleId = product === 'timer' ? 'time' : product === 'local' ? rng.pick<ModuleId>(['finance', 'payroll', 'billing']) : rng.pick(customer.licensedModules);
    const contact = rng.chance(0.9) ? rng.pick(superUsers) : (others[0] ?? null);
    const status: StatusId = draft.open ? rng.weighted(OPEN_STATUS_WEIGHTS[draft.category]) : 'closed';
    const serviceLevel = draft.category === 'bug' && status === 'new' && rng.chance(0.4) ? null : draft.serviceLevel;
    const registered = draft.registeredAt;
    const nowMs = now.getTime();
    const [minDays, maxDays] = CLOSED_DURATION_DAYS[draft.category];
    const resolved = status === 'closed' ? Math.min(registered + (minDays + rng.next() * (maxDays - minDays)) * DAY, nowMs - MINUTE) : null;
    const end = resolved ?? nowMs;
    const handlingWindow = serviceLevel === null ? 600 : SERVICE_LEVEL_RULES[serviceLevel].handlingHours * 60;
    const handling = status === 'new' ? null : Math.min(registered + rng.int(5, Math.round(handlingWindow * 1.3)) * MINUTE, registered + (end - registered) / 3);
    const assignee = status === 'new' && rng.chance(0.8) ? null : rng.pick(byTeam[team]);
    const billable = draft.category === 'order' && ['planned', 'delivered', 'closed'].includes(status);
    const channel = rng.weighted<Case['channel']>([['phone', 40], ['email', 35], ['portal', 25]]);
    const period = new Date(registered - rng.int(0, 60) * DAY);
    const titleTemplate =
      draft.category === 'wish' || draft.category === 'order' ? rng.pick(CATEGORY_TITLES[draft.category][lang]) : rng.pick(MODULE_TITLES[module][lang]);
    const title = titleTemplate
      .replace('{period}', periodText(lang, period))
      .replace('{module}', MODULE_LABELS[module][lang]);
    const c: Case = {
      id: rng.uuid(),
      number: first + i,
      customerId: customer.id,
      contactId: contact?.id ?? null,
      product,
      module,
      category: draft.category,
      serviceLevel,
      status,
      team,
      assigneeId: assignee?.id ?? null,
      title,
      description: rng.pick(DESCRIPTIONS[lang]),
      channel,
      billableMinutes: billable ? rng.int(4, 160) * 15 : draft.category === 'support' && rng.chance(0.05) ? rng.int(1, 8) * 15 : 0,
      billingInformed: billable || (status === 'cost_proposal' && rng.chance(0.4)),
      registeredAt: new Date(registered).toISOString(),
      handlingStartedAt: handling === null ? null : new Date(handling).toISOString(),
      resolvedAt: resolved === null ? null : new Date(resolved).toISOString(),
      updatedAt: new Date(end).toISOString(),
      version: 1,
      fieldVersions: {},
    };
    const history: CaseEvent[] = [];
    const event = (at: number, kind: CaseEvent['kind'], data: CaseEvent['data'], actor: string | null, text: string | null = null): void => {
      const when = new Date(Math.min(at, nowMs)).toISOString();
      history.push({ id: rng.uuid(), caseId: c.id, at: when, receivedAt: when, actorId: actor, kind, text, data });
    };
    event(registered, 'created', { number: c.number, channel, callId: null }, channel === 'phone' ? (assignee?.id ?? null) : null);
    if (draft.open || draft.ageDays <= FULL_HISTORY_DAYS) {
      const actor = assignee?.id ?? rng.pick(byTeam[team]).id;
      if (rng.chance(0.03)) {
        const wrong: TeamId = team === 1 ? 2 : 1;
        const reason = lang === 'sv' ? 'Kunden valde fel alternativ i växeln.' : 'Asiakas valitsi väärän vaihtoehdon vaihteessa.';
        event(registered + 5 * MINUTE, 'transfer', { from: wrong, to: team, assigneeBefore: null }, actor, reason);
      }
      const path = pathTo(rng, draft.category, status);
      const start = handling ?? registered;
      path.slice(1).forEach((to, k) => {
        const at = start + ((end - start) * k) / Math.max(1, path.length - 1);
        if (draft.category === 'order' && to === 'planned') event(at - MINUTE, 'billing', { informed: true }, actor);
        event(at, 'status', { from: path[k] ?? 'new', to }, actor);
      });
      if (assignee) event(start, 'assign', { from: null, to: assignee.id }, actor);
      if (rng.chance(0.3)) event(start + (end - start) / 2, 'note', {}, actor, rng.pick(NOTES[lang]));
      if (c.billableMinutes > 0) event(end - MINUTE, 'minutes', { minutes: c.billableMinutes, total: c.billableMinutes }, actor);
    }
    history.sort((a, b) => a.at.localeCompare(b.at));
    c.version = history.length;
    c.updatedAt = history[history.length - 1]?.at ?? c.registeredAt;
    store.cases.insert(c);
    for (const e of history) store.events.insert(e);
    events += history.length;
  });
  return { cases: count, events };
}

function seedGrantsAndCalls(store: Store, rng: Rng, customers: SeededCustomer[], specialists: Specialist[], caseCount: number, now: Date): { grants: number; calls: number } {
  let grants = 0;
  for (const { customer, superUsers } of customers) {
    if (!rng.chance(0.06) || superUsers.length === 0) continue;
    const kind = rng.chance(0.9) ? 'support' : 'consultant';
    const grantedAt = new Date(now.getTime() - rng.int(10, 5 * 24 * 60) * MINUTE);
    const durationHours = customer.country === 'FI' && kind === 'support' ? rng.pick([4, 8, 24, 48]) : undefined;
    const expiresAt = grantExpiry({ office: customer.country, kind, grantedAt, ...(durationHours ? { durationHours } : {}) });
    const revoked = rng.chance(0.1) ? new Date(Math.min(grantedAt.getTime() + rng.int(30, 240) * MINUTE, now.getTime())) : null;
    const grant: AccessGrant = {
      id: rng.uuid(),
      customerId: customer.id,
      kind,
      grantedByContactId: rng.pick(superUsers).id,
      recordedBy: rng.pick(specialists).id,
      grantedAt: grantedAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
      revokedAt: revoked && revoked < expiresAt ? revoked.toISOString() : null,
    };
    store.grants.insert(grant);
    grants++;
  }
  const callCount = Math.min(60, Math.max(5, Math.round(caseCount / 200)));
  for (let i = 0; i < callCount; i++) {
    const { customer, superUsers } = rng.pick(customers);
    const contact = rng.chance(0.9) ? (superUsers[0] ?? null) : null;
    const from = contact?.phone ?? (customer.country === 'SE' ? `+4687${rng.digits(7)}` : `+3589${rng.digits(7)}`);
    const startedAt = now.getTime() - rng.int(5, 2 * 24 * 60) * MINUTE;
    const answered = rng.chance(0.8);
    const team = teamOfIndustry(customer.industry);
    const option = rng.chance(0.9) ? team : team === 1 ? 2 : 1;
    const call: Call = {
      id: rng.uuid(),
      callId: `demo-${String(i + 1).padStart(4, '0')}`,
      direction: 'in',
      fromRaw: from,
      from,
      to: customer.country === 'SE' ? '+46812345000' : '+358912345000',
      option,
      team: option,
      contactId: contact?.id ?? null,
      customerId: contact ? customer.id : null,
      state: 'ended',
      missed: !answered,
      done: answered || rng.chance(0.5),
      user: answered ? rng.pick(specialists).name : null,
      startedAt: new Date(startedAt).toISOString(),
      answeredAt: answered ? new Date(startedAt + rng.int(10, 300) * 1000).toISOString() : null,
      endedAt: new Date(startedAt + rng.int(320, 1200) * 1000).toISOString(),
      doneBy: null,
      doneAt: null,
    };
    store.calls.insert(call);
  }
  return { grants, calls: callCount };
}

/** Fills an empty store. Everything is written in one transaction. */
export async function seedDemoData(store: Store, options: SeedOptions): Promise<SeedSummary> {
  if (!store.isEmpty()) throw new Error('demo data is only written into an empty store');
  const rng = new Rng(options.seed ?? DEFAULT_DEMO_SEED);
  const now = options.now ?? new Date();
  // Demo accounts share one published password, so one hash serves them all.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return store.transaction(() => {
    const specialists = seedSpecialists(store, passwordHash, now);
    const working = specialists.length > 0 ? specialists : store.specialists.list();
    const customers = seedCustomers(store, rng, Math.max(2 * INDUSTRY_IDS.length, Math.round(options.cases / 20)), now);
    const { cases, events } = seedCases(store, rng, options.cases, customers, working, now);
    const { grants, calls } = seedGrantsAndCalls(store, rng, customers, working, options.cases, now);
    const lead = specialists.find((s) => s.role === 'lead');
    const author = lead ?? working[0];
    if (author) seedAnswers(store, author.id, now);
    return {
      specialists: specialists.length,
      customers: customers.length,
      contacts: customers.reduce((n, c) => n + c.superUsers.length + c.others.length, 0),
      cases,
      events,
      grants,
      calls,
      leadEmail: lead?.email ?? '',
      specialistEmails: specialists.filter((s) => s.role === 'specialist').map((s) => s.email),
      password: DEMO_PASSWORD,
    };
  });
}
