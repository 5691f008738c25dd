import { describe, expect, it } from 'vitest';
import { handlingDeadline, resolutionTarget } from '../../shared/sla';
import {
  checkReportDays,
  isoWeekKey,
  nearestRank,
  officeBounds,
  parseDay,
  periodIndex,
  reportCsvRows,
  reportDays,
  reportPeriods,
  slaOutcome,
  startOfDay,
} from '../../shared/reports';

const MINUTE = 60_000;

describe('report periods', () => {
  it('names ISO weeks across a year end by their Thursday', () => {
    expect(isoWeekKey(parseDay('2025-12-28'))).toBe('2025-W52');
    expect(isoWeekKey(parseDay('2025-12-29'))).toBe('2026-W01');
    expect(isoWeekKey(parseDay('2026-01-04'))).toBe('2026-W01');
    expect(isoWeekKey(parseDay('2026-01-05'))).toBe('2026-W02');
    // 2020 had 53 weeks; 1 January 2021 (a Friday) is still in its last.
    expect(isoWeekKey(parseDay('2021-01-01'))).toBe('2020-W53');
  });

  it('cuts weeks and months at the report\'s first and last day', () => {
    expect(reportPeriods(parseDay('2025-12-31'), parseDay('2026-01-06'), 'week')).toEqual([
      { key: '2026-W01', from: '2025-12-31', to: '2026-01-04' },
      { key: '2026-W02', from: '2026-01-05', to: '2026-01-06' },
    ]);
    expect(reportPeriods(parseDay('2025-11-15'), parseDay('2026-01-02'), 'month').map((p) => [p.key, p.from, p.to])).toEqual([
      ['2025-11', '2025-11-15', '2025-11-30'],
      ['2025-12', '2025-12-01', '2025-12-31'],
      ['2026-01', '2026-01-01', '2026-01-02'],
    ]);
  });

  it('places an instant in the period of the office\'s own calendar day', () => {
    const periods = reportPeriods(parseDay('2025-12-01'), parseDay('2026-01-31'), 'month');
    // 31 December 22:30 UTC: 23:30 in Stockholm, already 1 January 00:30 in Helsinki.
    const at = '2025-12-31T22:30:00.000Z';
    expect(periodIndex(officeBounds('SE', periods), at)).toBe(0);
    expect(periodIndex(officeBounds('FI', periods), at)).toBe(1);
    expect(startOfDay('SE', parseDay('2026-01-01')).toISOString()).toBe('2025-12-31T23:00:00.000Z');
    // Summer time: midnight in Helsinki is 21:00 UTC.
    expect(startOfDay('FI', parseDay('2026-07-01')).toISOString()).toBe('2026-06-30T21:00:00.000Z');
    expect(periodIndex(officeBounds('SE', periods), '2025-11-30T22:59:59.999Z')).toBe(-1);
    expect(periodIndex(officeBounds('SE', periods), '2026-01-31T23:00:00.000Z')).toBe(-1);
  });

  it('defaults to this month and the 11 before, and refuses reversed or too long periods', () => {
    expect(reportDays({}, parseDay('2026-01-15'))).toEqual({ from: parseDay('2025-02-01'), to: parseDay('2026-01-15') });
    expect(reportDays({}, parseDay('2026-12-07'))).toEqual({ from: parseDay('2026-01-01'), to: parseDay('2026-12-07') });
    expect(checkReportDays({ from: parseDay('2026-01-02'), to: parseDay('2026-01-01') })?.field).toBe('to');
    expect(checkReportDays({ from: parseDay('2026-02-30'), to: parseDay('2026-03-01') })?.field).toBe('from');
    expect(checkReportDays({ from: parseDay('2022-01-01'), to: parseDay('2026-01-01') })?.field).toBe('from');
    expect(checkReportDays({ from: parseDay('2026-01-01'), to: parseDay('2026-01-01') })).toBeNull();
  });
});

describe('the SLA kept', () => {
  const registeredAt = new Date('2026-03-02T08:00:00.000Z');
  const due = handlingDeadline(registeredAt, 2, 'SE');
  const resolveBy = resolutionTarget(registeredAt, 2, 'SE').deadline;
  const bug = { office: 'SE' as const, serviceLevel: 2 as const, registeredAt: registeredAt.toISOString() };
  const at = (t: Date, minutes = 0) => new Date(t.getTime() + minutes * MINUTE).toISOString();

  it('keeps a deadline up to its very minute', () => {
    const now = new Date('2026-06-01T00:00:00.000Z');
    expect(slaOutcome({ ...bug, handlingStartedAt: at(due), resolvedAt: at(resolveBy) }, now)).toEqual({ handling: 'kept', resolution: 'kept', sla: 'kept' });
    expect(slaOutcome({ ...bug, handlingStartedAt: at(due, 1), resolvedAt: at(resolveBy) }, now)).toEqual({ handling: 'missed', resolution: 'kept', sla: 'missed' });
    expect(slaOutcome({ ...bug, handlingStartedAt: at(due), resolvedAt: at(resolveBy, 1) }, now)).toEqual({ handling: 'kept', resolution: 'missed', sla: 'missed' });
  });

  it('counts an open case as missed once it is late, and open until then', () => {
    expect(slaOutcome({ ...bug, handlingStartedAt: null, resolvedAt: null }, due)).toEqual({ handling: 'open', resolution: 'open', sla: 'open' });
    expect(slaOutcome({ ...bug, handlingStartedAt: null, resolvedAt: null }, new Date(due.getTime() + 1))).toMatchObject({ handling: 'missed', sla: 'missed' });
    expect(slaOutcome({ ...bug, handlingStartedAt: at(due), resolvedAt: null }, new Date(resolveBy.getTime() + MINUTE))).toEqual({ handling: 'kept', resolution: 'missed', sla: 'missed' });
  });

  it('takes a resolution without a recorded start as the handling start', () => {
    expect(slaOutcome({ ...bug, handlingStartedAt: null, resolvedAt: at(due, -10) }, new Date())).toEqual({ handling: 'kept', resolution: 'kept', sla: 'kept' });
  });
});

describe('report numbers', () => {
  it('takes percentiles by nearest rank', () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([120, 30], 50)).toBe(30);
    expect(nearestRank([120, 30], 90)).toBe(120);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });

  it('writes an undecided share and a missing median as empty cells', () => {
    const head = { from: '2026-01-01', to: '2026-01-31', by: 'month' as const, office: null, team: null, generatedAt: '', periods: [] };
    const sla = reportCsvRows({
      name: 'sla',
      ...head,
      rows: [{ period: '2026-01', team: 1, office: 'SE', level: 3, category: 'bug', cases: 1, kept: 0, missed: 0, open: 1, handlingKept: 0, handlingMissed: 0, resolutionKept: 0, resolutionMissed: 0 }],
    });
    expect(sla[0]?.[9]).toBe('');
    const calls = reportCsvRows({ name: 'calls', ...head, rows: [{ period: '2026-01', team: null, missed: 1, calledBack: 0, markedDone: 0, open: 1, medianMinutes: null, p90Minutes: null }] });
    expect(calls[0]).toEqual(['2026-01', '', 1, 0, 0, 1, '', '']);
  });
});
