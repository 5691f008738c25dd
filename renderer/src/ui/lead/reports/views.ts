/**
 * A report's numbers as what the section shows: one table (the accessible form) and one chart of
 * the same numbers, with a sentence summarising the chart for its aria-label.
 */
import { TEAM_IDS, type TeamId } from '../../../../../shared/teams';
import { BACKLOG_AGES, shareKept, type Report, type SlaReportRow } from '../../../../../shared/reports';
import type { CategoryId } from '../../../../../shared/categories';
import { categoryLabel, teamName } from '../../../i18n/labels';
import type { UiLanguage } from '../../../i18n/format';
import type { DeskT } from '../../../i18n/typing';

/** The CSS variable a series is drawn in (styles.css: light and dark values alike). */
export type ColourVar = `--${string}`;

export interface ReportView {
  columns: string[];
  /** Cells as shown; the first `headerCells` of a row are its row headers. */
  rows: string[][];
  headerCells: number;
  chart: { labels: string[]; series: Array<{ label: string; colour: ColourVar; data: number[] }>; yTitle: string };
  summary: string;
}

export type SlaSplit = 'none' | 'team' | 'office' | 'level';

const CATEGORY_COLOUR: Record<CategoryId, ColourVar> = { bug: '--cat-bug', order: '--cat-order', wish: '--cat-wish', support: '--cat-support' };

export function periodLabel(key: string, lang: UiLanguage, t: DeskT): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(key);
  if (week) return t('reports:week', { week: Number(week[2]), year: week[1] });
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (!month) return key;
  const date = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 15));
  return new Intl.DateTimeFormat(lang === 'fi' ? 'fi-FI' : 'sv-SE', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}

const percent = (lang: UiLanguage, share: number | null): string =>
  share === null ? '–' : new Intl.NumberFormat(lang === 'fi' ? 'fi-FI' : 'sv-SE', { style: 'percent', maximumFractionDigits: 1 }).format(share);

const sum = <T>(items: readonly T[], f: (x: T) => number): number => items.reduce((n, x) => n + f(x), 0);

