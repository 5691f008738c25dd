import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangesPageSchema, ROUTES } from '../../../shared/api';
import { ImportReportSchema, orgNumberKey, type ImportReport } from '../../../shared/customersAdmin';
import { CUSTOMER_IMPORT } from '../../../server/routes/customers';
import { dataFile, openStore } from '../../../server/store/store';
import { seedDemoData } from '../../../server/demo/seed';
import { startTestServer, type TestServer } from '../../support/server';
import { api, type Api } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';

const HEADER = 'org_number,name,country,language,industry,licensed_modules,payment_status,superuser_quota,contact_name,contact_email,contact_phone,superuser,trained_modules';

/** An export of two new customers: one with three contacts (two SuperUsers), one alone. */
const exportCsv = (org1: string, org2: string): string =>
  [
    HEADER,
    `${org1},Importbolaget AB,SE,sv,construction,finance;payroll,ok,2,Anna Import,anna@import.se,070-111 22 33,ja,finance`,
    `${org1},,,,,,,,Bo Import,bo@import.se,,ja,payroll;finance`,
    `${org1},,,,,,,,"Cecilia ""Cissi"" Import",,,nej,`,
    `${org2},Tuonti Oy,FI,fi,retail,time,overdue,,,,,,`,
  ].join('\n');

