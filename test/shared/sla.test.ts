/**
 * Hand-checked SLA cases. Each comment adds up the open minutes behind the expected instant;
 * offsets: SE +01:00 winter / +02:00 summer, FI +02:00 / +03:00 (summer time 2026-03-29 –
 * 2026-10-25 and 2027-03-28 – 2027-10-31). The closed days relied on are listed at the top of
 * calendar.test.ts.
 */
import { describe, expect, test } from 'vitest';
import {
  CATEGORY_IDS,
  SERVICE_LEVEL_RULES,
  SERVICE_LEVELS,
  ServiceLevelSchema,
  handlingDeadline,
  isUrgentBug,
  resolutionTarget,
  slaState,
  type Office,
  type ServiceLevel,
  type SlaSubject,
} from '../../shared/index';
const instant = (text: string): string => new Date(text).toISOString();

test('the level table follows docs/domain.md', () => {
  expect(SERVICE_LEVEL_RULES).toEqual({
    1: { handlingHours: 2, resolution: { kind: 'same_day' } },
    2: { handlingHours: 4, resolution: { kind: 'same_week' } },
    3: { handlingHours: 12, resolution: { kind: 'calendar_days', days: 28 } },
    4: { handlingHours: 48, resolution: { kind: 'calendar_months', earliestMonths: 1, deadlineMonths: 6 } },
    5: { handlingHours: 48, resolution: { kind: 'calendar_months', earliestMonths: 1, deadlineMonths: 12 } },
  });
});

test('the contract accepts exactly the levels of the table', () => {
  expect(Object.keys(SERVICE_LEVEL_RULES).map(Number)).toEqual([...SERVICE_LEVELS]);
  for (const level of SERVICE_LEVELS) expect(ServiceLevelSchema.parse(level)).toBe(level);
  for (const other of [0, 6, 1.5, '1', null]) expect(ServiceLevelSchema.safeParse(other).success).toBe(false);
});

test('only bugs of levels 1 and 2 are urgent', () => {
  expect(SERVICE_LEVELS.filter((serviceLevel) => isUrgentBug({ category: 'bug', serviceLevel }))).toEqual([1, 2]);
  expect(isUrgentBug({ category: 'bug', serviceLevel: null })).toBe(false);
  for (const category of CATEGORY_IDS.filter((c) => c !== 'bug')) expect(isUrgentBug({ category, serviceLevel: 1 })).toBe(false);
});

