/**
 * The customer centre's questions and answers against a real server: only public, live articles
 * in the customer's own language; found by folded, inflected and half-typed words (the desk's
 * readings); one module; the newest first without a query; an article written or deleted through
 * the desk's feed is found or gone at the next search; one article 404 for an internal, deleted,
 * other-language or unknown id; reading audited, searching not; bad input refused by field; a
 * specialist's token opens neither route and a customer's token no specialist route.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/api';
import { CENTRE_TOKEN_PREFIX } from '../../../shared/centre';
import { CentreArticleResponseSchema, CentreArticlesResponseSchema } from '../../../shared/centreQa';
import type { Contact, Customer } from '../../../shared/contract';
import type { SaveArticleArgs } from '../../../shared/templates';
import { sha256 } from '../../../server/auth/passwords';
import { CENTRE_ARTICLE } from '../../../server/routes/centre-qa';
import { startTestServer, type TestServer } from '../../support/server';
import { request } from '../../support/http';

let server: TestServer;
let lead: string;
let specialist: string;
let mutationId = 0;
const clientId = randomUUID();

/** A SuperUser of a new company of this language, signed in to the centre: the bearer token. */
function customerSession(language: 'sv' | 'fi'): { token: string; contact: Contact; customer: Customer } {
  const tag = randomUUID().slice(0, 8);
  const customer: Customer = {
    id: `qa-${tag}`,
    name: `Kund ${tag}`,
    orgNumber: `55${Math.floor(Math.random() * 1e8)}`,
    country: language === 'fi' ? 'FI' : 'SE',
    language,
    industry: 'construction',
    licensedModules: ['finance', 'payroll'],
    paymentStatus: 'ok',
    superUserQuota: 2,
  };
  const contact: Contact = {
    id: `qa-contact-${tag}`,
    customerId: customer.id,
    name: `Sanna ${tag}`,
    email: `qa-${tag}@kund.example`,
    phone: null,
    superUser: true,
    superUserSince: '2025-01-01T00:00:00.000Z',
    trainedModules: ['finance'],
    anonymisedAt: null,
  };
  const token = CENTRE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const at = new Date().toISOString();
  server.store.transaction(() => {
    server.store.customers.insert(customer);
    server.store.contacts.insert(contact);
    server.store.centre.ensure(contact.id, contact.email ?? '', null, at);
    server.store.centre.createSession({ tokenHash: sha256(token), id: randomUUID(), contactId: contact.id, createdAt: at, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), address: null, userAgent: null });
  });
  return { token, contact, customer };
}

/** Writes an article as the desk does: the lead's `saveArticle` through the push. */
async function saveArticle(args: Omit<SaveArticleArgs, 'id'> & { id?: string }): Promise<string> {
  const id = args.id ?? `qa-article-${randomUUID()}`;
  mutationId += 1;
  const answer = await request<{ results: Array<{ status: string }> }>(server.url, 'POST', ROUTES.push, {
    token: lead,
    json: { mutations: [{ clientId, mutationId, name: 'saveArticle', args: { ...args, id } }] },
  });
  expect(answer.body.results[0]?.status, answer.text).toBe('applied');
  return id;
}

async function deleteArticle(id: string): Promise<void> {
  mutationId += 1;
  const answer = await request<{ results: Array<{ status: string }> }>(server.url, 'POST', ROUTES.push, {
    token: lead,
    json: { mutations: [{ clientId, mutationId, name: 'deleteArticle', args: { id } }] },
  });
  expect(answer.body.results[0]?.status, answer.text).toBe('applied');
}

async function search(token: string, query: Record<string, string | number> = {}): Promise<string[]> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const answer = await request(server.url, 'GET', `${ROUTES.centreArticles}${qs ? `?${qs}` : ''}`, { token });
  expect(answer.status, answer.text).toBe(200);
  return CentreArticlesResponseSchema.parse(answer.body).articles.map((a) => a.id);
}

const auditRows = (contactId: string, action: string): number =>
  server.store.db.prepare<[string, string], number>('SELECT count(*) FROM audit_log WHERE contact_id = ? AND action = ?').pluck().get(contactId, action) ?? 0;

let sv: ReturnType<typeof customerSession>;
let fi: ReturnType<typeof customerSession>;
const ids = {} as Record<'svPayroll' | 'svFinance' | 'svInternal' | 'fiPayroll', string>;

