/**
 * The benchmark in small (docs/performance.md): the same code as `npm run bench` with 1,000 cases and
 * fewer samples, so it cannot rot. No targets are judged here — only that every metric was
 * measured and is a finite number. It starts its own server and browsers.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { runBench, SMOKE } from '../bench/bench';
import { METRICS } from '../bench/metrics';

const staticDir = join(dirname(fileURLToPath(import.meta.url)), '../../renderer/dist');

test('benchmark smoke: every metric is measured on 1,000 cases', async () => {
  // With the mail phase (Dovecot, a desk's queue timing three mails) a run takes about 20 s more.
  test.setTimeout(240_000);
  const { metrics, details } = await runBench({ ...SMOKE, staticDir });
  for (const m of METRICS) expect(Number.isFinite(metrics[m.name]), `${m.name} = ${metrics[m.name]}`).toBe(true);
  expect(Object.keys(metrics).sort()).toEqual(METRICS.map((m) => m.name).sort());
  // The reference the lookup render is read against (an empty page's reveal) was measured too.
  expect(Number.isFinite(details.revealFloorP95Ms), `revealFloorP95Ms = ${details.revealFloorP95Ms}`).toBe(true);
  // Correctness is not a target but a fact, at any size.
  expect(metrics.server_lost_or_doubled).toBe(0);
});
