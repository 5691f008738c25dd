import { describe, expect, it } from 'vitest';
import type { SlaReport } from '../../shared/reports';
import type { DeskT } from '../../renderer/src/i18n/typing';
import { periodLabel, reportView } from '../../renderer/src/ui/lead/reports/views';

/** Keys with their values, so the test reads what the view asked for. */
const t = ((key: string, values?: Record<string, unknown>) => (values ? `${key}${JSON.stringify(values)}` : key)) as unknown as DeskT;

const head = { from: '2025-12-01', to: '2026-01-31', by: 'month' as const, office: null, team: null, generatedAt: '2026-02-01T00:00:00.000Z' };
const row = (period: string, fields: Partial<SlaReport['rows'][number]>): SlaReport['rows'][number] => ({
  period,
  team: 1,
  office: 'SE',
  level: 3,
  category: 'bug',
  cases: 0,
  kept: 0,
  missed: 0,
  open: 0,
  handlingKept: 0,
  handlingMissed: 0,
  resolutionKept: 0,
  resolutionMissed: 0,
  ...fields,
});

describe('report views', () => {
  it('names weeks and months in the language', () => {
    expect(periodLabel('2026-W01', 'sv', t)).toBe('reports:week{"week":1,"year":"2026"}');
    expect(periodLabel('2026-01', 'fi', t)).toBe('tammi 2026');
    expect(periodLabel('2026-01', 'sv', t)).toBe('jan. 2026');
  });

  it('gives the SLA per period, split by office, with the chart of the same totals', () => {
    const report: SlaReport = {
      name: 'sla',
      ...head,
      periods: [
        { key: '2025-12', from: '2025-12-01', to: '2025-12-31' },
        { key: '2026-01', from: '2026-01-01', to: '2026-01-31' },
      ],
      rows: [row('2025-12', { cases: 3, kept: 2, missed: 1 }), row('2025-12', { office: 'FI', team: 2, level: 4, cases: 1, open: 1 }), row('2026-01', { cases: 2, kept: 1, missed: 1 })],
    };
    const whole = reportView(report, 'none', 'sv', t);
    // Intl puts a no-break space before the per cent sign.
    expect(whole.rows.map((r) => r.slice(1).map((cell) => cell.replace(/\u00a0/g, ' ')))).toEqual([
      ['4', '2', '1', '1', '66,7 %'],
      ['2', '1', '1', '0', '50 %'],
    ]);
    expect(whole.chart.series.map((s) => [s.colour, s.data])).toEqual([
      ['--ok', [2, 1]],
      ['--danger', [1, 1]],
      ['--pending', [1, 0]],
    ]);
    const byOffice = reportView(report, 'office', 'sv', t);
    expect(byOffice.headerCells).toBe(2);
    expect(byOffice.rows.map((r) => [r[1], r[2]])).toEqual([
      ['reports:office.FI', '1'],
      ['reports:office.SE', '3'],
      ['reports:office.SE', '2'],
    ]);
    // An undecided period's share is a dash, not 0 %.
    expect(byOffice.rows[0]?.[6]).toBe('–');
  });
});
