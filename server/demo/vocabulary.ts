/** The raw material of the demo data: Swedish and Finnish names, company-name parts and case titles. */
import type { CategoryId } from '../../shared/categories';
import type { ModuleId } from '../../shared/modules';
import type { IndustryId, Language, Office, TeamId } from '../../shared/teams';

export const FIRST_NAMES: Record<Office, readonly string[]> = {
  SE: [
    'Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Eva', 'Anders', 'Sara', 'Per', 'Emma', 'Mikael', 'Lena', 'Fredrik',
    'Helena', 'Magnus', 'Linnea', 'Oskar', 'Ingrid', 'Henrik', 'Elin', 'Gustav', 'Maja', 'Nils', 'Sofia', 'Jonas', 'Ida',
    'Mattias', 'Frida', 'Björn', 'Malin', 'Viktor', 'Åsa', 'Göran', 'Therese', 'Stefan', 'Camilla', 'Patrik', 'Ulrika', 'Kjell',
  ],
  FI: [
    'Mikko', 'Laura', 'Juha', 'Sanna', 'Timo', 'Elina', 'Jukka', 'Anne', 'Kari', 'Päivi', 'Antti', 'Johanna', 'Matti', 'Heidi',
    'Petri', 'Tiina', 'Janne', 'Minna', 'Ville', 'Riikka', 'Sami', 'Katja', 'Tuomas', 'Satu', 'Marko', 'Hanna', 'Jari', 'Outi',
    'Pekka', 'Noora', 'Heikki', 'Kaisa', 'Teemu', 'Aino', 'Lauri', 'Emilia', 'Olli', 'Suvi', 'Jarmo', 'Eeva',
  ],
};

export const LAST_NAMES: Record<Office, readonly string[]> = {
  SE: [
    'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson',
    'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson', 'Lindberg', 'Jakobsson', 'Magnusson', 'Lindström',
    'Lindqvist', 'Lindgren', 'Berg', 'Axelsson', 'Bergström', 'Lundberg', 'Lundgren', 'Lundqvist', 'Mattsson', 'Berglund',
    'Fredriksson', 'Sandberg', 'Henriksson', 'Forsberg', 'Sjöberg', 'Wallin', 'Engström', 'Danielsson', 'Håkansson', 'Eklund',
  ],
  FI: [
    'Korhonen', 'Virtanen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen', 'Järvinen',
    'Lehtonen', 'Lehtinen', 'Saarinen', 'Salminen', 'Heinonen', 'Niemi', 'Heikkilä', 'Kinnunen', 'Salonen', 'Turunen',
    'Salo', 'Laitinen', 'Tuominen', 'Rantanen', 'Karjalainen', 'Jokinen', 'Mattila', 'Savolainen', 'Lahtinen', 'Ahonen',
    'Leinonen', 'Hiltunen', 'Miettinen', 'Aaltonen', 'Manninen', 'Hirvonen', 'Väisänen', 'Lindholm', 'Pitkänen', 'Rautio',
  ],
};

export const TOWNS: Record<Office, readonly string[]> = {
  SE: [
    'Umeå', 'Luleå', 'Sundsvall', 'Gävle', 'Uppsala', 'Västerås', 'Örebro', 'Linköping', 'Norrköping', 'Jönköping', 'Växjö',
    'Kalmar', 'Karlstad', 'Borås', 'Halmstad', 'Helsingborg', 'Malmö', 'Lund', 'Göteborg', 'Stockholm', 'Östersund', 'Visby',
  ],
  // Genitive, as Finnish company names use them ("Tampereen Rakennus Oy").
  FI: [
    'Tampereen', 'Oulun', 'Turun', 'Jyväskylän', 'Kuopion', 'Lahden', 'Porin', 'Vaasan', 'Espoon', 'Helsingin', 'Joensuun',
    'Seinäjoen', 'Rovaniemen', 'Kotkan', 'Hämeenlinnan', 'Lappeenrannan', 'Savon', 'Pohjolan', 'Karjalan', 'Lapin',
  ],
};