describe('handlingDeadline', () => {
  test.each<[Office, string, ServiceLevel, string, string]>([
    // Ordinary days, lunch and closing edges
    ['SE', '2026-03-27T10:00:00+01:00', 1, '2026-03-27T12:00:00+01:00', '10–12: due as lunch starts'],
    ['SE', '2026-03-27T14:00:00+01:00', 1, '2026-03-27T16:00:00+01:00', '14–16: due at closing, not next opening'],
    ['SE', '2026-03-28T11:00:00+01:00', 2, '2026-03-30T12:00:00+02:00', 'Saturday: clock starts Mon 08:00'],
    ['FI', '2026-03-20T12:00:00+02:00', 1, '2026-03-20T14:00:00+02:00', 'Finnish Friday: due at its 14:00 close'],
    ['FI', '2026-03-20T13:00:00+02:00', 1, '2026-03-23T09:00:00+02:00', 'Fri 13–14 60, Mon 08–09 60'],
    // DST weekends
    ['SE', '2026-03-27T15:00:00+01:00', 3, '2026-03-31T12:00:00+02:00', 'Fri 60, Mon 420, Tue 08–12 240 = 720'],
    ['FI', '2026-03-27T12:30:00+02:00', 1, '2026-03-30T08:30:00+03:00', 'Fri 12:30–14 90, Mon 30'],
    ['SE', '2026-10-23T14:00:00+02:00', 2, '2026-10-26T10:00:00+01:00', 'Fri 14–16 120, Mon 08–10 120'],
    ['SE', '2027-03-25T10:00:00+01:00', 2, '2027-03-30T10:00:00+02:00', 'Skärtorsdag 10–12 120; Easter and DST; Tue 120'],
    ['FI', '2027-03-25T10:00:00+02:00', 2, '2027-03-30T09:00:00+03:00', 'Kiirastorstai 60 + 120; Tue 60'],
    ['SE', '2027-10-29T15:00:00+02:00', 1, '2027-11-01T09:00:00+01:00', 'Fri 60, Mon 60'],
    ['FI', '2027-10-29T13:00:00+03:00', 3, '2027-11-02T13:00:00+02:00', 'Fri 60, Mon 420, Tue 180 + 60'],
    // Multi-day 48 h targets
    ['SE', '2026-03-02T09:00:00+01:00', 4, '2026-03-10T16:00:00+01:00', 'Mon 360, 5 × 420, Tue 420 = 2880 at closing'],
    ['SE', '2026-03-02T07:00:00+01:00', 5, '2026-03-10T15:00:00+01:00', '6 × 420 = 2520, Tue 240 + 120'],
    ['FI', '2026-03-04T12:00:00+02:00', 4, '2026-03-13T13:00:00+02:00', 'Wed 240, Thu 420, Fri 300, Mon–Thu 4 × 420, Fri 180 + 60'],
    ['SE', '2026-04-01T13:00:00+02:00', 4, '2026-04-14T15:00:00+02:00', 'Wed 180, Skärtorsdag 240, Easter, 5 × 420, Tue 360'],
    ['SE', '2026-12-21T08:00:00+01:00', 4, '2027-01-07T09:00:00+01:00', '840, 23 Dec 240, 840, 30 Dec 240, 420, 5 Jan 240, 60'],
    ['FI', '2026-12-21T08:00:00+02:00', 4, '2027-01-04T11:00:00+02:00', '840, 23 Dec 300, 1260, 31 Dec 300, Mon 180'],
    // Registered on eves, SE
    ['SE', '2026-12-23T15:00:00+01:00', 1, '2026-12-28T10:00:00+01:00', 'after the eve closed: Mon 28 Dec 08–10'],
    ['SE', '2026-01-05T11:00:00+01:00', 1, '2026-01-07T09:00:00+01:00', 'Mon eve 60, Trettondedag closed, Wed 60'],
    ['SE', '2026-04-02T11:00:00+02:00', 1, '2026-04-07T09:00:00+02:00', 'Skärtorsdag 60, Tue 60'],
    ['SE', '2026-04-30T11:00:00+02:00', 2, '2026-05-04T11:00:00+02:00', 'Valborg 60, Första maj closed, Mon 180'],
    ['SE', '2026-05-13T08:00:00+02:00', 2, '2026-05-13T12:00:00+02:00', 'eve 08–12 exactly'],
    ['SE', '2026-06-05T12:30:00+02:00', 1, '2026-06-08T10:00:00+02:00', 'Fri eve before Nationaldagen already closed'],
    ['SE', '2026-06-18T09:00:00+02:00', 2, '2026-06-22T09:00:00+02:00', 'Midsommar eve 180, Mon 60'],
    ['SE', '2026-10-30T11:00:00+01:00', 2, '2026-11-02T11:00:00+01:00', 'Fri eve before Alla helgons dag 60, Mon 180'],
    ['SE', '2026-12-30T10:00:00+01:00', 1, '2026-12-30T12:00:00+01:00', 'eve before Nyårsafton: due at 12:00'],
    ['SE', '2027-01-05T10:00:00+01:00', 2, '2027-01-07T10:00:00+01:00', 'Tue eve 120, Thu 120'],
    ['SE', '2027-04-30T10:00:00+02:00', 1, '2027-04-30T12:00:00+02:00', 'Fri eve before a Saturday Första maj'],
    ['SE', '2027-04-30T10:00:00+02:00', 2, '2027-05-03T10:00:00+02:00', 'Fri eve 120, Mon 120'],
    ['SE', '2027-05-05T11:30:00+02:00', 1, '2027-05-07T09:30:00+02:00', 'eve 30, Kristi himmelsfärd, Fri 90'],
    ['SE', '2027-06-24T11:00:00+02:00', 1, '2027-06-28T09:00:00+02:00', 'Midsommar eve 60, Mon 60'],
    ['SE', '2027-11-05T12:00:00+01:00', 1, '2027-11-08T10:00:00+01:00', 'Fri eve closed at 12, Mon 120'],
    ['SE', '2027-12-23T11:00:00+01:00', 3, '2027-12-28T12:00:00+01:00', 'eve 60, Mon 27 Dec 420, Tue 240'],
    ['SE', '2027-12-30T11:00:00+01:00', 2, '2028-01-03T11:00:00+01:00', 'eve 60, Nyårsafton, Mon 180'],
    // Registered on eves, FI
    ['FI', '2026-01-05T15:00:00+02:00', 1, '2026-01-07T10:00:00+02:00', 'Mon eve closed at 14, Loppiainen, Wed 120'],
    ['FI', '2026-04-02T13:00:00+03:00', 1, '2026-04-07T09:00:00+03:00', 'Kiirastorstai 60, Tue 60'],
    ['FI', '2026-04-30T10:00:00+03:00', 2, '2026-05-04T09:00:00+03:00', 'Vappuaatto 60 + 120, Mon 60'],
    ['FI', '2026-05-13T13:00:00+03:00', 1, '2026-05-15T09:00:00+03:00', 'eve 60, Helatorstai, Fri 60'],
    ['FI', '2026-06-18T10:00:00+03:00', 2, '2026-06-22T09:00:00+03:00', 'Juhannus eve 60 + 120, Mon 60'],
    ['FI', '2026-10-30T13:00:00+02:00', 1, '2026-11-02T09:00:00+02:00', 'Fri eve before Pyhäinpäivä 60, Mon 60'],
    ['FI', '2026-12-31T13:00:00+02:00', 2, '2027-01-04T11:00:00+02:00', 'Uudenvuodenaatto 60, Mon 180'],
    ['FI', '2027-01-05T13:00:00+02:00', 1, '2027-01-07T09:00:00+02:00', 'Tue eve 60, Loppiainen, Thu 60'],
    ['FI', '2027-05-05T08:00:00+03:00', 3, '2027-05-10T10:00:00+03:00', 'eve 300, Helatorstai, Fri 300, Mon 120'],
    ['FI', '2027-06-24T13:00:00+03:00', 1, '2027-06-28T09:00:00+03:00', 'Juhannus eve 60, Mon 60'],
    ['FI', '2027-11-05T12:00:00+02:00', 1, '2027-11-05T14:00:00+02:00', 'Fri eve keeps its 14:00 close'],
    ['FI', '2027-12-03T13:00:00+02:00', 1, '2027-12-07T09:00:00+02:00', 'ordinary Fri 60, Itsenäisyyspäivä Mon, Tue 60'],
    ['FI', '2027-12-23T10:00:00+02:00', 2, '2027-12-27T09:00:00+02:00', 'eve 60 + 120, Jouluaatto, Mon 60'],
    ['FI', '2027-12-31T13:30:00+02:00', 1, '2028-01-03T09:30:00+02:00', 'Fri eve 30, Mon 90'],
  ])('%s registered %s, level %d → %s (%s)', (office, registeredAt, level, expected) => {
    expect(handlingDeadline(new Date(registeredAt), level, office).toISOString()).toBe(instant(expected));
  });

  test('an instant in UTC is read in the office zone', () => {
    // 14:00Z is 15:00 in Stockholm on the eve of Julafton, after the eve's 12:00 close.
    expect(handlingDeadline(new Date('2026-12-23T14:00:00Z'), 1, 'SE').toISOString()).toBe(instant('2026-12-28T10:00:00+01:00'));
    // …and 16:00 in Helsinki, after the Finnish eve's 14:00 close.
    expect(handlingDeadline(new Date('2026-12-23T14:00:00Z'), 1, 'FI').toISOString()).toBe(instant('2026-12-28T10:00:00+02:00'));
  });
});

