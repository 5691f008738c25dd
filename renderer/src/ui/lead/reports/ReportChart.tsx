/**
 * A report's chart: stacked bars drawn by chart.js (through react-chartjs-2). Only this lazily
 * loaded section imports the library. Colours are the palette's CSS variables, read when drawn,
 * so the chart follows the light and the dark theme; the canvas is an image named by a sentence
 * summarising it (the table beside it carries every number).
 */
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useState } from 'react';
import { Bar } from 'react-chartjs-2';
import type { ReportView } from './views';

ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Moves when the system switches between light and dark: the chart is drawn again in the new colours. */
function useColourScheme(): boolean {
  const query = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const changed = (e: MediaQueryListEvent) => setDark(e.matches);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, [query]);
  return dark;
}

export default function ReportChart({ chart, summary }: { chart: ReportView['chart']; summary: string }) {
  const dark = useColourScheme();
  const text = cssVar('--text');
  const grid = cssVar('--border');
  const data = {
    labels: chart.labels,
    datasets: chart.series.map((s) => ({ label: s.label, data: s.data, backgroundColor: cssVar(s.colour), borderColor: cssVar('--panel'), borderWidth: 1 })),
  };
  return (
    <div className="report-chart" data-testid="report-chart">
      <Bar
        key={dark ? 'dark' : 'light'}
        role="img"
        aria-label={summary}
        data={data}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          color: text,
          plugins: { legend: { position: 'bottom', labels: { color: text } } },
          scales: {
            x: { stacked: true, ticks: { color: text }, grid: { color: grid } },
            y: { stacked: true, beginAtZero: true, ticks: { color: text, precision: 0 }, grid: { color: grid }, title: { display: true, text: chart.yTitle, color: text } },
          },
        }}
      />
    </div>
  );
}