/** Words that say what a company does, per industry and language. */
export const INDUSTRY_WORDS: Record<IndustryId, Record<Language, readonly string[]>> = {
  electrical_plumbing: { sv: ['El & VVS', 'Elinstallation', 'Rör & El', 'VVS-service'], fi: ['Sähkö ja LVI', 'Sähköasennus', 'LVI-palvelu'] },
  construction: { sv: ['Bygg', 'Byggservice', 'Entreprenad', 'Snickeri'], fi: ['Rakennus', 'Rakennuspalvelu', 'Urakointi'] },
  transport: { sv: ['Transport', 'Åkeri', 'Logistik', 'Frakt'], fi: ['Kuljetus', 'Logistiikka', 'Rahti'] },
  sheet_metal_ventilation: { sv: ['Plåt & Vent', 'Ventilation', 'Plåtslageri'], fi: ['Pelti', 'Ilmanvaihto', 'Peltityö'] },
  energy: { sv: ['Energi', 'Solenergi', 'Värme & Energi'], fi: ['Energia', 'Lämpö', 'Aurinkoenergia'] },
  security_locks_alarms: { sv: ['Lås & Larm', 'Säkerhet', 'Låsservice'], fi: ['Lukko', 'Turva', 'Hälytin'] },
  it_companies: { sv: ['IT', 'Data', 'Systemutveckling'], fi: ['IT', 'Data', 'Ohjelmistot'] },
  consultants: { sv: ['Konsult', 'Management', 'Teknikkonsult'], fi: ['Konsultointi', 'Konsultit', 'Neuvonta'] },
  grocery_retail: { sv: ['Livs', 'Livsmedel', 'Handelsbod'], fi: ['Market', 'Elintarvike', 'Lähikauppa'] },
  retail: { sv: ['Handel', 'Butiker', 'Detaljhandel'], fi: ['Kauppa', 'Myymälät'] },
  specialist_retail: { sv: ['Järn', 'Färg', 'Cykel', 'Sport'], fi: ['Rauta', 'Urheilu', 'Väri'] },
  health_care: { sv: ['Omsorg', 'Vård', 'Hemtjänst'], fi: ['Hoiva', 'Terveys', 'Kotihoito'] },
  hotel_restaurant: { sv: ['Hotell', 'Restaurang', 'Krog & Kök'], fi: ['Hotelli', 'Ravintola', 'Kahvila'] },
  manufacturing: { sv: ['Industri', 'Mekaniska', 'Verkstad'], fi: ['Tuotanto', 'Konepaja', 'Teollisuus'] },
  organisations: { sv: ['Idrottsförening', 'Hyresgästförening', 'Intresseförening'], fi: ['Urheiluseura', 'Yhdistys', 'Kyläyhdistys'] },
  accounting_audit: { sv: ['Redovisning', 'Revision', 'Ekonomibyrå'], fi: ['Tilitoimisto', 'Tilintarkastus'] },
  bank_finance: { sv: ['Finans', 'Kapital', 'Invest'], fi: ['Rahoitus', 'Pääoma', 'Sijoitus'] },
  agriculture: { sv: ['Lantbruk', 'Gård', 'Lantbruksservice'], fi: ['Maatalous', 'Tila', 'Maatila'] },
};

/** Modules a customer of the team is likely to run, beyond finance. */
export const TEAM_MODULES: Record<TeamId, readonly ModuleId[]> = {
  1: ['time', 'projects', 'orders', 'mobile', 'payroll', 'staff', 'billing', 'attest', 'purchasing', 'inventory', 'api'],
  2: ['billing', 'inventory', 'purchasing', 'orders', 'payroll', 'staff', 'time', 'attest', 'api', 'mobile', 'projects'],
};