describe('resolutionTarget', () => {
  test.each<[Office, string, ServiceLevel, string | null, string, string]>([
    ['SE', '2026-03-27T09:00:00+01:00', 1, null, '2026-03-27T16:00:00+01:00', 'same day'],
    ['SE', '2026-03-27T12:30:00+01:00', 1, null, '2026-03-27T16:00:00+01:00', 'registered during lunch'],
    ['SE', '2026-03-27T16:00:00+01:00', 1, null, '2026-03-30T16:00:00+02:00', 'at closing: next open day'],
    ['SE', '2026-03-27T17:00:00+01:00', 1, null, '2026-03-30T16:00:00+02:00', 'after closing: next open day'],
    ['SE', '2026-12-23T10:00:00+01:00', 1, null, '2026-12-23T12:00:00+01:00', 'eve closes at 12'],
    ['SE', '2026-12-24T10:00:00+01:00', 1, null, '2026-12-28T16:00:00+01:00', 'Julafton: next open day'],
    ['FI', '2026-03-27T07:00:00+02:00', 1, null, '2026-03-27T14:00:00+02:00', 'before opening, Finnish Friday'],
    ['SE', '2026-03-30T10:00:00+02:00', 2, null, '2026-04-02T12:00:00+02:00', 'Easter week ends on Skärtorsdag'],
    ['SE', '2026-04-02T13:00:00+02:00', 2, null, '2026-04-10T16:00:00+02:00', 'nothing left of the week: next Friday'],
    ['SE', '2026-03-29T10:00:00+02:00', 2, null, '2026-04-02T12:00:00+02:00', 'Sunday: next week'],
    ['FI', '2026-03-25T09:00:00+02:00', 2, null, '2026-03-27T14:00:00+02:00', 'Finnish Friday close'],
    ['FI', '2026-03-28T10:00:00+02:00', 2, null, '2026-04-02T14:00:00+03:00', 'Saturday: next week, Pitkäperjantai closed'],
    ['SE', '2026-12-21T09:00:00+01:00', 2, null, '2026-12-23T12:00:00+01:00', 'Christmas week'],
    ['SE', '2027-12-27T09:00:00+01:00', 2, null, '2027-12-30T12:00:00+01:00', 'Nyårsafton closed'],
    ['FI', '2027-12-27T09:00:00+02:00', 2, null, '2027-12-31T14:00:00+02:00', 'Uudenvuodenaatto open'],
    ['SE', '2026-03-20T10:00:00+01:00', 3, null, '2026-04-17T10:00:00+02:00', '28 calendar days across DST'],
    ['SE', '2026-01-31T10:00:00+01:00', 4, '2026-02-28T10:00:00+01:00', '2026-07-31T10:00:00+02:00', '1–6 months'],
    ['FI', '2026-03-15T09:30:00+02:00', 5, '2026-04-15T09:30:00+03:00', '2027-03-15T09:30:00+02:00', '1–12 months'],
  ])('%s registered %s, level %d → earliest %s, deadline %s (%s)', (office, registeredAt, level, earliest, deadline) => {
    const target = resolutionTarget(new Date(registeredAt), level, office);
    expect(target.earliest?.toISOString() ?? null).toBe(earliest === null ? null : instant(earliest));
    expect(target.deadline.toISOString()).toBe(instant(deadline));
  });
});