describe('the import of customers, contacts and SuperUsers', () => {
  let server: TestServer;
  let lead: Api;
  let leadId: string;
  let serial = 0;
  const orgs = (): [string, string] => {
    serial += 1;
    return [`559800-${String(2000 + serial)}`, `${String(3000000 + serial)}-1`];
  };
  const importCsv = async (csv: string, dryRun: boolean) => {
    const reply = await lead.raw('POST', `${ROUTES.customerImport}${dryRun ? '?dryRun=1' : ''}`, csv, 'text/csv');
    expect(reply.status, reply.text).toBe(200);
    return ImportReportSchema.parse(reply.body);
  };
  const customerByOrg = (org: string) => server.store.customers.all().find((c) => orgNumberKey(c.orgNumber) === orgNumberKey(org));
  const dataChecksum = (): string =>
    JSON.stringify([server.store.db.prepare('SELECT * FROM customers ORDER BY id').all(), server.store.db.prepare('SELECT * FROM contacts ORDER BY id').all(), server.store.changes.latestSeq()]);

  beforeAll(async () => {
    server = await startTestServer({ cases: 0 });
    const enrolled = await leadWithTwoFactor(server);
    lead = api(server, enrolled.token);
    leadId = enrolled.id;
  }, 120_000);
  afterAll(() => server.close());

  it('dry run: reports what would be created and changes nothing', async () => {
    const [org1, org2] = orgs();
    const before = dataChecksum();
    const report = await importCsv(exportCsv(org1, org2), true);
    expect(report.dryRun).toBe(true);
    expect(report.rows).toBe(4);
    expect(report.counts).toEqual({ customersCreated: 2, customersChanged: 0, customersUnchanged: 0, contactsCreated: 3, contactsChanged: 0, contactsUnchanged: 0, rejected: 0 });
    expect(report.customers.map((c) => [c.orgNumber, c.action, c.lines])).toEqual([
      [org1, 'create', [2, 3, 4]],
      [org2, 'create', [5]],
    ]);
    expect(report.contacts.map((c) => [c.name, c.line])).toEqual([
      ['Anna Import', 2],
      ['Bo Import', 3],
      ['Cecilia "Cissi" Import', 4],
    ]);
    expect(dataChecksum()).toBe(before);
  });

  it('applies it in one go: customers, contacts, SuperUsers, payment status; audited once with counts; in the change feed', async () => {
    const [org1, org2] = orgs();
    const seq = server.store.changes.latestSeq();
    const report = await importCsv(exportCsv(org1, org2), false);
    expect(report.counts.rejected).toBe(0);
    const first = customerByOrg(org1);
    expect(first).toMatchObject({ name: 'Importbolaget AB', country: 'SE', language: 'sv', industry: 'construction', licensedModules: ['finance', 'payroll'], paymentStatus: 'ok', superUserQuota: 2 });
    expect(customerByOrg(org2)).toMatchObject({ name: 'Tuonti Oy', country: 'FI', paymentStatus: 'overdue', superUserQuota: 2, licensedModules: ['time'] });
    const contacts = server.store.contacts.ofCustomerList(first?.id ?? '');
    const anna = contacts.find((c) => c.email === 'anna@import.se');
    expect(anna).toMatchObject({ name: 'Anna Import', phone: '+46701112233', superUser: true, trainedModules: ['finance'] });
    expect(anna?.superUserSince).not.toBeNull();
    expect(contacts.find((c) => c.email === 'bo@import.se')).toMatchObject({ superUser: true, trainedModules: ['finance', 'payroll'] });
    const audit = server.store.db.prepare<[string], { specialist_id: string; detail: string }>("SELECT specialist_id, detail FROM audit_log WHERE action = 'customer_import' AND route = ?").all(CUSTOMER_IMPORT);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.specialist_id).toBe(leadId);
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toMatchObject({ customersCreated: 2, contactsCreated: 3, rejected: 0, rows: 4 });
    const changes = ChangesPageSchema.parse((await lead.get(`${ROUTES.changes}?after=${seq}`)).body);
    expect(changes.customers.map((c) => c.id).sort()).toEqual([first?.id, customerByOrg(org2)?.id].sort());
    expect(changes.contacts).toHaveLength(3);
  });

  it('is idempotent: the same file again changes nothing; a changed file changes field by field', async () => {
    const [org1, org2] = orgs();
    const csv = exportCsv(org1, org2);
    await importCsv(csv, false);
    const before = dataChecksum();
    const again = await importCsv(csv, false);
    expect(again.counts).toEqual({ customersCreated: 0, customersChanged: 0, customersUnchanged: 2, contactsCreated: 0, contactsChanged: 0, contactsUnchanged: 3, rejected: 0 });
    expect(dataChecksum()).toBe(before);
    // Written otherwise (dashes, case, order of modules), still the same data.
    const respelled = csv.replace(org1, org1.replace('-', '')).replace('finance;payroll,ok', 'PAYROLL; Finance,OK').replace('anna@import.se', 'Anna@Import.se');
    expect((await importCsv(respelled, true)).counts).toMatchObject({ customersChanged: 0, contactsChanged: 0, customersCreated: 0, contactsCreated: 0 });
    // Overdue now, and Anna is no longer a SuperUser: reported field by field.
    const changed = csv.replace(',ok,2,Anna Import,anna@import.se,070-111 22 33,ja,', ',overdue,2,Anna Import,anna@import.se,070-111 22 33,nej,');
    const dry = await importCsv(changed, true);
    expect(dry.customers.find((c) => c.orgNumber === org1)).toMatchObject({ action: 'update', changes: [{ field: 'payment_status', from: 'ok', to: 'overdue' }] });
    expect(dry.contacts.find((c) => c.name === 'Anna Import')).toMatchObject({ action: 'update', changes: [{ field: 'superuser', from: true, to: false }] });
    expect(dataChecksum()).toBe(before);
    await importCsv(changed, false);
    expect(customerByOrg(org1)?.paymentStatus).toBe('overdue');
    expect(server.store.contacts.ofCustomerList(customerByOrg(org1)?.id ?? '').find((c) => c.email === 'anna@import.se')).toMatchObject({ superUser: false, superUserSince: null });
  });

  it('rejects bad rows with their line and field and imports the rest; the quota rejects the SuperUser over it', async () => {
    const [org1] = orgs();
    const csv = [
      HEADER,
      `${org1},Kvotbolaget AB,SE,sv,transport,finance,ok,2,Ett Superanvändare,ett@kvot.se,,ja,finance`,
      `${org1},,,,,,,,Två Superanvändare,tva@kvot.se,,ja,finance`,
      `${org1},,,,,,,,Tre Superanvändare,tre@kvot.se,,ja,finance`,
      `${org1},,,,,bokföring,,,,,,,`,
      `${org1},,,,,,,,Fel Nummer,fel@kvot.se,12,nej,`,
      `,Utan Nummer AB,SE,sv,transport,,,,,,,,`,
      `559700-0001,Utan Land AB,,sv,transport,,,,,,,,`,
      `${org1},Annat Namn AB,,,,,,,,,,,`,
      `${org1},,,,,,,,Fyra Kontakt,fyra@kvot.se,,kanske,`,
    ].join('\n');
    const report = await importCsv(csv, false);
    expect(report.rejected.map((r) => [r.line, r.field, r.code])).toEqual([
      [4, 'superuser', 'superuser_quota'],
      [5, 'licensed_modules', 'invalid'],
      [6, 'contact_phone', 'invalid'],
      [7, 'org_number', 'invalid'],
      [8, 'country', 'required'],
      [9, 'name', 'conflict'],
      [10, 'superuser', 'invalid'],
    ]);
    expect(report.rejected[0]?.message).toContain('2');
    const customer = customerByOrg(org1);
    expect(customer?.name).toBe('Kvotbolaget AB');
    expect(server.store.contacts.ofCustomerList(customer?.id ?? '').map((c) => c.name).sort()).toEqual(['Ett Superanvändare', 'Två Superanvändare']);
    expect(server.store.customers.all().some((c) => c.name === 'Utan Land AB')).toBe(false);
  });

  it('takes JSON with the same keys (lists and booleans as JSON values), lines numbered by object', async () => {
    const [org1] = orgs();
    const rows = [
      { org_number: org1, name: 'Jsonbolaget AB', country: 'SE', industry: 'retail', licensed_modules: ['orders'], superuser_quota: 3 },
      { org_number: org1, contact_name: 'Jonna Json', contact_email: 'jonna@json.se', superuser: true, trained_modules: ['orders'] },
      { org_number: org1, contact_name: 'Jens Json', contact_phone: 'inte ett nummer' },
    ];
    const dry = await lead.post(`${ROUTES.customerImport}?dryRun=1`, rows);
    expect(dry.status, dry.text).toBe(200);
    const report: ImportReport = ImportReportSchema.parse(dry.body);
    expect(report.counts).toMatchObject({ customersCreated: 1, contactsCreated: 1, rejected: 1 });
    expect(report.rejected[0]).toMatchObject({ line: 3, field: 'contact_phone' });
    expect(customerByOrg(org1)).toBeUndefined();
    expect((await lead.post(ROUTES.customerImport, { rows })).status).toBe(200);
    expect(customerByOrg(org1)).toMatchObject({ language: 'sv', superUserQuota: 3, licensedModules: ['orders'] });
    expect(server.store.contacts.byEmail('jonna@json.se')[0]?.superUser).toBe(true);
  });

  it('refuses a file it cannot read, naming the problem, and changes nothing', async () => {
    const before = dataChecksum();
    const unknown = await lead.raw('POST', ROUTES.customerImport, 'org_number,colour\n1,red', 'text/csv');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'import_file', field: 'body' });
    expect(unknown.body.error.message).toContain('colour');
    expect((await lead.post(ROUTES.customerImport, { nothing: true })).body.error.code).toBe('import_file');
    expect((await lead.raw('POST', ROUTES.customerImport, 'x'.repeat(10), 'application/xml')).status).toBe(415);
    expect(dataChecksum()).toBe(before);
  });
});

