/**
 * The SLA escalation scheduler against a real server and SQLite file. Time is the server's clock
 * (`now`), moved by the test, and `runDue()` is what the timer would call: no sleeps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/api';
import type { Case } from '../../../shared/contract';
import { applyCalendarExceptions } from '../../../shared/calendar';
import { DEFAULT_ESCALATION_SETTINGS, escalationPoints, type DuePoint, type EscalationSettings } from '../../../shared/escalation';
import { startServer, type RunningServer } from '../../../server/http/app';
import { seedDemoData, type SeedSummary } from '../../../server/demo/seed';
import { dataFile, openStore } from '../../../server/store/store';
import { Desk } from '../../support/cases';
import { api, login, request, type Api } from '../../support/http';
import { DEMO_PASSWORD } from '../../../server/demo/seed';
import { connectLive, type LiveClient } from '../../support/live';
import { addLeadWithTwoFactor } from '../../support/two-factor';

let clock = new Date();
const now = (): Date => clock;
let dir: string;
let server: RunningServer;
let seed: SeedSummary;
let lead: Api;
let leadToken: string;
let leadId: string;
let specialist: Api;
let specialistToken: string;
let specialistId: string;
let customerSE: string;
const sockets: LiveClient[] = [];

async function start(): Promise<RunningServer> {
  return startServer({ dataDir: dir, host: '127.0.0.1', port: 0, logger: false, now, sessionHours: 10_000, sessionIdleMinutes: 1_000_000 });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desk-escalation-'));
  const store = openStore(dataFile(dir));
  seed = await seedDemoData(store, { cases: 0, seed: 7 });
  store.close();
  server = await start();
  const enrolled = await addLeadWithTwoFactor(server);
  leadToken = enrolled.token;
  lead = api(server, leadToken);
  leadId = enrolled.id;
  specialistToken = await login(server.url, seed.specialistEmails[0] as string, DEMO_PASSWORD);
  specialist = api(server, specialistToken);
  specialistId = (await specialist.get<{ specialist: { id: string } }>(ROUTES.me)).body.specialist.id;
  customerSE = server.store.db.prepare(`SELECT id FROM customers WHERE country = 'SE' LIMIT 1`).pluck().get() as string;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
  applyCalendarExceptions([], { replace: true });
  rmSync(dir, { recursive: true, force: true });
});

/** A level-`level` bug of Team 1, assigned to the specialist (who serves Team 1 in the demo data). */
async function bug(level: 1 | 2 | 3 | 4 | 5 = 1): Promise<Case> {
  const desk = new Desk(lead);
  const created = await desk.createCase({ customerId: customerSE, category: 'bug', serviceLevel: level, team: teamOfSpecialist() });
  const reply = await desk.push(desk.mutation('assign', { caseId: created.id, assigneeId: specialistId }, created.version));
  expect(reply.results[0]?.status).toBe('applied');
  return server.store.cases.get(created.id) as Case;
}

function teamOfSpecialist(): 1 | 2 {
  return (server.store.specialists.get(specialistId)?.teams[0] ?? 1) as 1 | 2;
}

function pointsOf(c: Case, settings: EscalationSettings = DEFAULT_ESCALATION_SETTINGS): DuePoint[] {
  return escalationPoints(
    {
      office: 'SE',
      category: c.category,
      serviceLevel: c.serviceLevel,
      status: c.status,
      registeredAt: Date.parse(c.registeredAt),
      handlingStartedAt: c.handlingStartedAt === null ? null : Date.parse(c.handlingStartedAt),
      resolvedAt: c.resolvedAt === null ? null : Date.parse(c.resolvedAt),
    },
    settings,
  );
}

const put = <T = unknown>(token: string, path: string, body: unknown) => request<T>(server.url, 'PUT', path, { token, json: body });
const del = <T = unknown>(token: string, path: string) => request<T>(server.url, 'DELETE', path, { token });

