/**
 * The reports' metric: `report_year_ms`, the slowest of the lead's four reports (JSON, by month,
 * no filters) over a period holding every seeded case, as a lead's HTTP round trip (median of
 * 3 requests each, after one warm-up). At 100,000 cases over the demo's two years that period is
 * longer than a year: the figure is an upper bound of "a year of 100,000 cases".
 */
import { REPORT_NAMES, dayText } from '../../shared/reports';
import { localDayOf } from '../../shared/calendar';
import { ROUTES } from '../../shared/api';
import { api } from '../support/http';
import type { TestServer } from '../support/server';
import { leadWithTwoFactor } from '../support/two-factor';
import { percentile } from './metrics';

export interface ReportTimes {
  /** The slowest report's median, ms. */
  slowestMs: number;
  /** Each report's median, ms, over all cases. */
  perReport: Record<string, number>;
  /** The same over the default period (this month and the 11 before). */
  defaultPeriod: Record<string, number>;
  cases: number;
  days: string;
}

export async function measureReports(server: TestServer, runs = 3): Promise<ReportTimes> {
  const lead = api(server, (await leadWithTwoFactor(server)).token);
  const first = server.store.db.prepare<[], string>('SELECT min(registered_at) FROM cases').pluck().get() ?? new Date().toISOString();
  const from = dayText(localDayOf('SE', new Date(Date.parse(first) - 86_400_000)));
  const to = dayText(localDayOf('SE', new Date()));
  const time = async (path: string): Promise<number> => {
    const started = performance.now();
    const reply = await lead.get(path);
    const ms = performance.now() - started;
    if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${reply.text.slice(0, 200)}`);
    return ms;
  };
  const measure = async (query: string): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const name of REPORT_NAMES) {
      const path = `${ROUTES.report(name)}${query}`;
      await time(path);
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) samples.push(await time(path));
      out[name] = Math.round(percentile(samples, 50));
    }
    return out;
  };
  const perReport = await measure(`?from=${from}&to=${to}&by=month`);
  const defaultPeriod = await measure('');
  return {
    slowestMs: Math.max(...Object.values(perReport)),
    perReport,
    defaultPeriod,
    cases: server.store.cases.count(),
    days: `${from}..${to}`,
  };
}
