/** `GET /api/reports/:name`: the lead's reports as JSON or CSV (`?format=csv`), audited. */
import type { FastifyInstance } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { REPORT_CSV_COLUMNS, reportCsvRows, ReportNameSchema, ReportQuerySchema, type Report } from '../../shared/reports';
import { sessionOf } from '../auth/access-hook';
import { auditAdmin } from '../http/access-audit';
import type { AppContext } from '../http/context';
import { parseInput } from '../http/errors';
import { buildReport } from './reports';

export const REPORT = '/api/reports/:name';

const NameParam = z.object({ name: ReportNameSchema });

/** The CSV of a report: a header row of neutral column ids (REPORT_CSV_COLUMNS), then its rows. */
export function reportCsv(report: Report): string {
  return stringify([[...REPORT_CSV_COLUMNS[report.name]], ...reportCsvRows(report)]);
}

export function reportRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(REPORT, { config: { access: 'lead' } }, async (request, reply) => {
    const { name } = parseInput(NameParam, request.params);
    const query = parseInput(ReportQuerySchema, request.query);
    const now = ctx.now();
    const report = buildReport(ctx.store.db, name, query, now);
    // Aggregates only, no one's personal data; still a lead action on record.
    auditAdmin(ctx.store, now, sessionOf(request).specialist.id, 'report_view', REPORT, {
      detail: { name, from: report.from, to: report.to, by: report.by, office: report.office, team: report.team, format: query.format },
    });
    reply.header('cache-control', 'no-store');
    if (query.format === 'csv') {
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="report-${name}-${report.from}-${report.to}.csv"`)
        .send(reportCsv(report));
    }
    return report;
  });
}
