import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/api';
import type { Call, Case, CaseEvent } from '../../../shared/contract';
import { ReportSchema, type CallsReport, type ChannelReport, type SlaReport, type BacklogReport } from '../../../shared/reports';
import { handlingDeadline, resolutionTarget } from '../../../shared/sla';
import { startTestServer, type TestServer } from '../../support/server';
import { api, type Api } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';

/** The server's clock: Thursday 15 January 2026, 12:00 UTC (13:00 in Stockholm, 14:00 in Helsinki). */
const NOW = new Date('2026-01-15T12:00:00.000Z');
const MINUTE = 60_000;
const iso = (t: Date | number): string => new Date(t).toISOString();

describe('reports', () => {
  let server: TestServer;
  let lead: Api;
  let specialist: Api;
  let leadId: string;
  let number = 500_000;
  const ids: Record<string, string> = {};
  const callIds: Record<string, string> = {};

  function addCase(key: string, fields: Partial<Case> & Pick<Case, 'customerId' | 'registeredAt'>): Case {
    const c: Case = {
      id: randomUUID(),
      number: number++,
      contactId: null,
      product: 'go',
      module: 'payroll',
      category: 'support',
      serviceLevel: null,
      status: 'line1',
      team: 1,
      assigneeId: null,
      title: `Rapportfall ${key}`,
      description: '',
      channel: 'phone',
      billableMinutes: 0,
      billingInformed: false,
      handlingStartedAt: null,
      resolvedAt: null,
      updatedAt: fields.registeredAt,
      version: 1,
      fieldVersions: {},
      ...fields,
    };
    server.store.cases.insert(c);
    ids[key] = c.id;
    return c;
  }

  function addMissedCall(key: string, fields: Partial<Call> & Pick<Call, 'startedAt'>): Call {
    const call: Call = {
      id: randomUUID(),
      callId: `report-${key}-${randomUUID()}`,
      direction: 'in',
      fromRaw: '+46701112233',
      from: '+46701112233',
      to: '+46812345000',
      option: 1,
      team: 1,
      contactId: null,
      customerId: null,
      state: 'ended',
      missed: true,
      done: false,
      user: null,
      answeredAt: null,
      endedAt: iso(Date.parse(fields.startedAt) + MINUTE),
      doneBy: null,
      doneAt: null,
      ...fields,
    };
    server.store.calls.insert(call);
    // The insert takes a call as the switch reports it; who marked it done is an update.
    server.store.calls.update(call);
    callIds[key] = call.id;
    return call;
  }

  beforeAll(async () => {
    // The real clock while logging in (codes of the second factor are of the real time), then NOW.
    let clock: Date | null = null;
    server = await startTestServer({ cases: 0, server: { now: () => clock ?? new Date() } });
    const enrolled = await leadWithTwoFactor(server);
    lead = api(server, enrolled.token);
    leadId = enrolled.id;
    specialist = api(server, await server.login(server.specialistEmails[0]));
    clock = NOW;
    const customer = (country: 'SE' | 'FI'): string =>
      server.store.db.prepare('SELECT id FROM customers WHERE country = ? ORDER BY id LIMIT 1').pluck().get(country) as string;
    const se = customer('SE');
    const fi = customer('FI');

    // Bugs with a service level (the SLA report). A and B: level 3, Monday 1 December 09:00 in Stockholm.
    const mon = new Date('2025-12-01T08:00:00.000Z');
    const handlingDue3 = handlingDeadline(mon, 3, 'SE');
    const resolveBy3 = resolutionTarget(mon, 3, 'SE').deadline;
    const bug = { category: 'bug' as const, status: 'closed' as const, customerId: se };
    // A: handling started and resolved at the very minutes of their deadlines: kept.
    addCase('A', { ...bug, serviceLevel: 3, registeredAt: iso(mon), handlingStartedAt: iso(handlingDue3), resolvedAt: iso(resolveBy3), channel: 'phone' });
    // B: handling started a minute late, resolved in time: missed.
    addCase('B', { ...bug, serviceLevel: 3, registeredAt: iso(mon), handlingStartedAt: iso(handlingDue3.getTime() + MINUTE), resolvedAt: iso(handlingDue3.getTime() + 2 * MINUTE), channel: 'email' });
    // C: level 3, 30 December (ISO week 2026-W01), handled in time, open and not yet due: open.
    addCase('C', { ...bug, status: 'in_progress', serviceLevel: 3, registeredAt: '2025-12-30T08:00:00.000Z', handlingStartedAt: '2025-12-30T09:00:00.000Z', channel: 'portal' });
    // D: level 1 on Monday 12 January, handled in time, still open past the day's closing: missed.
    addCase('D', { ...bug, status: 'in_progress', serviceLevel: 1, registeredAt: '2026-01-12T08:00:00.000Z', handlingStartedAt: '2026-01-12T08:30:00.000Z', channel: 'phone' });
    // E: level 2 yesterday morning, never handled: its 4 business hours are past: missed.
    addCase('E', { ...bug, status: 'new', serviceLevel: 2, registeredAt: '2026-01-14T08:00:00.000Z', channel: 'phone' });
    // F: a Finnish customer's level-4 bug of Team 2 on 31 December, resolved on 10 January: kept.
    addCase('F', { ...bug, customerId: fi, team: 2, serviceLevel: 4, registeredAt: '2025-12-31T10:00:00.000Z', handlingStartedAt: '2025-12-31T11:00:00.000Z', resolvedAt: '2026-01-10T10:00:00.000Z', channel: 'email' });
    // Not in the SLA report: a bug without a level, support questions.
    addCase('H', { customerId: se, category: 'bug', status: 'new', registeredAt: '2026-01-02T10:00:00.000Z', channel: 'email' });
    addCase('G', { customerId: se, registeredAt: '2026-01-15T06:00:00.000Z', channel: 'portal' });
    // I: 31 December 23:30 UTC is 1 January 00:30 in Stockholm: January, week 2026-W01.
    addCase('I', { customerId: se, status: 'closed', resolvedAt: '2026-01-01T10:00:00.000Z', registeredAt: '2025-12-31T23:30:00.000Z', channel: 'email' });
    // J: before the report's period; open for 46 days.
    addCase('J', { customerId: se, registeredAt: '2025-11-30T12:00:00.000Z', channel: 'phone' });
    // K: registered exactly three days ago: the backlog's 3–7 days.
    addCase('K', { customerId: se, registeredAt: iso(NOW.getTime() - 3 * 24 * 60 * MINUTE), channel: 'portal' });

    // Missed calls in week 2026-W02 (5–11 January).
    addMissedCall('c1', { startedAt: '2026-01-05T09:00:00.000Z', done: true, doneBy: null, doneAt: '2026-01-05T09:40:00.000Z' });
    const callback: CaseEvent = {
      id: randomUUID(),
      caseId: ids.D as string,
      at: '2026-01-05T09:31:00.000Z',
      receivedAt: '2026-01-05T09:31:00.000Z',
      actorId: leadId,
      kind: 'call',
      text: null,
      data: { callId: callIds.c1 as string, direction: 'out', callback: true, number: '+46701112233', contactId: null, name: null },
    };
    server.store.events.insert(callback);
    addMissedCall('c2', { startedAt: '2026-01-06T09:00:00.000Z', done: true, doneAt: '2026-01-06T11:01:00.000Z' });
    addMissedCall('c3', { startedAt: '2026-01-07T09:00:00.000Z' });
    // The Finnish number, no known customer, Team 2: done ten minutes after it stopped ringing.
    addMissedCall('c4', { startedAt: '2026-01-08T09:00:00.000Z', endedAt: '2026-01-08T09:02:00.000Z', to: '+358912345000', team: 2, option: 2, done: true, doneAt: '2026-01-08T09:12:00.000Z' });
    // Answered: not missed.
    addMissedCall('c5', { startedAt: '2026-01-08T10:00:00.000Z', missed: false, state: 'ended', answeredAt: '2026-01-08T10:00:10.000Z', done: true });
  }, 60_000);
  afterAll(() => server.close());

  const get = async <T>(name: string, query: string, as: Api = lead): Promise<T> => {
    const reply = await as.get<T>(`${ROUTES.report(name)}?${query}`);
    expect(reply.status, reply.text).toBe(200);
    return ReportSchema.parse(reply.body) as T;
  };

  it('counts the SLA kept and missed by week, the boundary minute kept, a late open case missed, weeks across the year end', async () => {
    const report = await get<SlaReport>('sla', 'from=2025-12-01&to=2026-01-15&by=week');
    expect(report.periods.map((p) => p.key)).toEqual(['2025-W49', '2025-W50', '2025-W51', '2025-W52', '2026-W01', '2026-W02', '2026-W03']);
    expect(report.periods[4]).toEqual({ key: '2026-W01', from: '2025-12-29', to: '2026-01-04' });
    expect(report.periods[6]).toEqual({ key: '2026-W03', from: '2026-01-12', to: '2026-01-15' });
    const row = (period: string, level: number) => report.rows.find((r) => r.period === period && r.level === level);
    expect(report.rows).toHaveLength(5);
    expect(row('2025-W49', 3)).toMatchObject({ team: 1, office: 'SE', category: 'bug', cases: 2, kept: 1, missed: 1, open: 0, handlingKept: 1, handlingMissed: 1, resolutionKept: 2, resolutionMissed: 0 });
    expect(row('2026-W01', 3)).toMatchObject({ cases: 1, kept: 0, missed: 0, open: 1, handlingKept: 1 });
    expect(row('2026-W01', 4)).toMatchObject({ team: 2, office: 'FI', cases: 1, kept: 1, missed: 0 });
    expect(row('2026-W03', 1)).toMatchObject({ cases: 1, missed: 1, handlingKept: 1, resolutionMissed: 1 });
    // Never handled and past its handling deadline: missed, though its resolution is still open.
    expect(row('2026-W03', 2)).toMatchObject({ cases: 1, missed: 1, handlingMissed: 1, resolutionKept: 0, resolutionMissed: 0 });
  });

  it('groups by month and filters by office and team', async () => {
    const months = await get<SlaReport>('sla', 'from=2025-12-01&to=2026-01-15');
    expect(months.by).toBe('month');
    const total = (period: string) => months.rows.filter((r) => r.period === period).reduce((n, r) => n + r.cases, 0);
    expect([total('2025-12'), total('2026-01')]).toEqual([4, 2]);
    const fi = await get<SlaReport>('sla', 'from=2025-12-01&to=2026-01-15&office=FI');
    expect(fi.rows.map((r) => [r.period, r.office, r.level, r.kept])).toEqual([['2025-12', 'FI', 4, 1]]);
    const team2 = await get<SlaReport>('sla', 'from=2025-12-01&to=2026-01-15&team=2');
    expect(team2.rows.map((r) => r.team)).toEqual([2]);
  });

  it('counts incoming cases by channel in each office\'s own months', async () => {
    const report = await get<ChannelReport>('channels', 'from=2025-12-01&to=2026-01-15');
    const count = (period: string, office: string, channel: string) =>
      report.rows.filter((r) => r.period === period && r.office === office && r.channel === channel).reduce((n, r) => n + r.cases, 0);
    // J (30 November) is before the period; I (31 December 23:30 UTC) is January in Stockholm.
    expect([count('2025-12', 'SE', 'phone'), count('2025-12', 'SE', 'email'), count('2025-12', 'SE', 'portal')]).toEqual([1, 1, 1]);
    expect(count('2025-12', 'FI', 'email')).toBe(1);
    expect([count('2026-01', 'SE', 'phone'), count('2026-01', 'SE', 'email'), count('2026-01', 'SE', 'portal')]).toEqual([2, 2, 2]);
    expect(report.rows.reduce((n, r) => n + r.cases, 0)).toBe(10);
    const weeks = await get<ChannelReport>('channels', 'from=2025-12-01&to=2026-01-15&by=week&office=SE');
    expect(weeks.rows.filter((r) => r.period === '2026-W01').map((r) => [r.channel, r.cases])).toEqual([['email', 2], ['portal', 1]]);
  });

  it('sorts the open cases by age now, the boundary day in the older bucket', async () => {
    const report = await get<BacklogReport>('backlog', '');
    const ages = (category: string) => Object.fromEntries(report.rows.filter((r) => r.category === category && r.office === 'SE').map((r) => [r.age, r.cases]));
    // Bugs: C 16 days, D 3.2 days, E 1.2 days, H 13 days.
    expect(ages('bug')).toEqual({ d1_3: 1, d3_7: 1, d7_30: 2 });
    // Support: G 6 hours, K exactly 3 days, J 46 days.
    expect(ages('support')).toEqual({ lt1: 1, d3_7: 1, gt30: 1 });
    expect(report.rows.some((r) => r.office === 'FI')).toBe(false);
  });

  it('counts missed calls, called back or marked done, and the minutes to call back per team', async () => {
    const report = await get<CallsReport>('calls', 'from=2025-12-01&to=2026-01-15&by=week');
    expect(report.rows).toEqual([
      { period: '2026-W02', team: 1, missed: 3, calledBack: 1, markedDone: 1, open: 1, medianMinutes: 30, p90Minutes: 120 },
      { period: '2026-W02', team: 2, missed: 1, calledBack: 0, markedDone: 1, open: 0, medianMinutes: 10, p90Minutes: 10 },
    ]);
    const fi = await get<CallsReport>('calls', 'from=2025-12-01&to=2026-01-15&office=FI');
    expect(fi.rows).toEqual([{ period: '2026-01', team: 2, missed: 1, calledBack: 0, markedDone: 1, open: 0, medianMinutes: 10, p90Minutes: 10 }]);
  });

  it('answers CSV with a header row of neutral ids', async () => {
    const reply = await lead.get(`${ROUTES.report('sla')}?from=2025-12-01&to=2026-01-15&by=week&format=csv`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toBe('attachment; filename="report-sla-2025-12-01-2026-01-15.csv"');
    const lines = reply.text.trim().split('\n');
    expect(lines[0]).toBe('period,team,office,level,category,cases,kept,missed,open,share_kept,handling_kept,handling_missed,resolution_kept,resolution_missed');
    expect(lines[1]).toBe('2025-W49,1,SE,3,bug,2,1,1,0,0.5,1,1,2,0');
    expect(lines).toHaveLength(6);
    const calls = await lead.get(`${ROUTES.report('calls')}?from=2025-12-01&to=2026-01-15&format=csv`);
    expect(calls.text).toBe('period,team,missed,called_back,marked_done,open,median_minutes,p90_minutes\n2026-01,1,3,1,1,1,30,120\n2026-01,2,1,0,1,0,10,10\n');
  });

  it('refuses bad input naming the field', async () => {
    const bad = async (path: string, field: string) => {
      const reply = await lead.get<{ error: { field: string } }>(path);
      expect(reply.status, path).toBe(400);
      expect(reply.body.error.field).toBe(field);
    };
    await bad(`${ROUTES.report('nothing')}`, 'name');
    await bad(`${ROUTES.report('sla')}?by=day`, 'by');
    await bad(`${ROUTES.report('sla')}?from=2026-01-15&to=2026-01-01`, 'to');
    await bad(`${ROUTES.report('sla')}?from=2020-01-01&to=2026-01-01`, 'from');
    await bad(`${ROUTES.report('sla')}?from=2026-02-30`, 'from');
    await bad(`${ROUTES.report('sla')}?team=3`, 'team');
  });

  it('is for leads only (403 for a specialist) and audits every report read', async () => {
    for (const name of ['sla', 'backlog', 'channels', 'calls']) {
      expect((await specialist.get(ROUTES.report(name))).status).toBe(403);
    }
    const before = server.store.audit.query({ specialistId: leadId, action: 'report_view', limit: 1000 }).length;
    await lead.get(`${ROUTES.report('backlog')}?office=SE&format=csv`);
    const rows = server.store.audit.query({ specialistId: leadId, action: 'report_view', limit: 1000 });
    expect(rows).toHaveLength(before + 1);
    expect(rows.find((r) => r.detail && (r.detail as { format?: string }).format === 'csv')).toMatchObject({
      route: '/api/reports/:name',
      detail: { name: 'backlog', office: 'SE', team: null, format: 'csv', by: 'month' },
    });
  });
});
