/**
 * The benchmark's metrics and their targets (defined in docs/performance.md). The full run and the
 * smoke run report the same list; only the full run (100,000 cases) is judged against targets.
 */
export type Target = { op: '<=' | '>=' | '='; value: number } | null;

export const METRICS = [
  { name: 'lookup_cache_p95_ms', target: { op: '<=', value: 5 }, what: 'case by number from the cache, to the record' },
  { name: 'lookup_render_p95_ms', target: { op: '<=', value: 16 }, what: 'typed number (Enter) to the case detail painted' },
  { name: 'lookup_server_p95_ms', target: null, what: 'the same numbers by a server round trip (for comparison)' },
  { name: 'bootstrap_first_page_ms', target: { op: '<=', value: 2000 }, what: 'login to a usable first queue page' },
  { name: 'bootstrap_total_ms', target: { op: '<=', value: 30_000 }, what: 'login to every case cached' },
  { name: 'bootstrap_vs_raw_idb', target: { op: '>=', value: 0.6 }, what: 'our rows/s ÷ raw IndexedDB bulk-write rows/s' },
  { name: 'bootstrap_longest_task_ms', target: { op: '<=', value: 50 }, what: 'longest main-thread task during bootstrap' },
  { name: 'queue_switch_p95_ms', target: { op: '<=', value: 50 }, what: 'team/view/filter/sort change to repaint' },
  { name: 'propagation_p50_ms', target: { op: '<=', value: 250 }, what: 'an edit in one browser visible in another' },
  { name: 'propagation_p95_ms', target: { op: '<=', value: 1000 }, what: 'an edit in one browser visible in another' },
  { name: 'catchup_5k_ms', target: { op: '<=', value: 5000 }, what: 'reconnect after 5,000 changes elsewhere, to up to date' },
  { name: 'server_mutations_per_s', target: { op: '>=', value: 1000 }, what: '50 clients pushing for 30 s' },
  { name: 'server_mutation_p99_ms', target: { op: '<=', value: 50 }, what: 'push round trip, 50 clients' },
  { name: 'server_lost_or_doubled', target: { op: '=', value: 0 }, what: 'acknowledged mutations missing or applied twice' },
  { name: 'cold_start_ms', target: { op: '<=', value: 1500 }, what: 'reload with a warm cache to an interactive queue' },
  { name: 'storage_mb_100k', target: { op: '<=', value: 150 }, what: 'IndexedDB usage (MB = 10^6 bytes)' },
  { name: 'search_p95_ms', target: { op: '<=', value: 30 }, what: 'words typed in the lookup box to results, 100k cases with notes, offline (median of 3 runs)' },
  { name: 'renderer_heap_mb', target: { op: '<=', value: 300 }, what: 'JS heap with the cache loaded and the queue open' },
  { name: 'mail_to_desk_p50_ms', target: null, what: "a customer's mail delivered to the office's mailbox (IMAP) to its case's row painted in a desk's queue" },
  { name: 'mail_to_desk_p95_ms', target: { op: '<=', value: 5000 }, what: "a customer's mail delivered to the office's mailbox (IMAP) to its case's row painted in a desk's queue" },
  { name: 'report_year_ms', target: { op: '<=', value: 1000 }, what: "the lead's slowest report (JSON, by month) over every seeded case, HTTP round trip, median of 3" },
  { name: 'storm_50_bootstraps_s', target: { op: '<=', value: 90 }, what: '50 protocol-level desks bootstrapping at once, to the last page of the last one (the server\'s default limit, median of 3)' },
  { name: 'storm_push_p99_ms', target: { op: '<=', value: 200 }, what: "other desks' push round trip while the 50 bootstrap (median of 3 storms' p99)" },
  { name: 'server_rss_mb', target: { op: '<=', value: 1024 }, what: "the server process's peak resident memory during the storm (MB = 10^6 bytes, median of 3)" },
] as const satisfies ReadonlyArray<{ name: string; target: Target; what: string }>;

export type MetricName = (typeof METRICS)[number]['name'];
export type Metrics = Record<MetricName, number>;

export function meets(target: Target, value: number): boolean | null {
  if (target === null) return null;
  if (!Number.isFinite(value)) return false;
  if (target.op === '<=') return value <= target.value;
  if (target.op === '>=') return value >= target.value;
  return value === target.value;
}

const targetText = (t: Target): string => (t === null ? '(report)' : `${t.op === '=' ? '=' : t.op === '<=' ? '≤' : '≥'} ${t.value}`);

const valueText = (v: number): string => (Number.isInteger(v) ? String(v) : v < 10 ? v.toFixed(2) : v.toFixed(1));

/** A plain-text table: metric, value, target, ok. */
export function formatTable(metrics: Metrics): string {
  const rows = METRICS.map((m) => {
    const ok = meets(m.target, metrics[m.name]);
    return [m.name, valueText(metrics[m.name]), targetText(m.target), ok === null ? '' : ok ? 'ok' : 'MISSED'];
  });
  const head = ['metric', 'value', 'target', 'ok'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** p-th percentile (nearest rank) of samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export const round = (v: number, digits = 1): number => Number(v.toFixed(digits));