describe('npm run import', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-import-'));
    mkdirSync(join(dir, 'data'), { mode: 0o700 });
    const store = openStore(dataFile(join(dir, 'data')));
    await seedDemoData(store, { cases: 0, seed: 7 });
    store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]): Promise<{ code: number | null; out: string; err: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/import.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => resolve({ code, out, err }));
    });

  it('prints the report; exit code 0 when all rows were taken, 1 when rows were rejected; --dry-run changes nothing', async () => {
    const file = join(dir, 'export.csv');
    writeFileSync(file, exportCsv('559600-0001', '2000001-1'));
    const dry = await run('--file', file, '--dry-run', '--data', join(dir, 'data'));
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('Dry run: nothing was changed.');
    expect(dry.out).toContain('Customers: 2 to create');
    const real = await run('--file', file, '--data', join(dir, 'data'));
    expect(real.code, real.err).toBe(0);
    const again = await run('--file', file, '--data', join(dir, 'data'));
    expect(again.out).toContain('Customers: 0 to create, 0 to change, 2 unchanged.');
    const store = openStore(dataFile(join(dir, 'data')));
    try {
      expect(store.customers.all().filter((c) => c.orgNumber === '559600-0001')).toHaveLength(1);
      expect(store.audit.query({ action: 'customer_import', limit: 10 })).toHaveLength(2);
    } finally {
      store.close();
    }
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ org_number: '559600-0002', name: 'Halv AB', country: 'SE', industry: 'retail' }, { org_number: '559600-0002', contact_name: 'X', superuser: 'kanske' }]));
    const rejected = await run('--file', bad, '--data', join(dir, 'data'));
    expect(rejected.code).toBe(1);
    expect(rejected.out).toContain('rejected line 2, superuser');
    const missing = await run('--file', join(dir, 'garbage.csv'), '--data', join(dir, 'data'));
    expect(missing.code).toBe(2);
  }, 60_000);
});