beforeAll(async () => {
  server = await startTestServer({ cases: 0 });
  lead = await server.login();
  specialist = await server.login(server.specialistEmails[0]);
  sv = customerSession('sv');
  fi = customerSession('fi');
  ids.svPayroll = await saveArticle({ language: 'sv', module: 'payroll', public: true, title: 'Tidrapporterna försvinner efter löneberäkningen', body: 'När **löneberäkningen** är klar låses perioden.\n\n- Öppna perioden igen under Lön.\n- Spara tidrapporterna på nytt.' });
  ids.svFinance = await saveArticle({ language: 'sv', module: 'finance', public: true, title: 'Bokslutet blir fel efter importen', body: 'Kontrollera tidrapporter och verifikationer som importerats. Kör sedan bokslutet igen.' });
  ids.svInternal = await saveArticle({ language: 'sv', module: 'payroll', public: false, title: 'Intern: tidrapporterna i databasen', body: 'Bara för specialister: rätta tidrapporterna direkt i databasen.' });
  ids.fiPayroll = await saveArticle({ language: 'fi', module: 'payroll', public: true, title: 'Tuntikirjaukset katoavat palkanlaskennan jälkeen', body: 'Kun palkanlaskenta on valmis, kausi lukitaan. Avaa kausi uudelleen ja tallenna tuntikirjaukset.' });
});
afterAll(async () => {
  await server.close();
});

describe('searching the questions and answers', () => {
  it('finds the public articles of the customer\'s language by folded, inflected and half-typed words, never an internal one', async () => {
    // Without its diacritics, in the singular, half typed: the desk's readings.
    expect(await search(sv.token, { q: 'tidrapport' })).toEqual(expect.arrayContaining([ids.svPayroll, ids.svFinance]));
    expect(await search(sv.token, { q: 'loneberakning' })).toContain(ids.svPayroll);
    expect(await search(sv.token, { q: 'löneberäkningar' })).toContain(ids.svPayroll);
    expect(await search(sv.token, { q: 'tidrapporten försvin' })).toEqual([ids.svPayroll]);
    // The title weighs more than the body.
    expect((await search(sv.token, { q: 'tidrapporterna' }))[0]).toBe(ids.svPayroll);
    for (const q of ['tidrapporterna', 'databasen', 'intern']) expect(await search(sv.token, { q })).not.toContain(ids.svInternal);
    // Another language's article is not the Swedish customer's, and the other way round.
    expect(await search(sv.token, { q: 'tuntikirjaus' })).toEqual([]);
    expect(await search(fi.token, { q: 'tuntikirjauksia' })).toContain(ids.fiPayroll);
    for (const id of await search(fi.token, { q: 'tuntikirjauksia' })) expect(server.store.articles.get(id)).toMatchObject({ language: 'fi', public: true });
    expect(await search(fi.token, { q: 'palkanlaske' })).toEqual([ids.fiPayroll]);
    expect(await search(fi.token, { q: 'tidrapport' })).toEqual([]);
  });

  it('suggests for a typed title by any of its longer words, the best first; the search box wants every word', async () => {
    const title = 'Tidrapporterna visar fel summa efter löneberäkning';
    expect(await search(sv.token, { q: title })).toEqual([]);
    const suggested = await search(sv.token, { q: title, match: 'any', limit: 4 });
    expect(suggested[0]).toBe(ids.svPayroll);
    expect(suggested).not.toContain(ids.svInternal);
    expect(suggested.length).toBeLessThanOrEqual(4);
    // Short words alone ("och", "i") match nothing when a longer word is there to match.
    expect(await search(sv.token, { q: 'och i en valutakursfråga', match: 'any' })).toEqual([]);
    expect((await request(server.url, 'GET', `${ROUTES.centreArticles}?q=x&match=some`, { token: sv.token })).body).toMatchObject({ error: { field: 'match' } });
  });

  it('answers each hit with its title, module, a snippet around the match and the terms to mark', async () => {
    const answer = await request(server.url, 'GET', `${ROUTES.centreArticles}?q=spara`, { token: sv.token });
    const [hit] = CentreArticlesResponseSchema.parse(answer.body).articles;
    expect(hit).toMatchObject({ id: ids.svPayroll, module: 'payroll', title: 'Tidrapporterna försvinner efter löneberäkningen' });
    expect(hit?.snippet).toContain('Spara tidrapporterna');
    expect(hit?.snippet).not.toContain('**');
    expect(hit?.terms).toContain('spara');
    // Who wrote it is the desk's business.
    expect(answer.text).not.toContain('updatedBy');
  });

  it('keeps to one module when asked, and lists the newest first without a query', async () => {
    expect(await search(sv.token, { q: 'tidrapport', module: 'finance' })).toEqual([ids.svFinance]);
    const newest = await search(sv.token, { limit: 50 });
    expect(newest.indexOf(ids.svFinance)).toBeLessThan(newest.indexOf(ids.svPayroll));
    expect(newest).not.toContain(ids.svInternal);
    expect(newest).not.toContain(ids.fiPayroll);
    // The demo's internal article is not listed either; every listed one is public and Swedish.
    for (const id of newest) expect(server.store.articles.get(id)).toMatchObject({ public: true, language: 'sv', deletedAt: null });
    expect(await search(sv.token, { module: 'payroll', limit: 50 })).not.toContain(ids.svFinance);
    expect(await search(sv.token, { limit: 1 })).toHaveLength(1);
  });

  it('finds an article written through the desk at the next search, and no longer once it is deleted or made internal', async () => {
    const id = await saveArticle({ language: 'sv', module: 'finance', public: true, title: 'Valutakursen hämtas inte', body: 'Kontrollera valutakurserna under Inställningar.' });
    expect(await search(sv.token, { q: 'valutakurs' })).toEqual([id]);
    await saveArticle({ id, language: 'sv', module: 'finance', public: false, title: 'Valutakursen hämtas inte', body: 'Kontrollera valutakurserna under Inställningar.' });
    expect(await search(sv.token, { q: 'valutakurs' })).toEqual([]);
    await saveArticle({ id, language: 'sv', module: 'finance', public: true, title: 'Valutakursen hämtas inte', body: 'Kontrollera valutakurserna under Inställningar.' });
    expect(await search(sv.token, { q: 'valutakurs' })).toEqual([id]);
    await deleteArticle(id);
    expect(await search(sv.token, { q: 'valutakurs' })).toEqual([]);
    expect((await request(server.url, 'GET', ROUTES.centreArticle(id), { token: sv.token })).status).toBe(404);
  });

  it('refuses bad input by field and changes nothing', async () => {
    for (const [qs, field] of [['limit=0', 'limit'], ['limit=51', 'limit'], ['module=nonsense', 'module'], [`q=${'a'.repeat(201)}`, 'q']] as const) {
      const answer = await request(server.url, 'GET', `${ROUTES.centreArticles}?${qs}`, { token: sv.token });
      expect(answer.status, qs).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'invalid', field } });
    }
  });

  it('does not audit searches (no personal data; the customer\'s own typing)', async () => {
    await search(sv.token, { q: 'tidrapport' });
    const rows = server.store.db.prepare<[string], number>('SELECT count(*) FROM audit_log WHERE contact_id = ?').pluck().get(sv.contact.id);
    expect(rows).toBe(0);
  });
});

