import { describe, expect, test } from 'vitest';
import {
  INDUSTRIES,
  INDUSTRY_IDS,
  TEAMS,
  industriesOfTeam,
  otherTeam,
  switchMismatch,
  teamOfIndustry,
  teamOfSwitchOption,
} from '../../shared/index';

describe('teams and industries', () => {
  test('both teams carry their Swedish and Finnish names', () => {
    expect(TEAMS[1].name.sv).toBe('Hantverkare, Transport och Konsult');
    expect(TEAMS[2].name.sv).toBe('Handel, Tjänsteföretag & Organisationer');
    for (const team of [TEAMS[1], TEAMS[2]]) expect(team.name.fi.length).toBeGreaterThan(5);
  });

  test.each([
    ['electrical_plumbing', 1],
    ['construction', 1],
    ['transport', 1],
    ['sheet_metal_ventilation', 1],
    ['energy', 1],
    ['security_locks_alarms', 1],
    ['it_companies', 1],
    ['consultants', 1],
    ['grocery_retail', 2],
    ['retail', 2],
    ['specialist_retail', 2],
    ['health_care', 2],
    ['hotel_restaurant', 2],
    ['manufacturing', 2],
    ['organisations', 2],
    ['accounting_audit', 2],
    ['bank_finance', 2],
    ['agriculture', 2],
  ] as const)('%s belongs to team %i', (industry, team) => {
    expect(teamOfIndustry(industry)).toBe(team);
  });

  test('the catalogue is complete and split without overlap', () => {
    const one = industriesOfTeam(1).map((i) => i.id);
    const two = industriesOfTeam(2).map((i) => i.id);
    expect(one.length + two.length).toBe(INDUSTRY_IDS.length);
    expect(one.filter((id) => two.includes(id))).toEqual([]);
    for (const id of INDUSTRY_IDS) {
      expect(INDUSTRIES[id].name.sv).not.toBe('');
      expect(INDUSTRIES[id].name.fi).not.toBe('');
    }
  });

  test('phone-switch options lead to their teams', () => {
    expect(teamOfSwitchOption(1)).toBe(1);
    expect(teamOfSwitchOption(2)).toBe(2);
    expect(otherTeam(1)).toBe(2);
    expect(otherTeam(2)).toBe(1);
  });

  test('a caller who chose the wrong option is flagged with both teams', () => {
    expect(switchMismatch(1, 'retail')).toEqual({ mismatch: true, chosenTeam: 1, customerTeam: 2 });
    expect(switchMismatch(2, 'construction')).toEqual({ mismatch: true, chosenTeam: 2, customerTeam: 1 });
  });

  test('a caller who chose the right option is not flagged', () => {
    expect(switchMismatch(1, 'transport')).toEqual({ mismatch: false, team: 1 });
    expect(switchMismatch(2, 'agriculture')).toEqual({ mismatch: false, team: 2 });
  });
});