const escalationEvents = (caseId: string) => server.store.events.forCase(caseId).filter((e) => e.kind === 'escalation');

describe('due points', () => {
  it('notifies the assignee and the team leads at each point, once, and writes it on the case', async () => {
    const assigneeSocket = await connectLive(server.url, specialistToken);
    sockets.push(assigneeSocket);
    const c = await bug(1);
    const points = pointsOf(c);
    const first = points[0] as DuePoint;
    expect(first).toMatchObject({ deadline: 'handling', point: 'before:30' });

    clock = new Date(first.dueAt - 1);
    expect(server.escalation.runDue().filter((s) => s.caseId === c.id)).toEqual([]);

    clock = new Date(first.dueAt);
    const sent = server.escalation.runDue().filter((s) => s.caseId === c.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ deadline: 'handling', point: 'before:30', deadlineAt: new Date(first.deadlineAt).toISOString() });
    expect(sent[0]?.notified).toContain(specialistId);
    expect(sent[0]?.notified).toContain(leadId);
    await assigneeSocket.until(() => assigneeSocket.of('escalation').some((m) => m.caseId === c.id));
    expect(assigneeSocket.of('escalation').find((m) => m.caseId === c.id)).toMatchObject({ caseNumber: c.number, assignee: true, deadline: 'handling', point: 'before:30', level: 1 });

    const events = escalationEvents(c.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ deadline: 'handling', point: 'before:30', deadlineAt: new Date(first.deadlineAt).toISOString(), level: 1 });
    expect(String(events[0]?.data.notified).split(',')).toEqual(expect.arrayContaining([specialistId, leadId]));
    // The event reaches desks through the feed.
    const feed = await specialist.get<{ events: Array<{ id: string }> }>(`${ROUTES.changes}?after=0&limit=10000`);
    expect(feed.body.events.map((e) => e.id)).toContain(events[0]?.id);

    // Again at the same instant: nothing more.
    expect(server.escalation.runDue().filter((s) => s.caseId === c.id)).toEqual([]);
    expect(escalationEvents(c.id)).toHaveLength(1);
  });

  it('a case resolved before its point is not escalated', async () => {
    const c = await bug(1);
    const first = pointsOf(c)[0] as DuePoint;
    server.store.db.prepare(`UPDATE cases SET resolved_at = ?, status = 'closed', version = version + 1 WHERE id = ?`).run(clock.toISOString(), c.id);
    server.store.changes.record('cases', c.id);
    clock = new Date(Math.max(first.dueAt, clock.getTime()) + 60_000);
    expect(server.escalation.runDue().filter((s) => s.caseId === c.id)).toEqual([]);
    expect(escalationEvents(c.id)).toHaveLength(0);
  });
});

describe('moved deadlines', () => {
  it('a level changed is a new deadline, escalated at its own points', async () => {
    clock = new Date();
    const c = await bug(3);
    const desk = new Desk(lead);
    const reply = await desk.push(desk.mutation('editFields', { caseId: c.id, fields: { serviceLevel: 1 } }, c.version));
    expect(reply.results[0]?.status).toBe('applied');
    const moved = server.store.cases.get(c.id) as Case;
    const first = pointsOf(moved)[0] as DuePoint;
    clock = new Date(first.dueAt);
    const sent = server.escalation.runDue().filter((s) => s.caseId === c.id);
    expect(sent.map((s) => [s.deadline, s.point, s.deadlineAt])).toEqual([['handling', 'before:30', new Date(first.deadlineAt).toISOString()]]);
  });

  it('a closed day added moves the deadline: the old key is not sent, the new one is', async () => {
    clock = new Date();
    const c = await bug(2);
    const before = pointsOf(c)[0] as DuePoint;
    // Close the office for the deadline's day (made now, before it): the deadline moves.
    const deadlineDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date(before.deadlineAt));
    const added = await lead.post<{ exception: { id: string } }>(ROUTES.calendarExceptions, { office: 'SE', date: deadlineDay, kind: 'closed', note: 'personaldag' });
    expect(added.status).toBe(201);
    const after = pointsOf(server.store.cases.get(c.id) as Case)[0] as DuePoint;
    expect(after.deadlineAt).toBeGreaterThan(before.deadlineAt);
    clock = new Date(before.dueAt);
    expect(server.escalation.runDue().filter((s) => s.caseId === c.id)).toEqual([]);
    clock = new Date(after.dueAt);
    const sent = server.escalation.runDue().filter((s) => s.caseId === c.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.deadlineAt).toBe(new Date(after.deadlineAt).toISOString());
  });
});

