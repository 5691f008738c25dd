/** The import's report as plain text, for the command line. */
import type { ImportReport } from '../../shared/customersAdmin';

const value = (v: unknown): string => (v === null || v === undefined ? '–' : Array.isArray(v) ? v.join(';') || '–' : String(v));

export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  const c = report.counts;
  lines.push(report.dryRun ? 'Dry run: nothing was changed.' : 'Imported.');
  lines.push(`${report.rows} rows read.`);
  lines.push(`Customers: ${c.customersCreated} to create, ${c.customersChanged} to change, ${c.customersUnchanged} unchanged.`);
  lines.push(`Contacts: ${c.contactsCreated} to create, ${c.contactsChanged} to change, ${c.contactsUnchanged} unchanged.`);
  lines.push(`Rejected rows: ${c.rejected}.`);
  for (const customer of report.customers.filter((x) => x.action !== 'unchanged')) {
    lines.push(`  customer ${customer.orgNumber} ${customer.name}: ${customer.action} (lines ${customer.lines.join(', ')})`);
    for (const change of customer.changes) lines.push(`    ${change.field}: ${value(change.from)} → ${value(change.to)}`);
  }
  for (const contact of report.contacts.filter((x) => x.action !== 'unchanged')) {
    lines.push(`  contact ${contact.name} (${contact.orgNumber}): ${contact.action} (line ${contact.line})`);
    for (const change of contact.changes) lines.push(`    ${change.field}: ${value(change.from)} → ${value(change.to)}`);
  }
  for (const r of report.rejected) lines.push(`  rejected line ${r.line}${r.field ? `, ${r.field}` : ''}: ${r.code}: ${r.message}`);
  return lines.join('\n');
}