describe('slaState', () => {
  // SE level 2 registered Fri 09:00: handling due 14:00 (09–12 180 + 13–14 60); resolution
  // (same week) due Fri 16:00.
  const bug: SlaSubject = {
    office: 'SE',
    category: 'bug',
    serviceLevel: 2,
    registeredAt: '2026-03-27T08:00:00Z',
    handlingStartedAt: null,
    resolvedAt: null,
  };

  test('only bugs with a service level have an SLA', () => {
    expect(slaState({ ...bug, category: 'support' }, new Date('2026-03-27T10:00:00+01:00'))).toEqual({ applies: false });
    expect(slaState({ ...bug, serviceLevel: null }, new Date('2026-03-27T10:00:00+01:00'))).toEqual({ applies: false });
  });

  test.each<[string, number | undefined, string, number]>([
    ['2026-03-27T10:00:00+01:00', undefined, 'on_track', 180],
    ['2026-03-27T11:30:00+01:00', undefined, 'on_track', 90],
    ['2026-03-27T11:30:00+01:00', 120, 'due_soon', 90],
    ['2026-03-27T12:30:00+01:00', undefined, 'due_soon', 60],
    ['2026-03-27T14:00:00+01:00', undefined, 'due_soon', 0],
    ['2026-03-27T14:30:00+01:00', undefined, 'breached', -30],
    ['2026-03-27T16:30:00+01:00', undefined, 'breached', -120],
    ['2026-03-30T09:00:00+02:00', undefined, 'breached', -180],
  ])('handling phase at %s (due soon within %s) → %s, %d min', (now, dueSoonMinutes, state, remaining) => {
    const options = dueSoonMinutes === undefined ? {} : { dueSoonMinutes };
    expect(slaState(bug, new Date(now), options)).toEqual({
      applies: true,
      phase: 'handling',
      state,
      deadline: new Date('2026-03-27T14:00:00+01:00'),
      remainingBusinessMinutes: remaining,
      handlingDeadline: new Date('2026-03-27T14:00:00+01:00'),
      handlingBreached: state === 'breached',
    });
  });

  test.each<[string, string, string, number, boolean]>([
    ['2026-03-27T11:00:00+01:00', '2026-03-27T13:30:00+01:00', 'on_track', 150, false],
    ['2026-03-27T11:00:00+01:00', '2026-03-27T15:30:00+01:00', 'due_soon', 30, false],
    ['2026-03-27T11:00:00+01:00', '2026-03-27T16:30:00+01:00', 'breached', 0, false],
    ['2026-03-27T11:00:00+01:00', '2026-03-30T10:00:00+02:00', 'breached', -120, false],
    // Handling started an hour late: visible as handlingBreached; the state follows resolution.
    ['2026-03-27T15:00:00+01:00', '2026-03-27T15:10:00+01:00', 'due_soon', 50, true],
  ])('resolution phase, handling started %s, at %s → %s, %d min', (startedAt, now, state, remaining, late) => {
    expect(slaState({ ...bug, handlingStartedAt: startedAt }, new Date(now))).toEqual({
      applies: true,
      phase: 'resolution',
      state,
      deadline: new Date('2026-03-27T16:00:00+01:00'),
      remainingBusinessMinutes: remaining,
      handlingDeadline: new Date('2026-03-27T14:00:00+01:00'),
      handlingBreached: late,
    });
  });

  test.each<[string | null, string, string, number, boolean]>([
    ['2026-03-27T11:00:00+01:00', '2026-03-27T15:45:00+01:00', 'met', 15, false],
    ['2026-03-27T11:00:00+01:00', '2026-03-30T09:00:00+02:00', 'breached', -60, false],
    // Resolved with no recorded handling start: handled when resolved.
    [null, '2026-03-27T13:00:00+01:00', 'met', 180, false],
    [null, '2026-03-27T15:00:00+01:00', 'met', 60, true],
  ])('done, handling started %s, resolved %s → %s, margin %d min', (startedAt, resolvedAt, state, margin, late) => {
    const status = slaState({ ...bug, handlingStartedAt: startedAt, resolvedAt }, new Date('2026-04-01T12:00:00+02:00'));
    expect(status).toEqual({
      applies: true,
      phase: 'done',
      state,
      deadline: new Date('2026-03-27T16:00:00+01:00'),
      remainingBusinessMinutes: margin,
      handlingDeadline: new Date('2026-03-27T14:00:00+01:00'),
      handlingBreached: late,
    });
  });

  test.each<[string, string, number]>([
    // FI level 1 registered Fri 13:00: due Mon 09:00 (Fri 13–14 60, Mon 08–09 60).
    ['2026-03-20T13:30:00+02:00', 'on_track', 90],
    ['2026-03-21T12:00:00+02:00', 'due_soon', 60],
    ['2026-03-23T08:30:00+02:00', 'due_soon', 30],
  ])('FI over a weekend at %s → %s, %d min', (now, state, remaining) => {
    const status = slaState(
      { office: 'FI', category: 'bug', serviceLevel: 1, registeredAt: new Date('2026-03-20T13:00:00+02:00'), handlingStartedAt: null, resolvedAt: null },
      new Date(now),
    );
    expect(status).toMatchObject({ applies: true, phase: 'handling', state, remainingBusinessMinutes: remaining });
    expect(status.applies && status.deadline.toISOString()).toBe(instant('2026-03-23T09:00:00+02:00'));
  });
});
