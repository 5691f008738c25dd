/**
 * How hard the reliability suite pushes. `npm test` runs the bounded numbers (the whole suite in
 * well under three minutes on two cores); `npm run soak` sets DESK_SOAK=1 and runs the very same
 * code longer: more desks, more mutations, more kills, more fuzz runs.
 */
export const SOAK = process.env.DESK_SOAK === '1';

export const KNOBS = SOAK
  ? {
      crash: { desks: 12, mutationsPerDesk: 1_500, kills: 12, droppedResponseRate: 0.05, cases: 400 },
      resume: { cases: 3_000, pageLimit: 60, bootstrapKills: 6, pullKills: 6, writesPerPage: 6 },
      conflictRounds: 300,
      fuzzRunsPerRoute: 600,
      desktopRuns: 20_000,
      backup: { writers: 6, backupsDuringLoad: 5 },
      testTimeoutMs: 40 * 60_000,
    }
  : {
      crash: { desks: 6, mutationsPerDesk: 120, kills: 3, droppedResponseRate: 0.05, cases: 120 },
      resume: { cases: 300, pageLimit: 25, bootstrapKills: 1, pullKills: 1, writesPerPage: 3 },
      conflictRounds: 20,
      fuzzRunsPerRoute: 40,
      desktopRuns: 600,
      backup: { writers: 3, backupsDuringLoad: 1 },
      testTimeoutMs: 150_000,
    };

/** One seed for the suite's random choices; set DESK_RELIABILITY_SEED to replay a failing run. */
export const SEED = Number(process.env.DESK_RELIABILITY_SEED ?? Date.now() % 2 ** 31);
