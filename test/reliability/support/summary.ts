/**
 * The one summary line of the reliability run:
 *   reliability: load <n> mutations, faults <n>, bad inputs <n>, lost 0, doubled 0, attacks <n>, got through 0
 *
 * Each reliability test file runs in its own worker process, so counts meet on disk: every file
 * writes its own counts into a folder of this vitest run (keyed by the vitest process, the
 * workers' common parent), and the file that completes the set prints the line. Creating the
 * marker file with O_EXCL makes exactly one of them print even if two finish at once. A run of
 * only some of the files (a filter) prints nothing: the figures would not be the suite's.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Counts {
  /** Distinct mutations pushed under load (retries of one mutation count once). */
  load: number;
  /** Injected faults: kill -9 of the server, restarts in the middle of a pull, dropped responses. */
  faults: number;
  /** Hostile or malformed inputs tried (HTTP requests, socket messages, shell validator inputs). */
  badInputs: number;
  /** Acknowledged writes (or change-feed entries) that went missing. */
  lost: number;
  /** Writes applied (or entries delivered) more than once. */
  doubled: number;
  /** Attacks tried: each reproduces one way in (a replayed edit, a locked-out colleague, ...). */
  attacks: number;
  /** Attacks that achieved what they were after. */
  gotThrough: number;
}

const SUITE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const STALE_MS = 24 * 3_600_000;

/** The start time of the parent (vitest) process, so a reused pid does not mix two runs. */
function parentStart(): string {
  try {
    const stat = readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? 'x';
  } catch {
    return 'x';
  }
}

const runsRoot = (): string => join(tmpdir(), 'desk-reliability-runs');
const runDir = (): string => join(runsRoot(), `${process.ppid}-${parentStart()}`);

const suiteFiles = (): string[] =>
  readdirSync(SUITE_DIR)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -'.test.ts'.length))
    .sort();

function removeStaleRuns(): void {
  try {
    for (const entry of readdirSync(runsRoot())) {
      const path = join(runsRoot(), entry);
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    }
  } catch {
    // Nothing to clean.
  }
}

export function summaryLine(c: Counts): string {
  return `reliability: load ${c.load} mutations, faults ${c.faults}, bad inputs ${c.badInputs}, lost ${c.lost}, doubled ${c.doubled}, attacks ${c.attacks}, got through ${c.gotThrough}`;
}

export class Tally {
  readonly counts: Counts = { load: 0, faults: 0, badInputs: 0, lost: 0, doubled: 0, attacks: 0, gotThrough: 0 };

  constructor(readonly file: string) {}

  add(delta: Partial<Counts>): void {
    for (const key of Object.keys(delta) as Array<keyof Counts>) this.counts[key] += delta[key] ?? 0;
  }

  /** Call from `afterAll`: records this file's counts and prints the line if the suite is complete. */
  finish(): void {
    removeStaleRuns();
    const dir = runDir();
    mkdirSync(dir, { recursive: true });
    const target = join(dir, `${this.file}.json`);
    writeFileSync(`${target}.${process.pid}.tmp`, JSON.stringify(this.counts));
    renameSync(`${target}.${process.pid}.tmp`, target);
    const expected = suiteFiles();
    const done = new Set(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)));
    if (!expected.every((name) => done.has(name))) return;
    try {
      closeSync(openSync(join(dir, 'printed'), 'wx'));
    } catch {
      return;
    }
    const total: Counts = { load: 0, faults: 0, badInputs: 0, lost: 0, doubled: 0, attacks: 0, gotThrough: 0 };
    for (const name of expected) {
      const counts = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Partial<Counts>;
      for (const key of Object.keys(total) as Array<keyof Counts>) total[key] += counts[key] ?? 0;
    }
    // Straight to stdout, not console.log: vitest would put a header line above a console message.
    process.stdout.write(`${summaryLine(total)}\n`);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The tally of one test file: `reliabilityTally(import.meta.url)`. */
export function reliabilityTally(moduleUrl: string): Tally {
  return new Tally(basename(fileURLToPath(moduleUrl)).replace(/\.test\.ts$/, ''));
}
