/**
 * The lead's reports over the store (shared/reports.ts has the rules and the contract). The backlog
 * is counted in SQL (a few dozen groups). Cases by channel and the SLA read the period's cases in
 * one ordered pass over a covering index (cases_report, migration 17) and count here: counting by
 * UTC hour in SQL still left half as many groups as cases, sorted in a temporary b-tree, and was
 * slower at 100,000 cases; the SLA needs each bug's deadlines from the office calendar
 * (shared/sla.ts) anyway. The customer's office comes from one map of customers per report. The
 * calls report computes medians here over the (few) missed calls. Periods are each office's own
 * weeks and months: a case falls in the period of its customer's office's calendar day.
 */
import type Database from 'better-sqlite3';
import { localDayOf } from '../../shared/calendar';
import type { CategoryId } from '../../shared/categories';
import {
  BACKLOG_AGE_FROM_DAYS,
  BACKLOG_AGES,
  callOffice,
  checkReportDays,
  dayText,
  nearestRank,
  officeBounds,
  periodIndex,
  reportDays,
  reportPeriods,
  slaOutcome,
  type BacklogReport,
  type CallsReport,
  type ChannelReport,
  type OfficePeriodBounds,
  type Report,
  type ReportName,
  type ReportQuery,
  type SlaReport,
  type SlaReportRow,
} from '../../shared/reports';
import type { ServiceLevel } from '../../shared/sla';
import { OFFICES, type Office, type TeamId } from '../../shared/teams';
import { HttpError } from '../http/errors';

type Head = Omit<SlaReport, 'name' | 'rows'>;

interface Frame {
  head: Head;
  bounds: Record<Office, OfficePeriodBounds>;
  /** The earliest start and the latest end over both offices (a superset of the report's instants). */
  start: string;
  end: string;
  offices: readonly Office[];
  team: TeamId | null;
  now: Date;
}

function frame(query: ReportQuery, now: Date): Frame {
  // "Today" as the Swedish office counts it; both offices' days differ by an hour at most.
  const days = reportDays(query, localDayOf('SE', now));
  const wrong = checkReportDays(days);
  if (wrong) throw new HttpError(400, 'invalid', wrong.message, wrong.field);
  const periods = reportPeriods(days.from, days.to, query.by);
  const offices = query.office ? [query.office] : OFFICES;
  const bounds = { SE: officeBounds('SE', periods), FI: officeBounds('FI', periods) };
  const starts = offices.map((o) => bounds[o].starts[0] ?? '');
  const ends = offices.map((o) => bounds[o].end);
  return {
    head: {
      from: dayText(days.from),
      to: dayText(days.to),
      by: query.by,
      office: query.office ?? null,
      team: query.team ?? null,
      generatedAt: now.toISOString(),
      periods,
    },
    bounds,
    start: starts.reduce((a, b) => (a < b ? a : b)),
    end: ends.reduce((a, b) => (a > b ? a : b)),
    offices,
    team: query.team ?? null,
    now,
  };
}

/** Each customer's office (country), read once per report: a few thousand rows. */
function officeOfCustomers(db: Database.Database): Map<string, Office> {
  const rows = db.prepare('SELECT id, country FROM customers').raw().all() as Array<[string, Office]>;
  return new Map(rows);
}

/** ` AND cu.country = ? AND c.team = ?` as the query asks, with its parameters. */
function filters(f: Frame, teamColumn = 'c.team'): { sql: string; params: Array<string | number> } {
  let sql = '';
  const params: Array<string | number> = [];
  if (f.offices.length === 1) {
    sql += ' AND cu.country = ?';
    params.push(f.offices[0] as Office);
  }
  if (f.team !== null) {
    sql += ` AND ${teamColumn} = ?`;
    params.push(f.team);
  }
  return { sql, params };
}