describe('across a restart', () => {
  it('sends what came due while down once (the latest point per deadline), and never again', async () => {
    clock = new Date();
    const c = await bug(1);
    const handling = pointsOf(c).filter((p) => p.deadline === 'handling');
    const [beforePoint, breach] = handling as [DuePoint, DuePoint];
    expect(breach.point).toBe('breach');
    await server.close();
    // Down over both handling points.
    clock = new Date(breach.dueAt + 60_000);
    server = await start();
    const events = escalationEvents(c.id).filter((e) => e.data.deadline === 'handling');
    expect(events.map((e) => e.data.point)).toEqual(['breach']);
    expect(server.store.escalations.wasSent(c.id, 'handling', beforePoint.point, new Date(beforePoint.deadlineAt).toISOString())).toBe(true);
    await server.close();
    server = await start();
    expect(server.escalation.runDue().filter((s) => s.caseId === c.id && s.deadline === 'handling')).toEqual([]);
    expect(escalationEvents(c.id).filter((e) => e.data.deadline === 'handling')).toHaveLength(1);
    // Sessions live in the database: the same tokens work on the restarted server.
    lead = api(server, leadToken);
    specialist = api(server, specialistToken);
  });
});

describe('settings', () => {
  it('lead only, validated at the field, audited; a specialist gets 403', async () => {
    expect((await specialist.get(ROUTES.escalationSettings)).status).toBe(403);
    expect((await put(specialistToken, ROUTES.escalationSettings, DEFAULT_ESCALATION_SETTINGS)).status).toBe(403);
    const got = await lead.get<{ settings: EscalationSettings }>(ROUTES.escalationSettings);
    expect(got.status).toBe(200);
    expect(got.body.settings).toEqual(DEFAULT_ESCALATION_SETTINGS);
    const bad = await put<{ error: { field: string } }>(leadToken, ROUTES.escalationSettings, { ...DEFAULT_ESCALATION_SETTINGS, levels: { ...DEFAULT_ESCALATION_SETTINGS.levels, 2: { enabled: true, beforeMinutes: [0], atBreach: true } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('levels.2.beforeMinutes.0');
    const changed: EscalationSettings = { ...DEFAULT_ESCALATION_SETTINGS, notifyLeads: false, levels: { ...DEFAULT_ESCALATION_SETTINGS.levels, 1: { enabled: true, beforeMinutes: [60, 15], atBreach: false } } };
    const saved = await put<{ settings: EscalationSettings; updatedBy: string }>(leadToken, ROUTES.escalationSettings, changed);
    expect(saved.status).toBe(200);
    expect(saved.body.settings).toEqual(changed);
    expect(saved.body.updatedBy).toBe(leadId);
    const audit = server.store.db.prepare(`SELECT specialist_id FROM audit_log WHERE action = 'escalation_settings'`).pluck().all();
    expect(audit).toEqual([leadId]);
    // Under the new settings: leads are not notified, and no breach point.
    const c = await bug(1);
    const points = pointsOf(c, changed).filter((p) => p.deadline === 'handling');
    expect(points.map((p) => p.point)).toEqual(['before:60', 'before:15']);
    clock = new Date((points[0] as DuePoint).dueAt);
    const sent = server.escalation.runDue().filter((s) => s.caseId === c.id);
    expect(sent.map((s) => s.point)).toEqual(['before:60']);
    expect(sent[0]?.notified).toEqual([specialistId]);
    await put(leadToken, ROUTES.escalationSettings, DEFAULT_ESCALATION_SETTINGS);
  });
});

describe('calendar exceptions', () => {
  const today = (): string => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Helsinki' }).format(clock);
  const inDays = (days: number): string => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Helsinki' }).format(new Date(clock.getTime() + days * 86_400_000));

  it('a specialist may read them but not add or remove (403)', async () => {
    expect((await specialist.get(ROUTES.calendarExceptions)).status).toBe(200);
    expect((await specialist.post(ROUTES.calendarExceptions, { office: 'SE', date: inDays(30), kind: 'closed' })).status).toBe(403);
    const added = await lead.post<{ exception: { id: string } }>(ROUTES.calendarExceptions, { office: 'SE', date: inDays(30), kind: 'closed' });
    expect((await del(specialistToken, ROUTES.calendarException(added.body.exception.id))).status).toBe(403);
  });

  it('none for the past, a begun one stays, a future one may go; each audited and in the feed', async () => {
    clock = new Date();
    const seq = server.store.changes.latestSeq();
    const past = await lead.post<{ error: { code: string; field: string } }>(ROUTES.calendarExceptions, { office: 'FI', date: inDays(-1), kind: 'closed' });
    expect(past.status).toBe(409);
    expect(past.body.error).toMatchObject({ code: 'calendar_past', field: 'date' });
    const noTime = await lead.post<{ error: { field: string } }>(ROUTES.calendarExceptions, { office: 'FI', date: inDays(3), kind: 'closesEarly' });
    expect(noTime.status).toBe(400);
    expect(noTime.body.error.field).toBe('closesAt');

    const begun = await lead.post<{ exception: { id: string; createdAt: string } }>(ROUTES.calendarExceptions, { office: 'FI', date: today(), kind: 'closed', note: 'vesivahinko' });
    expect(begun.status).toBe(201);
    const refused = await del<{ error: { code: string } }>(leadToken, ROUTES.calendarException(begun.body.exception.id));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('calendar_begun');

    const future = await lead.post<{ exception: { id: string } }>(ROUTES.calendarExceptions, { office: 'FI', date: inDays(5), kind: 'closesEarly', closesAt: '12:00', note: 'henkilöstöpäivä' });
    expect(future.status).toBe(201);
    const removed = await del<{ exception: { deletedAt: string } }>(leadToken, ROUTES.calendarException(future.body.exception.id));
    expect(removed.status).toBe(200);
    expect(removed.body.exception.deletedAt).not.toBeNull();
    expect((await del(leadToken, ROUTES.calendarException(future.body.exception.id))).status).toBe(404);

    const actions = server.store.db.prepare(`SELECT action FROM audit_log WHERE action LIKE 'calendar_exception_%' AND target_id IN (?, ?)`).pluck().all(begun.body.exception.id, future.body.exception.id);
    expect(actions.sort()).toEqual(['calendar_exception_add', 'calendar_exception_add', 'calendar_exception_remove']);

    const feed = await specialist.get<{ calendarExceptions: Array<{ id: string; deletedAt: string | null }> }>(`${ROUTES.changes}?after=${seq}`);
    const byId = new Map(feed.body.calendarExceptions.map((e) => [e.id, e]));
    expect(byId.get(begun.body.exception.id)?.deletedAt).toBeNull();
    expect(byId.get(future.body.exception.id)?.deletedAt).not.toBeNull();
    const boot = await specialist.get<{ calendarExceptions: Array<{ id: string }> }>(`${ROUTES.bootstrap}?teams=1,2&limit=10`);
    expect(boot.body.calendarExceptions.map((e) => e.id)).toContain(begun.body.exception.id);
  });
});
