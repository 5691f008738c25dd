/**
 * The lead's reports: choose a report, a period, weeks or months, an office and a team; the
 * report is drawn as a chart and given as a table of the same numbers, and can be downloaded as
 * the server's CSV. Online only (the numbers are counted on the server over every case).
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { REPORT_NAMES, type Report, type ReportGrouping, type ReportName } from '../../../../../shared/reports';
import { useT } from '../../../i18n/typing';
import { errorMessage } from '../../errors';
import { useLanguage, useSession, useSignal } from '../../hooks';
import type { LeadSectionProps } from '../sections';
import ReportChart from './ReportChart';
import { reportView, type SlaSplit } from './views';
import type { ReportRequest } from '../../../session/reports';

const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The server's default: this month and the 11 before, to today. */
function defaultPeriod(): { from: string; to: string } {
  const today = new Date();
  const first = new Date(today.getFullYear(), today.getMonth() - 11, 1);
  return { from: dayOf(first), to: dayOf(today) };
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; report: Report };

export default function ReportsSection(_props: LeadSectionProps) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  const status = useSignal(session.status);
  const online = status.connection === 'online';
  const id = useId();
  const [name, setName] = useState<ReportName>('sla');
  const [period, setPeriod] = useState(defaultPeriod);
  const [by, setBy] = useState<ReportGrouping>('month');
  const [office, setOffice] = useState<'' | 'SE' | 'FI'>('');
  const [team, setTeam] = useState<'' | '1' | '2'>('');
  const [split, setSplit] = useState<SlaSplit>('none');
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const request: ReportRequest = useMemo(
    () => ({ from: period.from, to: period.to, by, office: office || undefined, team: team === '' ? undefined : (Number(team) as 1 | 2) }),
    [period, by, office, team],
  );
  const periodValid = /^\d{4}-\d{2}-\d{2}$/.test(period.from) && /^\d{4}-\d{2}-\d{2}$/.test(period.to) && period.from <= period.to;

  useEffect(() => {
    if (!online || !periodValid) return;
    let live = true;
    setLoad({ state: 'loading' });
    session.reports.get(name, request).then(
      (report) => live && setLoad({ state: 'ready', report }),
      (e: unknown) => live && setLoad({ state: 'error', message: t('reports:loadError', { error: errorMessage(t, e) }) }),
    );
    return () => {
      live = false;
    };
  }, [session, online, name, request, periodValid, t]);

  const view = load.state === 'ready' ? reportView(load.report, split, lang, t) : null;

  const download = async () => {
    setExportError(null);
    setExporting(true);
    try {
      const blob = await session.reports.csv(name, request);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `report-${name}-${period.from}-${period.to}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setExportError(t('reports:exportError', { error: errorMessage(t, e) }));
    } finally {
      setExporting(false);
    }
  };

  const title = t(`reports:name.${name}`);
  return (
    <div className="reports" data-testid="reports">
      <h2>{t('reports:title')}</h2>
      <form className="report-controls" onSubmit={(e) => e.preventDefault()} aria-label={t('reports:controls')}>
        <label>
          <span>{t('reports:report')}</span>
          <select value={name} onChange={(e) => setName(e.target.value as ReportName)} data-testid="report-name">
            {REPORT_NAMES.map((n) => (
              <option key={n} value={n}>
                {t(`reports:name.${n}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('reports:from')}</span>
          <input type="date" value={period.from} max={period.to} disabled={name === 'backlog'} onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))} data-testid="report-from" />
        </label>
        <label>
          <span>{t('reports:to')}</span>
          <input type="date" value={period.to} min={period.from} disabled={name === 'backlog'} onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))} data-testid="report-to" />
        </label>
        <label>
          <span>{t('reports:by')}</span>
          <select value={by} onChange={(e) => setBy(e.target.value as ReportGrouping)} disabled={name === 'backlog'} data-testid="report-by">
            <option value="week">{t('reports:byWeek')}</option>
            <option value="month">{t('reports:byMonth')}</option>
          </select>
        </label>
        <label>
          <span>{t('reports:officeLabel')}</span>
          <select value={office} onChange={(e) => setOffice(e.target.value as '' | 'SE' | 'FI')} data-testid="report-office">
            <option value="">{t('reports:all')}</option>
            <option value="SE">{t('reports:office.SE')}</option>
            <option value="FI">{t('reports:office.FI')}</option>
          </select>
        </label>
        <label>
          <span>{t('reports:teamLabel')}</span>
          <select value={team} onChange={(e) => setTeam(e.target.value as '' | '1' | '2')} data-testid="report-team">
            <option value="">{t('reports:all')}</option>
            <option value="1">{t('reports:team.1')}</option>
            <option value="2">{t('reports:team.2')}</option>
          </select>
        </label>
        {name === 'sla' && (
          <label>
            <span>{t('reports:splitLabel')}</span>
            <select value={split} onChange={(e) => setSplit(e.target.value as SlaSplit)} data-testid="report-split">
              {(['none', 'team', 'office', 'level'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`reports:split.${s}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={() => void download()} disabled={!online || !periodValid || exporting} data-testid="report-csv">
          {t('reports:exportCsv')}
        </button>
      </form>
      {name === 'backlog' && <p className="muted hint">{t('reports:backlogNow')}</p>}
      {!periodValid && (
        <p className="banner warn" role="alert">
          {t('reports:badPeriod')}
        </p>
      )}
      {exportError && (
        <p className="banner danger" role="alert">
          {exportError}
        </p>
      )}
      {!online ? (
        <p className="banner warn" role="status" data-testid="report-offline">
          {t('reports:offline')}
        </p>
      ) : load.state === 'loading' ? (
        <p className="muted" role="status" data-testid="report-loading">
          {t('reports:loading')}
        </p>
      ) : load.state === 'error' ? (
        <p className="banner danger" role="alert" data-testid="report-error">
          {load.message}
        </p>
      ) : (
        view && (
          <>
            <h3 id={`${id}-title`}>{title}</h3>
            <ReportChart chart={view.chart} summary={view.summary} />
            <div className="report-table-wrap" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
              <table className="report-table" data-testid="report-table">
                <caption id={`${id}-caption`}>{t('reports:tableCaption', { report: title })}</caption>
                <thead>
                  <tr>
                    {view.columns.map((c, i) => (
                      <th key={i} scope="col" className={i < view.headerCells ? undefined : 'num'}>
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {view.rows.length === 0 ? (
                    <tr>
                      <td colSpan={view.columns.length}>{t('reports:empty')}</td>
                    </tr>
                  ) : (
                    view.rows.map((row, r) => (
                      <tr key={r}>
                        {row.map((cell, c) =>
                          c < view.headerCells ? (
                            <th key={c} scope="row">
                              {cell}
                            </th>
                          ) : (
                            <td key={c} className="num">
                              {cell}
                            </td>
                          ),
                        )}
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            </div>
          </>
        )
      )}
    </div>
  );
}