/** Support questions and bug reports, as customers phrase them, per module. */
export const MODULE_TITLES: Record<ModuleId, Record<Language, readonly string[]>> = {
  finance: {
    sv: ['Momsrapporten stämmer inte för {period}', 'Kan inte stänga perioden {period}', 'Avstämning av bankkonto visar differens', 'Verifikation saknas i huvudboken'],
    fi: ['ALV-raportti ei täsmää jaksolla {period}', 'Jakson {period} sulkeminen ei onnistu', 'Pankkitilin täsmäytyksessä on erotus', 'Tosite puuttuu pääkirjasta'],
  },
  payroll: {
    sv: ['Semesterlönen beräknas fel i {period}', 'Fel skattetabell på lönespecifikationen', 'OB-tillägg saknas i lönekörningen', 'AGI-filen avvisas av Skatteverket'],
    fi: ['Lomapalkka lasketaan väärin jaksolla {period}', 'Palkkalaskelmassa väärä veroprosentti', 'Iltalisät puuttuvat palkka-ajosta', 'Tulorekisteri-ilmoitus hylätään'],
  },
  time: {
    sv: ['Stämpelklockan registrerar inte utstämpling', 'Flextiden summeras fel för {period}', 'Attesterad tid försvinner från tidrapporten', 'Schemat visar fel arbetstid efter sommartid'],
    fi: ['Leimauskello ei kirjaa uloskirjausta', 'Liukuma summautuu väärin jaksolla {period}', 'Hyväksytty aika katoaa tuntiraportilta', 'Työvuorolista näyttää väärän ajan kesäajan jälkeen'],
  },
  staff: {
    sv: ['Kan inte lägga upp ny anställd', 'Anställningsavtalet skrivs ut utan logotyp', 'Behörigheter för chefer saknas', 'Personalregistret visar avslutade anställningar'],
    fi: ['Uutta työntekijää ei voi lisätä', 'Työsopimus tulostuu ilman logoa', 'Esimiesten käyttöoikeudet puuttuvat', 'Henkilörekisteri näyttää päättyneet työsuhteet'],
  },
  billing: {
    sv: ['Fakturor skickas inte som e-faktura', 'OCR-numret saknas på fakturan', 'ROT-avdraget räknas fel', 'Påminnelser skapas för betalda fakturor'],
    fi: ['Laskut eivät lähde verkkolaskuina', 'Viitenumero puuttuu laskulta', 'Kotitalousvähennys lasketaan väärin', 'Maksetuista laskuista syntyy muistutuksia'],
  },
  orders: {
    sv: ['Ordern går inte att överföra till faktura', 'Orderbekräftelsen visar fel pris', 'Restorder skapas dubbelt', 'Kan inte kopiera order från förra året'],
    fi: ['Tilausta ei voi siirtää laskulle', 'Tilausvahvistuksessa väärä hinta', 'Jälkitoimitus syntyy kahteen kertaan', 'Viime vuoden tilausta ei voi kopioida'],
  },
  projects: {
    sv: ['Projektets nedlagda tid visas inte', 'Projektrapporten stämmer inte mot fakturerat', 'Kan inte avsluta projekt {period}', 'Kostnader bokas på fel projekt'],
    fi: ['Projektin tunnit eivät näy', 'Projektiraportti ei täsmää laskutukseen', 'Projektia ei voi päättää jaksolla {period}', 'Kulut kirjautuvat väärälle projektille'],
  },
  inventory: {
    sv: ['Lagersaldot blir negativt vid leverans', 'Inventeringen går inte att slutföra', 'Fel lagervärde i rapporten för {period}', 'Streckkoder läses inte in'],
    fi: ['Varastosaldo menee miinukselle toimituksessa', 'Inventaariota ei voi päättää', 'Varaston arvo väärin raportilla jaksolla {period}', 'Viivakoodit eivät lue'],
  },
  purchasing: {
    sv: ['Inköpsordern skickas inte till leverantören', 'Leverantörsfakturan matchas inte mot order', 'Fel valuta på inköpsorder', 'Inleveransen går inte att registrera'],
    fi: ['Ostotilaus ei lähde toimittajalle', 'Ostolasku ei täsmää tilaukseen', 'Ostotilauksella väärä valuutta', 'Vastaanottoa ei voi kirjata'],
  },
  attest: {
    sv: ['Attestflödet fastnar hos frånvarande chef', 'Fakturor hamnar hos fel attestant', 'Kan inte ändra attestregler', 'Påminnelser om attest skickas inte'],
    fi: ['Hyväksyntä jumittuu poissa olevalle esimiehelle', 'Laskut menevät väärälle hyväksyjälle', 'Hyväksyntäsääntöjä ei voi muuttaa', 'Hyväksyntämuistutukset eivät lähde'],
  },
  mobile: {
    sv: ['Appen loggar ut efter uppdatering', 'Utlägg med kvitto laddas inte upp', 'Arbetsorder syns inte i mobilen', 'Appen kraschar vid tidrapportering'],
    fi: ['Sovellus kirjaa ulos päivityksen jälkeen', 'Kuitin lataus kululle ei onnistu', 'Työtilaus ei näy mobiilissa', 'Sovellus kaatuu tuntikirjauksessa'],
  },
  api: {
    sv: ['API-anropet returnerar 401 för vår integration', 'Kundregistret synkas inte till webbshoppen', 'Import av verifikationer misslyckas', 'Webhook för nya order slutade fungera'],
    fi: ['API-kutsu palauttaa 401 integraatiollemme', 'Asiakasrekisteri ei synkronoidu verkkokauppaan', 'Tositteiden tuonti epäonnistuu', 'Uusien tilausten webhook lakkasi toimimasta'],
  },
};

