/**
 * The import from the lead's desk: choose the ERP/CRM export (CSV or JSON), see the dry run's
 * report (customers and contacts to create, to change field by field, rejected rows with their
 * line and field), then import it. Online only: the server checks and applies it in one go.
 */
import { useId, useState, type ReactNode } from 'react';
import type { ImportReport } from '../../../../../shared/index';
import { useT, type DeskT } from '../../../i18n/typing';
import { errorMessage } from '../../errors';
import { useSession, useSignal } from '../../hooks';
import type { LeadSectionProps } from '../sections';

interface Chosen {
  name: string;
  text: string;
  json: boolean;
}

const show = (v: unknown): string => (v === null || v === undefined || (Array.isArray(v) && v.length === 0) ? '—' : Array.isArray(v) ? v.join(', ') : String(v));

function columnLabel(t: DeskT, field: string | null): string {
  if (field === null) return '—';
  const known = ['org_number', 'name', 'country', 'language', 'industry', 'licensed_modules', 'payment_status', 'superuser_quota', 'contact_name', 'contact_email', 'contact_phone', 'superuser', 'trained_modules'] as const;
  return (known as readonly string[]).includes(field) ? t(`customers:columns.${field as (typeof known)[number]}`) : field;
}

export default function ImportSection(_props: LeadSectionProps) {
  const { t } = useT();
  const session = useSession();
  const online = useSignal(session.status).connection === 'online';
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileId = useId();

  const choose = async (file: File | undefined) => {
    setReport(null);
    setError(null);
    if (!file) return setChosen(null);
    setChosen({ name: file.name, text: await file.text(), json: /\.json$/i.test(file.name) || file.type.includes('json') });
  };

  const run = async (dryRun: boolean) => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      setReport(await session.customersAdmin.importFile(chosen.text, chosen.json, dryRun));
    } catch (e) {
      setReport(null);
      setError(errorMessage(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="customer-import" data-testid="import-section">
      <h2>{t('customers:import.title')}</h2>
      <p className="muted">{t('customers:import.intro')}</p>
      {!online && (
        <p className="banner warn" role="status">
          {t('customers:offline')}
        </p>
      )}
      <label htmlFor={fileId}>{t('customers:import.file')}</label>
      <input id={fileId} type="file" accept=".csv,.json,text/csv,application/json" onChange={(e) => void choose(e.target.files?.[0])} data-testid="import-file" />
      <div className="actions">
        <button type="button" onClick={() => void run(true)} disabled={!chosen || busy || !online} data-testid="import-dry-run">
          {t('customers:import.dryRun')}
        </button>
        <button type="button" className="primary" onClick={() => void run(false)} disabled={!chosen || busy || !online || report === null || !report.dryRun} data-testid="import-apply">
          {t('customers:import.apply')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {report && <Report report={report} />}
    </div>
  );
}

function Report({ report }: { report: ImportReport }) {
  const { t } = useT();
  const c = report.counts;
  const changes = (list: ImportReport['customers'][number]['changes']): ReactNode =>
    list.length === 0 ? null : (
      <ul className="field-diffs">
        {list.map((ch) => (
          <li key={ch.field}>
            {columnLabel(t, ch.field)}: <del>{show(ch.from)}</del> → <ins>{show(ch.to)}</ins>
          </li>
        ))}
      </ul>
    );
  const action = (a: 'create' | 'update' | 'unchanged') => t(`customers:import.actions.${a}`);
  return (
    <section className="import-report" aria-labelledby="import-report-title" data-testid="import-report" data-dry-run={report.dryRun}>
      <h3 id="import-report-title">{report.dryRun ? t('customers:import.dryRunTitle') : t('customers:import.doneTitle')}</h3>
      <p role="status" data-testid="import-counts">
        {t('customers:import.counts', {
          rows: report.rows,
          customersCreated: c.customersCreated,
          customersChanged: c.customersChanged,
          contactsCreated: c.contactsCreated,
          contactsChanged: c.contactsChanged,
          rejected: c.rejected,
        })}
      </p>
      <h4>{t('customers:import.customers')}</h4>
      <ul className="import-list">
        {report.customers.filter((x) => x.action !== 'unchanged').map((x) => (
          <li key={x.orgNumber} data-testid="import-customer">
            <strong>{x.name}</strong> ({x.orgNumber}): {action(x.action)}
            {changes(x.changes)}
          </li>
        ))}
      </ul>
      <h4>{t('customers:import.contacts')}</h4>
      <ul className="import-list">
        {report.contacts.filter((x) => x.action !== 'unchanged').map((x) => (
          <li key={`${x.orgNumber}-${x.line}`} data-testid="import-contact">
            <strong>{x.name}</strong> ({x.orgNumber}, {t('customers:import.line', { line: x.line })}): {action(x.action)}
            {changes(x.changes)}
          </li>
        ))}
      </ul>
      {report.rejected.length > 0 && (
        <>
          <h4>{t('customers:import.rejected')}</h4>
          <table className="contacts-table" data-testid="import-rejected">
            <thead>
              <tr>
                <th scope="col">{t('customers:import.lineColumn')}</th>
                <th scope="col">{t('customers:import.fieldColumn')}</th>
                <th scope="col">{t('customers:import.reasonColumn')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rejected.map((r) => (
                <tr key={`${r.line}-${r.field ?? ''}`}>
                  <td>{r.line}</td>
                  <td>{columnLabel(t, r.field)}</td>
                  <td>{t(`customers:import.reasons.${r.code === 'superuser_quota' || r.code === 'required' || r.code === 'conflict' ? r.code : 'invalid'}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
