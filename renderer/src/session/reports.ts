/**
 * The lead's reports (online only, lead routes): a report as numbers for the chart and the table,
 * and the same report as the server's CSV for a download. The reports' schemas are loaded with
 * the first report (a lazy import), so they stay out of every desk's first load, as the
 * section's own code does.
 */
import { ROUTES } from '../../../shared/api';
import type { Report, ReportGrouping, ReportName } from '../../../shared/reports';
import type { ApiClient } from '../api/client';

export interface ReportRequest {
  from: string;
  to: string;
  by: ReportGrouping;
  office?: 'SE' | 'FI' | undefined;
  team?: 1 | 2 | undefined;
}

export class Reports {
  constructor(private readonly api: ApiClient) {}

  async get(name: ReportName, query: ReportRequest): Promise<Report> {
    const { ReportSchema } = await import('../../../shared/reports');
    return this.api.get(ROUTES.report(name), ReportSchema, { ...query });
  }

  /** The report as CSV (a header row of neutral column ids), for a download. */
  csv(name: ReportName, query: ReportRequest): Promise<Blob> {
    return this.api.getBlob(ROUTES.report(name), { ...query, format: 'csv' });
  }
}
