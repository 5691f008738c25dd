import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootstrapPageSchema, ChangesPageSchema, ROUTES, type MutationResult } from '../../../shared/api';
import type { Article, Template } from '../../../shared/templates';
import { startTestServer, type TestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { api, type Api } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';

type Rejected = Extract<MutationResult, { status: 'rejected' }>;

async function pullAll(http: Api, after: number): Promise<{ templates: Template[]; articles: Article[] }> {
  const templates: Template[] = [];
  const articles: Article[] = [];
  let cursor = after;
  for (;;) {
    const reply = await http.get(`${ROUTES.changes}?after=${cursor}&limit=500`);
    expect(reply.status).toBe(200);
    const page = ChangesPageSchema.parse(reply.body);
    templates.push(...page.templates);
    articles.push(...page.articles);
    cursor = page.cursor;
    if (!page.hasMore) return { templates, articles };
  }
}

async function firstPage(http: Api): Promise<{ templates: Template[]; articles: Article[]; snapshotSeq: number }> {
  const reply = await http.get(`${ROUTES.bootstrap}?teams=1,2&limit=50`);
  expect(reply.status).toBe(200);
  return BootstrapPageSchema.parse(reply.body);
}

describe('answers: templates and articles through push and the feed', () => {
  let server: TestServer;
  let lead: Desk;
  let leadId: string;
  let specialist: Desk;
  let specialistId: string;
  let colleague: Desk;

  beforeAll(async () => {
    server = await startTestServer({ cases: 40 });
    const enrolled = await leadWithTwoFactor(server);
    lead = new Desk(api(server, enrolled.token));
    leadId = enrolled.id;
    const specialistApi = api(server, await server.login(server.specialistEmails[0]));
    specialist = new Desk(specialistApi);
    specialistId = (await specialistApi.get<{ specialist: { id: string } }>(ROUTES.me)).body.specialist.id;
    colleague = new Desk(api(server, await server.login(server.specialistEmails[1])));
    // Four logins (scrypt) and a two-factor enrolment on a machine others share.
  }, 180_000);
  afterAll(() => server.close());

  it('starts a desk with the demo templates of both teams in both languages, and the knowledge base', async () => {
    const page = await firstPage(specialist.http);
    expect(page.templates.some((t) => t.language === 'sv' && t.title.startsWith('Tack för ditt ärende'))).toBe(true);
    expect(page.templates.some((t) => t.language === 'fi' && t.title.startsWith('Kiitos yhteydenotostasi'))).toBe(true);
    expect(new Set(page.templates.map((t) => (t.scope.kind === 'team' ? t.scope.team : 0)))).toEqual(new Set([1, 2]));
    expect(page.articles.filter((a) => a.language === 'sv').length).toBeGreaterThanOrEqual(10);
    expect(page.articles.filter((a) => a.language === 'fi').length).toBeGreaterThanOrEqual(10);
  });

  it('lets a lead write a team template and refuses it to a specialist, naming the field', async () => {
    const id = randomUUID();
    const args = { id, language: 'sv', scope: { kind: 'team', team: 1 }, title: 'Välkommen', body: 'Hej {contact.firstName}!' };
    const refused = (await specialist.push(specialist.mutation('saveTemplate', args))).results[0] as Rejected;
    expect(refused.status).toBe('rejected');
    expect(refused.error).toMatchObject({ code: 'forbidden', field: 'args.scope' });
    expect(server.store.templates.get(id)).toBeNull();

    expect((await lead.push(lead.mutation('saveTemplate', args))).results[0]?.status).toBe('applied');
    expect(server.store.templates.get(id)).toMatchObject({ title: 'Välkommen', updatedBy: leadId, deletedAt: null });
    // A specialist may neither change nor delete it.
    const change = (await specialist.push(specialist.mutation('saveTemplate', { ...args, title: 'Mitt' }))).results[0] as Rejected;
    expect(change.error.code).toBe('forbidden');
    const del = (await specialist.push(specialist.mutation('deleteTemplate', { id }))).results[0] as Rejected;
    expect(del.error.code).toBe('forbidden');
    expect(server.store.templates.get(id)?.title).toBe('Välkommen');
  });

  it('keeps a personal template its owner\'s: others never get it in the feed and cannot change it', async () => {
    const { snapshotSeq } = await firstPage(colleague.http);
    const id = randomUUID();
    const mine = { id, language: 'fi', scope: { kind: 'personal', ownerId: specialistId }, title: 'Oma pohja', body: 'Hei {contact.firstName}' };
    // Nobody writes a personal template for someone else.
    const forOther = (await colleague.push(colleague.mutation('saveTemplate', { ...mine, id: randomUUID() }))).results[0] as Rejected;
    expect(forOther.error).toMatchObject({ code: 'forbidden', field: 'args.scope' });
    expect((await specialist.push(specialist.mutation('saveTemplate', mine))).results[0]?.status).toBe('applied');

    const ownFeed = await pullAll(specialist.http, snapshotSeq);
    expect(ownFeed.templates.map((t) => t.id)).toContain(id);
    const othersFeed = await pullAll(colleague.http, snapshotSeq);
    expect(othersFeed.templates.map((t) => t.id)).not.toContain(id);
    expect((await firstPage(colleague.http)).templates.map((t) => t.id)).not.toContain(id);
    expect((await firstPage(specialist.http)).templates.map((t) => t.id)).toContain(id);

    const taken = (await colleague.push(colleague.mutation('saveTemplate', { ...mine, scope: { kind: 'personal', ownerId: (await colleague.http.get<{ specialist: { id: string } }>(ROUTES.me)).body.specialist.id } }))).results[0] as Rejected;
    expect(taken.error.code).toBe('forbidden');

    // Deleted: a tombstone in the owner's feed, dropped from a new desk's start.
    expect((await specialist.push(specialist.mutation('deleteTemplate', { id }))).results[0]?.status).toBe('applied');
    const after = await pullAll(specialist.http, snapshotSeq);
    expect(after.templates.find((t) => t.id === id)?.deletedAt).not.toBeNull();
    expect((await firstPage(specialist.http)).templates.map((t) => t.id)).not.toContain(id);
  });

  it('lets specialists write articles, sends them to every desk and audits every change', async () => {
    const { snapshotSeq } = await firstPage(colleague.http);
    const id = randomUUID();
    const article = { id, language: 'sv', module: 'payroll', title: 'Semesterlön', body: 'Så räknas **semesterlön**.', public: true };
    expect((await specialist.push(specialist.mutation('saveArticle', article))).results[0]?.status).toBe('applied');
    expect((await specialist.push(specialist.mutation('saveArticle', { ...article, public: false }))).results[0]?.status).toBe('applied');
    const seen = await pullAll(colleague.http, snapshotSeq);
    expect(seen.articles.find((a) => a.id === id)).toMatchObject({ public: false, updatedBy: specialistId, deletedAt: null });
    expect((await colleague.push(colleague.mutation('deleteArticle', { id }))).results[0]?.status).toBe('applied');
    expect(server.store.articles.get(id)?.deletedAt).not.toBeNull();

    const audit = server.store.audit.query({ targetId: id, limit: 10 }).map((e) => [e.action, e.specialistId, e.route]);
    expect(audit).toEqual(
      expect.arrayContaining([
        ['article_create', specialistId, ROUTES.push],
        ['article_update', specialistId, ROUTES.push],
        ['article_delete', expect.any(String), ROUTES.push],
      ]),
    );
    expect(server.store.audit.query({ action: 'template_create', limit: 10 }).length).toBeGreaterThan(0);
  });

  it('refuses bad input naming the field and changes nothing', async () => {
    const reply = await specialist.http.post(ROUTES.push, {
      mutations: [specialist.mutation('saveArticle', { id: randomUUID(), language: 'sv', module: 'nope', title: '', body: 'x', public: true })],
    });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toMatch(/module|title/);
  });
});
