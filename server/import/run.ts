/**
 * The import of customers, contacts, SuperUsers and payment status, for the command line
 * (`npm run import`) and the lead's desk (`POST ROUTES.customerImport`): parse, plan, and — not
 * in a dry run — apply everything valid in ONE transaction, recorded in the change log (so every
 * desk's entitlement follows) and audited as one action with its counts.
 */
import type { ImportReport } from '../../shared/customersAdmin';
import { applyContactToCentre } from '../centre/contact-change';
import { auditAccess, auditAdmin } from '../http/access-audit';
import type { Store } from '../store/store';
import { parseImport, rowsOfJson, type ImportFormat } from './parse';
import { planImport } from './plan';

export interface ImportOptions {
  dryRun: boolean;
  now: Date;
  /** Who ran it (null: the command line). */
  specialistId: string | null;
  /** The route (or `cli`) the audit rows name. */
  route: string;
}

/** `file`: the file's text in its format, or a JSON export already parsed. */
export function runImport(store: Store, file: { text: string; format: ImportFormat } | { json: unknown }, options: ImportOptions): ImportReport {
  const rows = 'json' in file ? rowsOfJson(file.json) : parseImport(file.text, file.format);
  return store.transaction(() => {
    const plan = planImport(rows, { customers: store.customers.all(), contactsOf: (id) => store.contacts.ofCustomerList(id), openCasesOf: (id) => store.cases.openCountOfCustomer(id) }, options.now, options.dryRun);
    // The report shows existing contacts' data (and, run for real, changes it): audited per person.
    auditAccess(store, options.now, options.specialistId, plan.shownContactIds, options.dryRun ? 'view' : 'update', options.route);
    if (options.dryRun) return plan.report;
    for (const customer of plan.customers.insert) {
      store.customers.insert(customer);
      store.changes.record('customers', customer.id);
    }
    for (const customer of plan.customers.update) {
      store.customers.update(customer);
      store.changes.record('customers', customer.id);
    }
    for (const contact of plan.contacts.insert) {
      store.contacts.insert(contact);
      store.changes.record('contacts', contact.id);
    }
    for (const contact of plan.contacts.update) {
      store.contacts.update(contact);
      store.changes.record('contacts', contact.id);
      applyContactToCentre(store, contact, options.now.toISOString());
    }
    auditAdmin(store, options.now, options.specialistId, 'customer_import', options.route, { detail: { ...plan.report.counts, rows: plan.report.rows } });
    return plan.report;
  });
}
