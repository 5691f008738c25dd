/**
 * The two industry support teams, as the callers meet them in the phone switch
 * ("alt. 1" / "alt. 2"), and the brochure's industry catalogue mapped to its team.
 */
export const TEAM_IDS = [1, 2] as const;
export type TeamId = (typeof TEAM_IDS)[number];

export type Language = 'sv' | 'fi';
export type Office = 'SE' | 'FI';
export const OFFICES = ['SE', 'FI'] as const satisfies readonly Office[];
export const LANGUAGES = ['sv', 'fi'] as const satisfies readonly Language[];

export interface Team {
  id: TeamId;
  /** The phone-switch option that leads to this team. */
  switchOption: 1 | 2;
  name: Record<Language, string>;
}

export const TEAMS: Record<TeamId, Team> = {
  1: {
    id: 1,
    switchOption: 1,
    name: {
      sv: 'Hantverkare, Transport och Konsult',
      fi: 'Urakoitsijat, kuljetusala ja konsultit',
    },
  },
  2: {
    id: 2,
    switchOption: 2,
    name: {
      sv: 'Handel, Tjänsteföretag & Organisationer',
      fi: 'Vähittäiskauppa, palvelualan yritykset ja organisaatiot',
    },
  },
};

export const INDUSTRY_IDS = [
  // Team 1
  'electrical_plumbing',
  'construction',
  'transport',
  'sheet_metal_ventilation',
  'energy',
  'security_locks_alarms',
  'it_companies',
  'consultants',
  // Team 2
  'grocery_retail',
  'retail',
  'specialist_retail',
  'health_care',
  'hotel_restaurant',
  'manufacturing',
  'organisations',
  'accounting_audit',
  'bank_finance',
  'agriculture',
] as const;
export type IndustryId = (typeof INDUSTRY_IDS)[number];

export interface Industry {
  id: IndustryId;
  team: TeamId;
  name: Record<Language, string>;
}

const industry = (id: IndustryId, team: TeamId, sv: string, fi: string): Industry => ({
  id,
  team,
  name: { sv, fi },
});

/** Swedish names as the brochure lists them under "Telefonväxel"; Finnish names translated. */
export const INDUSTRIES: Record<IndustryId, Industry> = {
  electrical_plumbing: industry('electrical_plumbing', 1, 'El- och VVS-installatörer', 'Sähkö- ja LVI-urakoitsijat'),
  construction: industry('construction', 1, 'Bygg', 'Rakentaminen'),
  transport: industry('transport', 1, 'Transport', 'Kuljetus'),
  sheet_metal_ventilation: industry('sheet_metal_ventilation', 1, 'Plåt & Vent', 'Pelti- ja ilmanvaihtoala'),
  energy: industry('energy', 1, 'Energi', 'Energia'),
  security_locks_alarms: industry('security_locks_alarms', 1, 'Säkerhet/Lås/Larm', 'Turvallisuus, lukitus ja hälytys'),
  it_companies: industry('it_companies', 1, 'IT-företag', 'IT-yritykset'),
  consultants: industry('consultants', 1, 'Konsult', 'Konsultit'),
  grocery_retail: industry('grocery_retail', 2, 'Dagligvaruhandel', 'Päivittäistavarakauppa'),
  retail: industry('retail', 2, 'Detaljhandel', 'Vähittäiskauppa'),
  specialist_retail: industry('specialist_retail', 2, 'Fackhandel', 'Erikoiskauppa'),
  health_care: industry('health_care', 2, 'Vård/Omsorg', 'Hoiva- ja terveysala'),
  hotel_restaurant: industry('hotel_restaurant', 2, 'Hotell & Restaurang', 'Hotelli- ja ravintola-ala'),
  manufacturing: industry('manufacturing', 2, 'Tillverkande företag', 'Valmistava teollisuus'),
  organisations: industry('organisations', 2, 'Organisationer', 'Järjestöt'),
  accounting_audit: industry('accounting_audit', 2, 'Redovisning/Revision', 'Tilitoimistot ja tilintarkastus'),
  bank_finance: industry('bank_finance', 2, 'Bank & Finans', 'Pankki- ja rahoitusala'),
  agriculture: industry('agriculture', 2, 'Lantbruk', 'Maatalous'),
};

export function teamOfIndustry(id: IndustryId): TeamId {
  return INDUSTRIES[id].team;
}

export function industriesOfTeam(team: TeamId): Industry[] {
  return INDUSTRY_IDS.map((id) => INDUSTRIES[id]).filter((i) => i.team === team);
}

export function teamOfSwitchOption(option: 1 | 2): TeamId {
  const team = TEAM_IDS.find((id) => TEAMS[id].switchOption === option);
  if (team === undefined) throw new Error(`no team answers phone-switch option ${option}`);
  return team;
}

export function otherTeam(team: TeamId): TeamId {
  return team === 1 ? 2 : 1;
}

export type TeamMismatch =
  | { mismatch: false; team: TeamId }
  | { mismatch: true; chosenTeam: TeamId; customerTeam: TeamId };

/**
 * "Hamnar du fel kopplar vi dig till rätt avdelning": compare the option the caller chose
 * with the team the customer's industry belongs to.
 */
export function switchMismatch(chosenOption: 1 | 2, industryId: IndustryId): TeamMismatch {
  const chosenTeam = teamOfSwitchOption(chosenOption);
  const customerTeam = teamOfIndustry(industryId);
  return chosenTeam === customerTeam
    ? { mismatch: false, team: chosenTeam }
    : { mismatch: true, chosenTeam, customerTeam };
}