function slaReport(db: Database.Database, f: Frame): SlaReport {
  const offices = officeOfCustomers(db);
  const rows = db
    .prepare(
      `SELECT c.registered_at, c.handling_started_at, c.resolved_at, c.service_level, c.team, c.customer_id
         FROM cases c INDEXED BY cases_report
        WHERE c.registered_at >= ? AND c.registered_at < ? AND c.category = 'bug' AND c.service_level IS NOT NULL${f.team === null ? '' : ' AND c.team = ?'}`,
    )
    .raw()
    .all(f.start, f.end, ...(f.team === null ? [] : [f.team])) as Array<[string, string | null, string | null, ServiceLevel, TeamId, string]>;
  const groups = new Map<string, SlaReportRow>();
  for (const [registeredAt, handlingStartedAt, resolvedAt, level, team, customerId] of rows) {
    const office = offices.get(customerId);
    if (office === undefined || !f.offices.includes(office)) continue;
    const index = periodIndex(f.bounds[office], registeredAt);
    if (index < 0) continue;
    const period = f.head.periods[index]?.key ?? '';
    const outcome = slaOutcome({ office, serviceLevel: level, registeredAt, handlingStartedAt, resolvedAt }, f.now);
    const key = `${period}|${team}|${office}|${level}`;
    let row = groups.get(key);
    if (!row) {
      row = { period, team, office, level, category: 'bug', cases: 0, kept: 0, missed: 0, open: 0, handlingKept: 0, handlingMissed: 0, resolutionKept: 0, resolutionMissed: 0 };
      groups.set(key, row);
    }
    row.cases++;
    row[outcome.sla]++;
    if (outcome.handling === 'kept') row.handlingKept++;
    if (outcome.handling === 'missed') row.handlingMissed++;
    if (outcome.resolution === 'kept') row.resolutionKept++;
    if (outcome.resolution === 'missed') row.resolutionMissed++;
  }
  const order = new Map(f.head.periods.map((p, i) => [p.key, i]));
  const sorted = [...groups.values()].sort(
    (a, b) => (order.get(a.period) ?? 0) - (order.get(b.period) ?? 0) || a.team - b.team || a.office.localeCompare(b.office) || a.level - b.level,
  );
  return { name: 'sla', ...f.head, rows: sorted };
}

function channelReport(db: Database.Database, f: Frame): ChannelReport {
  const offices = officeOfCustomers(db);
  const rows = db
    .prepare(
      `SELECT c.registered_at, c.team, c.customer_id, c.channel FROM cases c INDEXED BY cases_report
        WHERE c.registered_at >= ? AND c.registered_at < ?${f.team === null ? '' : ' AND c.team = ?'}`,
    )
    .raw()
    .all(f.start, f.end, ...(f.team === null ? [] : [f.team])) as Array<[string, TeamId, string, 'portal' | 'email' | 'phone']>;
  const groups = new Map<string, { index: number; team: TeamId; office: Office; channel: 'portal' | 'email' | 'phone'; cases: number }>();
  for (const [registeredAt, team, customerId, channel] of rows) {
    const office = offices.get(customerId);
    if (office === undefined || !f.offices.includes(office)) continue;
    const index = periodIndex(f.bounds[office], registeredAt);
    if (index < 0) continue;
    const key = `${index}|${team}|${office}|${channel}`;
    const group = groups.get(key);
    if (group) group.cases++;
    else groups.set(key, { index, team, office, channel, cases: 1 });
  }
  return {
    name: 'channels',
    ...f.head,
    rows: [...groups.values()]
      .sort((a, b) => a.index - b.index || a.team - b.team || a.office.localeCompare(b.office) || a.channel.localeCompare(b.channel))
      .map((g) => ({ period: f.head.periods[g.index]?.key ?? '', team: g.team, office: g.office, channel: g.channel, cases: g.cases })),
  };
}

const DAY_MS = 86_400_000;