/** Wishes and work orders are about a module in general. */
export const CATEGORY_TITLES: Record<Extract<CategoryId, 'wish' | 'order'>, Record<Language, readonly string[]>> = {
  wish: {
    sv: ['Önskemål: export till Excel i {module}', 'Önskemål: fler filter i {module}', 'Önskemål: egna fält i {module}', 'Önskemål: massuppdatering i {module}'],
    fi: ['Toive: Excel-vienti moduuliin {module}', 'Toive: lisää suodattimia moduuliin {module}', 'Toive: omat kentät moduuliin {module}', 'Toive: massapäivitys moduuliin {module}'],
  },
  order: {
    sv: ['Beställning: utbildning i {module}', 'Beställning: konvertering av data till {module}', 'Beställning: anpassad rapport i {module}', 'Beställning: uppsättning av {module}'],
    fi: ['Työtilaus: koulutus moduuliin {module}', 'Työtilaus: tietojen konversio moduuliin {module}', 'Työtilaus: räätälöity raportti moduuliin {module}', 'Työtilaus: moduulin {module} käyttöönotto'],
  },
};

export const DESCRIPTIONS: Record<Language, readonly string[]> = {
  sv: [
    'Kunden uppger att problemet uppstod efter senaste releasen. Gäller flera användare.',
    'Superanvändaren har testat i en annan webbläsare med samma resultat. Skärmdump bifogad.',
    'Felet går att återskapa i kundens testmiljö. Kunden behöver hjälp före lönekörningen.',
    'Kunden vill ha en genomgång av hur funktionen ska användas och vad som ingår.',
  ],
  fi: [
    'Asiakkaan mukaan ongelma ilmeni viimeisimmän julkaisun jälkeen. Koskee useita käyttäjiä.',
    'Pääkäyttäjä on kokeillut toisella selaimella samalla tuloksella. Kuvakaappaus liitteenä.',
    'Virhe toistuu asiakkaan testiympäristössä. Asiakas tarvitsee apua ennen palkka-ajoa.',
    'Asiakas haluaa läpikäynnin toiminnon käytöstä ja siitä, mitä siihen sisältyy.',
  ],
};

export const NOTES: Record<Language, readonly string[]> = {
  sv: ['Ringde kunden, väntar på skärmdump.', 'Återskapat felet internt.', 'Kunden bekräftar att lösningen fungerar.'],
  fi: ['Soitin asiakkaalle, odotan kuvakaappausta.', 'Virhe toistettu sisäisesti.', 'Asiakas vahvistaa ratkaisun toimivan.'],
};

/** The demo desk's specialists: fixed, so the demo logins can be documented. */
export const DEMO_SPECIALISTS: ReadonlyArray<{ name: string; office: Office; teams: TeamId[]; lead?: true }> = [
  { name: 'Anna Lindqvist', office: 'SE', teams: [1, 2], lead: true },
  { name: 'Erik Johansson', office: 'SE', teams: [1] },
  { name: 'Maria Karlsson', office: 'SE', teams: [1] },
  { name: 'Johan Nilsson', office: 'SE', teams: [1] },
  { name: 'Mikael Olsson', office: 'SE', teams: [1] },
  { name: 'Sara Eriksson', office: 'SE', teams: [2] },
  { name: 'Lars Andersson', office: 'SE', teams: [2] },
  { name: 'Emma Persson', office: 'SE', teams: [2] },
  { name: 'Karin Gustafsson', office: 'SE', teams: [2] },
  { name: 'Oskar Svensson', office: 'SE', teams: [1, 2] },
  { name: 'Laura Virtanen', office: 'FI', teams: [1] },
  { name: 'Mikko Korhonen', office: 'FI', teams: [1] },
  { name: 'Elina Koskinen', office: 'FI', teams: [1] },
  { name: 'Juha Nieminen', office: 'FI', teams: [2] },
  { name: 'Sanna Heikkinen', office: 'FI', teams: [2] },
  { name: 'Timo Laine', office: 'FI', teams: [1, 2] },
];