function slaView(report: Extract<Report, { name: 'sla' }>, split: SlaSplit, lang: UiLanguage, t: DeskT): ReportView {
  const keys = report.periods.map((p) => p.key);
  const labels = keys.map((k) => periodLabel(k, lang, t));
  const splitOf = (r: SlaReportRow): string =>
    split === 'team' ? teamName(r.team, lang) : split === 'office' ? t(`reports:office.${r.office}`) : split === 'level' ? t('reports:level', { level: r.level }) : '';
  const rows: string[][] = [];
  keys.forEach((key, i) => {
    const inPeriod = report.rows.filter((r) => r.period === key);
    const groups = new Map<string, SlaReportRow[]>();
    for (const r of inPeriod) groups.set(splitOf(r), [...(groups.get(splitOf(r)) ?? []), r]);
    if (groups.size === 0) groups.set('', []);
    for (const [name, group] of [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      const kept = sum(group, (r) => r.kept);
      const missed = sum(group, (r) => r.missed);
      rows.push([
        labels[i] ?? key,
        ...(split === 'none' ? [] : [name || '–']),
        String(sum(group, (r) => r.cases)),
        String(kept),
        String(missed),
        String(sum(group, (r) => r.open)),
        percent(lang, shareKept({ kept, missed })),
      ]);
    }
  });
  const per = (f: (r: SlaReportRow) => number) => keys.map((k) => sum(report.rows.filter((r) => r.period === k), f));
  const kept = sum(report.rows, (r) => r.kept);
  const missed = sum(report.rows, (r) => r.missed);
  return {
    columns: [t('reports:col.period'), ...(split === 'none' ? [] : [t(`reports:split.${split}`)]), t('reports:col.cases'), t('reports:col.kept'), t('reports:col.missed'), t('reports:col.open'), t('reports:col.shareKept')],
    rows,
    headerCells: split === 'none' ? 1 : 2,
    chart: {
      labels,
      yTitle: t('reports:col.cases'),
      series: [
        { label: t('reports:col.kept'), colour: '--ok', data: per((r) => r.kept) },
        { label: t('reports:col.missed'), colour: '--danger', data: per((r) => r.missed) },
        { label: t('reports:col.open'), colour: '--pending', data: per((r) => r.open) },
      ],
    },
    summary: t('reports:summary.sla', { count: sum(report.rows, (r) => r.cases), kept, missed, share: percent(lang, shareKept({ kept, missed })), periods: keys.length }),
  };
}

function backlogView(report: Extract<Report, { name: 'backlog' }>, lang: UiLanguage, t: DeskT): ReportView {
  const teams = TEAM_IDS.filter((team) => report.rows.some((r) => r.team === team));
  const categories = [...new Set(report.rows.map((r) => r.category))].sort();
  const rows: string[][] = [];
  for (const team of teams) {
    for (const category of categories) {
      const mine = report.rows.filter((r) => r.team === team && r.category === category);
      if (mine.length === 0) continue;
      const ages = BACKLOG_AGES.map((age) => sum(mine.filter((r) => r.age === age), (r) => r.cases));
      rows.push([teamName(team as TeamId, lang), categoryLabel(category, lang), ...ages.map(String), String(sum(ages, (n) => n))]);
    }
  }
  const total = sum(report.rows, (r) => r.cases);
  const oldest = sum(report.rows.filter((r) => r.age === 'gt30'), (r) => r.cases);
  return {
    columns: [t('reports:col.team'), t('reports:col.category'), ...BACKLOG_AGES.map((a) => t(`reports:age.${a}`)), t('reports:col.total')],
    rows,
    headerCells: 2,
    chart: {
      labels: BACKLOG_AGES.map((a) => t(`reports:age.${a}`)),
      yTitle: t('reports:col.cases'),
      series: categories.map((category) => ({
        label: categoryLabel(category, lang),
        colour: CATEGORY_COLOUR[category],
        data: BACKLOG_AGES.map((age) => sum(report.rows.filter((r) => r.category === category && r.age === age), (r) => r.cases)),
      })),
    },
    summary: t('reports:summary.backlog', { count: total, oldest }),
  };
}

const CHANNELS = ['phone', 'email', 'portal'] as const;
const CHANNEL_COLOUR: Record<(typeof CHANNELS)[number], ColourVar> = { phone: '--accent', email: '--warn', portal: '--ok' };

function channelView(report: Extract<Report, { name: 'channels' }>, lang: UiLanguage, t: DeskT): ReportView {
  const keys = report.periods.map((p) => p.key);
  const labels = keys.map((k) => periodLabel(k, lang, t));
  const count = (key: string, channel: string) => sum(report.rows.filter((r) => r.period === key && r.channel === channel), (r) => r.cases);
  return {
    columns: [t('reports:col.period'), ...CHANNELS.map((c) => t(`reports:channel.${c}`)), t('reports:col.total')],
    rows: keys.map((key, i) => {
      const counts = CHANNELS.map((c) => count(key, c));
      return [labels[i] ?? key, ...counts.map(String), String(sum(counts, (n) => n))];
    }),
    headerCells: 1,
    chart: {
      labels,
      yTitle: t('reports:col.cases'),
      series: CHANNELS.map((c) => ({ label: t(`reports:channel.${c}`), colour: CHANNEL_COLOUR[c], data: keys.map((k) => count(k, c)) })),
    },
    summary: t('reports:summary.channels', {
      count: sum(report.rows, (r) => r.cases),
      phone: sum(report.rows.filter((r) => r.channel === 'phone'), (r) => r.cases),
      email: sum(report.rows.filter((r) => r.channel === 'email'), (r) => r.cases),
      portal: sum(report.rows.filter((r) => r.channel === 'portal'), (r) => r.cases),
    }),
  };
}

function callsView(report: Extract<Report, { name: 'calls' }>, lang: UiLanguage, t: DeskT): ReportView {
  const keys = report.periods.map((p) => p.key);
  const labels = keys.map((k) => periodLabel(k, lang, t));
  const minutes = (m: number | null) => (m === null ? '–' : String(m));
  const per = (f: (r: (typeof report.rows)[number]) => number) => keys.map((k) => sum(report.rows.filter((r) => r.period === k), f));
  return {
    columns: [t('reports:col.period'), t('reports:col.team'), t('reports:col.missedCalls'), t('reports:col.calledBack'), t('reports:col.markedDone'), t('reports:col.waiting'), t('reports:col.median'), t('reports:col.p90')],
    rows: report.rows.map((r) => [
      periodLabel(r.period, lang, t),
      r.team === null ? t('reports:noTeam') : teamName(r.team, lang),
      String(r.missed),
      String(r.calledBack),
      String(r.markedDone),
      String(r.open),
      minutes(r.medianMinutes),
      minutes(r.p90Minutes),
    ]),
    headerCells: 2,
    chart: {
      labels,
      yTitle: t('reports:col.missedCalls'),
      series: [
        { label: t('reports:col.calledBack'), colour: '--ok', data: per((r) => r.calledBack) },
        { label: t('reports:col.markedDone'), colour: '--accent', data: per((r) => r.markedDone) },
        { label: t('reports:col.waiting'), colour: '--danger', data: per((r) => r.open) },
      ],
    },
    summary: t('reports:summary.calls', { count: sum(report.rows, (r) => r.missed), waiting: sum(report.rows, (r) => r.open) }),
  };
}

export function reportView(report: Report, split: SlaSplit, lang: UiLanguage, t: DeskT): ReportView {
  switch (report.name) {
    case 'sla':
      return slaView(report, split, lang, t);
    case 'backlog':
      return backlogView(report, lang, t);
    case 'channels':
      return channelView(report, lang, t);
    case 'calls':
      return callsView(report, lang, t);
  }
}