function backlogReport(db: Database.Database, f: Frame): BacklogReport {
  const where = filters(f);
  // Oldest bucket first in the CASE: a case registered before now − 30 days is gt30, and so on.
  const descending = [...BACKLOG_AGES].reverse();
  const cases = descending
    .slice(0, -1)
    .map((age) => `WHEN c.registered_at <= '${new Date(f.now.getTime() - BACKLOG_AGE_FROM_DAYS[age] * DAY_MS).toISOString()}' THEN '${age}'`)
    .join(' ');
  const rows = db
    .prepare(
      `SELECT c.team, cu.country, c.category, CASE ${cases} ELSE 'lt1' END AS age, count(*)
         FROM cases c INDEXED BY cases_open_report JOIN customers cu ON cu.id = c.customer_id
        WHERE c.status <> 'closed'${where.sql}
        GROUP BY c.team, cu.country, c.category, age`,
    )
    .raw()
    .all(...where.params) as Array<[TeamId, Office, CategoryId, (typeof BACKLOG_AGES)[number], number]>;
  const ageOrder = new Map(BACKLOG_AGES.map((a, i) => [a, i]));
  return {
    name: 'backlog',
    ...f.head,
    rows: rows
      .map(([team, office, category, age, count]) => ({ team, office, category, age, cases: count }))
      .sort((a, b) => a.team - b.team || a.office.localeCompare(b.office) || a.category.localeCompare(b.category) || (ageOrder.get(a.age) ?? 0) - (ageOrder.get(b.age) ?? 0)),
  };
}

function callsReport(db: Database.Database, f: Frame): CallsReport {
  // The office of a call is found per call (callOffice), so only the team is filtered in SQL.
  const officeFilter = f.offices.length === 1;
  const rows = db
    .prepare(
      `SELECT c.team, c.started_at, c.ended_at, c.done, c.done_at, cu.country, c.to_number,
              (SELECT min(e.at) FROM case_events e
                WHERE e.kind = 'call' AND json_extract(e.data, '$.callId') = c.id AND json_extract(e.data, '$.callback') = 1) AS called_back_at
         FROM calls c LEFT JOIN customers cu ON cu.id = c.customer_id
        WHERE c.direction = 'in' AND c.missed = 1 AND c.started_at >= ? AND c.started_at < ?${f.team === null ? '' : ' AND c.team = ?'}`,
    )
    .raw()
    .all(f.start, f.end, ...(f.team === null ? [] : [f.team])) as Array<
    [TeamId | null, string, string | null, 0 | 1, string | null, Office | null, string, string | null]
  >;
  interface Group {
    period: string;
    index: number;
    team: TeamId | null;
    missed: number;
    calledBack: number;
    markedDone: number;
    open: number;
    minutes: number[];
  }
  const groups = new Map<string, Group>();
  for (const [team, startedAt, endedAt, done, doneAt, country, dialled, calledBackAt] of rows) {
    const office = callOffice(country, dialled);
    // A call of an unknown customer belongs to the office whose number was dialled.
    if (officeFilter && office !== f.offices[0]) continue;
    const index = periodIndex(f.bounds[office], startedAt);
    if (index < 0) continue;
    const period = f.head.periods[index]?.key ?? '';
    const key = `${index}|${team ?? 0}`;
    let g = groups.get(key);
    if (!g) {
      g = { period, index, team, missed: 0, calledBack: 0, markedDone: 0, open: 0, minutes: [] };
      groups.set(key, g);
    }
    g.missed++;
    const answeredAt = [calledBackAt, done === 1 ? doneAt : null].filter((t): t is string => t !== null).sort()[0];
    if (calledBackAt !== null) g.calledBack++;
    else if (done === 1) g.markedDone++;
    else g.open++;
    if (answeredAt !== undefined) {
      const from = Date.parse(endedAt ?? startedAt);
      g.minutes.push(Math.max(0, Math.round((Date.parse(answeredAt) - from) / 60_000)));
    }
  }
  return {
    name: 'calls',
    ...f.head,
    rows: [...groups.values()]
      .sort((a, b) => a.index - b.index || (a.team ?? 0) - (b.team ?? 0))
      .map((g) => ({
        period: g.period,
        team: g.team,
        missed: g.missed,
        calledBack: g.calledBack,
        markedDone: g.markedDone,
        open: g.open,
        medianMinutes: nearestRank(g.minutes, 50),
        p90Minutes: nearestRank(g.minutes, 90),
      })),
  };
}

/** The report `name` over the query's period and filters, with open cases judged at `now`. */
export function buildReport(db: Database.Database, name: ReportName, query: ReportQuery, now: Date): Report {
  const f = frame(query, now);
  switch (name) {
    case 'sla':
      return slaReport(db, f);
    case 'backlog':
      return backlogReport(db, f);
    case 'channels':
      return channelReport(db, f);
    case 'calls':
      return callsReport(db, f);
  }
}