describe('one article', () => {
  it('shows a public article of the customer\'s language, audited; 404 for an internal, another language\'s, deleted or unknown one', async () => {
    const answer = await request(server.url, 'GET', ROUTES.centreArticle(ids.svPayroll), { token: sv.token });
    expect(answer.status).toBe(200);
    const { article } = CentreArticleResponseSchema.parse(answer.body);
    expect(article).toMatchObject({ id: ids.svPayroll, language: 'sv', module: 'payroll', title: 'Tidrapporterna försvinner efter löneberäkningen' });
    expect(article.body).toContain('**löneberäkningen**');
    expect(answer.text).not.toContain('updatedBy');
    expect(auditRows(sv.contact.id, 'centre_article_view')).toBe(1);
    const row = server.store.db.prepare<[string], { route: string; target_id: string; specialist_id: string | null }>("SELECT route, target_id, specialist_id FROM audit_log WHERE contact_id = ? AND action = 'centre_article_view'").get(sv.contact.id);
    expect(row).toEqual({ route: CENTRE_ARTICLE, target_id: ids.svPayroll, specialist_id: null });

    const deleted = await saveArticle({ language: 'sv', module: 'payroll', public: true, title: 'Snart borta', body: 'Tas bort.' });
    await deleteArticle(deleted);
    for (const id of [ids.svInternal, ids.fiPayroll, deleted, 'no-such-article', 'demo-article-sv-7']) {
      const refused = await request(server.url, 'GET', ROUTES.centreArticle(id), { token: sv.token });
      expect(refused.status, id).toBe(404);
      expect(refused.body).toMatchObject({ error: { code: 'not_found' } });
    }
    expect((await request(server.url, 'GET', ROUTES.centreArticle(ids.fiPayroll), { token: fi.token })).status).toBe(200);
    expect((await request(server.url, 'GET', ROUTES.centreArticle(ids.svPayroll), { token: fi.token })).status).toBe(404);
    expect(auditRows(sv.contact.id, 'centre_article_view')).toBe(1);
  });
});

describe('who may ask', () => {
  it('opens neither route with a specialist\'s or a lead\'s token or none, and no specialist route with a customer\'s', async () => {
    for (const token of [specialist, lead, undefined]) {
      expect((await request(server.url, 'GET', `${ROUTES.centreArticles}?q=tidrapport`, { token })).status).toBe(401);
      expect((await request(server.url, 'GET', ROUTES.centreArticle(ids.svPayroll), { token })).status).toBe(401);
    }
    expect((await request(server.url, 'GET', ROUTES.bootstrap, { token: sv.token })).status).toBe(401);
    expect((await request(server.url, 'GET', ROUTES.sessions, { token: sv.token })).status).toBe(401);
  });
});
