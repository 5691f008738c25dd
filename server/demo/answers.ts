/**
 * Demo answers: a few reply templates per team in Swedish and Finnish, and a small knowledge
 * base ("Frågor och Svar" / "UKK") over a few modules. Deterministic ids, so a demo is the same
 * every time. A bootstrap brings them (like the rest of the demo, they are not in the change feed).
 */
import type { Language, TeamId } from '../../shared/teams';
import type { ModuleId } from '../../shared/modules';
import type { Article, Template } from '../../shared/templates';
import type { Store } from '../store/store';

interface DemoTemplate {
  key: string;
  language: Language;
  team: TeamId;
  title: string;
  body: string;
}

const THANKS_SV = 'Hej {contact.firstName},\n\nTack för ditt ärende! Vi har registrerat det som ärende {case.number} ({case.title}) och återkommer så snart vi har tittat på det.\n\nMed vänliga hälsningar\n{specialist.name}\nSoftOne Support';
const THANKS_FI = 'Hei {contact.firstName},\n\nKiitos yhteydenotostasi! Olemme kirjanneet asian tukipyynnöksi {case.number} ({case.title}) ja palaamme asiaan heti, kun olemme selvittäneet sen.\n\nYstävällisin terveisin\n{specialist.name}\nSoftOne-asiakastuki';

const TEMPLATES: DemoTemplate[] = ([1, 2] as const).flatMap((team): DemoTemplate[] => [
  { key: 'thanks', language: 'sv', team, title: 'Tack för ditt ärende', body: THANKS_SV },
  { key: 'thanks', language: 'fi', team, title: 'Kiitos yhteydenotostasi', body: THANKS_FI },
  {
    key: 'bug',
    language: 'sv',
    team,
    title: 'Fel bekräftat – åtgärdas',
    body: 'Hej {contact.firstName},\n\nVi har kunnat återskapa felet i ärende {case.number} och lämnat det till produktavdelningen. Enligt er servicenivå ska det vara åtgärdat senast {sla.resolveBy}. Vi hör av oss när rättningen finns i en version.\n\nMed vänliga hälsningar\n{specialist.name}',
  },
  {
    key: 'bug',
    language: 'fi',
    team,
    title: 'Virhe vahvistettu – korjataan',
    body: 'Hei {contact.firstName},\n\nOlemme pystyneet toistamaan tukipyynnön {case.number} virheen ja siirtäneet sen tuoteosastolle. Palvelutasonne mukaan se korjataan viimeistään {sla.resolveBy}. Ilmoitamme, kun korjaus on julkaistu.\n\nYstävällisin terveisin\n{specialist.name}',
  },
  {
    key: 'more-info',
    language: 'sv',
    team,
    title: 'Behöver mer information',
    body: 'Hej {contact.firstName},\n\nFör att kunna hjälpa dig med ärende {case.number} behöver vi lite mer information: vilken modul det gäller, vad du gjorde precis innan och gärna en skärmbild av felmeddelandet.\n\nMed vänliga hälsningar\n{specialist.name}',
  },
  {
    key: 'more-info',
    language: 'fi',
    team,
    title: 'Tarvitsemme lisätietoja',
    body: 'Hei {contact.firstName},\n\nJotta voimme auttaa tukipyynnössä {case.number}, tarvitsemme hieman lisätietoja: mitä moduulia asia koskee, mitä teit juuri ennen virhettä ja mielellään kuvakaappauksen virheilmoituksesta.\n\nYstävällisin terveisin\n{specialist.name}',
  },
  {
    key: 'closing',
    language: 'sv',
    team,
    title: 'Ärendet avslutas',
    body: 'Hej {contact.firstName},\n\nVi har inte hört något mer om ärende {case.number} och avslutar det nu. Hör gärna av dig igen om frågan dyker upp på nytt.\n\nMed vänliga hälsningar\n{specialist.name}',
  },
  {
    key: 'closing',
    language: 'fi',
    team,
    title: 'Tukipyyntö suljetaan',
    body: 'Hei {contact.firstName},\n\nEmme ole kuulleet tukipyynnöstä {case.number} enempää, joten suljemme sen nyt. Otathan uudelleen yhteyttä, jos asia tulee vastaan uudestaan.\n\nYstävällisin terveisin\n{specialist.name}',
  },
]);

type DemoArticle = [language: Language, module: ModuleId, isPublic: boolean, title: string, body: string];

const ARTICLES: DemoArticle[] = [
  ['sv', 'finance', true, 'Hur stänger jag en period i ekonomin?', 'Gå till **Ekonomi > Periodstängning**.\n\n- Kontrollera att alla verifikationer är bokförda.\n- Välj perioden och klicka på Stäng.\n\nEn stängd period kan öppnas igen av en SuperUser.'],
  ['sv', 'finance', true, 'Momsrapporten visar fel belopp', 'Kontrollera momskoderna på kontona i kontoplanen. Ett konto utan momskod kommer inte med i rapporten.\n\nKör sedan rapporten igen för hela perioden.'],
  ['sv', 'payroll', true, 'Lönekörningen går inte att attestera', 'Alla tidrapporter för perioden måste vara attesterade innan lönekörningen kan attesteras.\n\n- Öppna **Tid > Attest** och filtrera på ej attesterade.\n- Be respektive chef att attestera.'],
  ['sv', 'payroll', true, 'Semesterskuld stämmer inte efter årsskiftet', 'Semesterårsskiftet måste köras innan första lönekörningen på det nya semesteråret. Kör **Lön > Semesterårsskifte** och beräkna sedan om semesterskulden.'],
  ['sv', 'time', true, 'Stämpelklockan i mobilen synkar inte', 'Logga ut och in i mobilappen. Kontrollera att telefonens datum och tid ställs automatiskt; en klocka som går fel stoppar synkningen.'],
  ['sv', 'billing', true, 'Fakturan skickas inte som e-faktura', 'Kunden måste ha en giltig e-fakturaadress (GLN eller Peppol-id) och fakturametoden **E-faktura** på kundkortet.'],
  ['sv', 'billing', false, 'Intern: så krediterar du en faktura åt kunden', 'Endast efter godkännande från kundens SuperUser. Skapa kreditfakturan från originalfakturan, aldrig som en ny faktura, så att reskontran stämmer.'],
  ['sv', 'orders', true, 'Ordern går inte att fakturera', 'En order kan faktureras först när den har status **Levererad**. Kontrollera att alla rader har levererat antal.'],
  ['sv', 'api', true, 'API-nyckeln slutar fungera', 'API-nycklar gäller i ett år. En SuperUser skapar en ny nyckel under **Inställningar > API** och byter ut den i integrationen.'],
  ['sv', 'staff', true, 'Glömt lösenord', 'Klicka på **Glömt lösenord?** på inloggningssidan. En länk skickas till den e-postadress som är registrerad för ditt konto.'],
  ['fi', 'finance', true, 'Miten suljen kauden taloushallinnossa?', 'Valitse **Talous > Kauden sulkeminen**.\n\n- Tarkista, että kaikki tositteet on kirjattu.\n- Valitse kausi ja napsauta Sulje.\n\nSuljetun kauden voi avata uudelleen pääkäyttäjä.'],
  ['fi', 'finance', true, 'ALV-raportti näyttää väärää summaa', 'Tarkista tilikartan tilien ALV-koodit. Tili, jolla ei ole ALV-koodia, ei tule mukaan raporttiin.\n\nAja raportti sen jälkeen uudelleen koko kaudelta.'],
  ['fi', 'payroll', true, 'Palkka-ajoa ei voi hyväksyä', 'Kaikki kauden tuntikirjaukset on hyväksyttävä ennen kuin palkka-ajon voi hyväksyä.\n\n- Avaa **Työaika > Hyväksyntä** ja suodata hyväksymättömät.\n- Pyydä esihenkilöitä hyväksymään ne.'],
  ['fi', 'payroll', true, 'Lomapalkkavelka ei täsmää lomavuoden vaihteen jälkeen', 'Lomavuoden vaihto on ajettava ennen uuden lomavuoden ensimmäistä palkka-ajoa. Aja **Palkat > Lomavuoden vaihto** ja laske lomapalkkavelka uudelleen.'],
  ['fi', 'time', true, 'Mobiilileimaus ei synkronoidu', 'Kirjaudu ulos mobiilisovelluksesta ja takaisin sisään. Tarkista, että puhelimen päivämäärä ja aika asetetaan automaattisesti; väärässä oleva kello estää synkronoinnin.'],
  ['fi', 'billing', true, 'Lasku ei lähde verkkolaskuna', 'Asiakkaalla on oltava voimassa oleva verkkolaskuosoite (OVT- tai Peppol-tunnus) ja asiakaskortilla laskutustapa **Verkkolasku**.'],
  ['fi', 'billing', false, 'Sisäinen: näin hyvität laskun asiakkaan puolesta', 'Vain asiakkaan pääkäyttäjän hyväksynnällä. Luo hyvityslasku alkuperäisestä laskusta, ei uutena laskuna, jotta reskontra täsmää.'],
  ['fi', 'orders', true, 'Tilausta ei voi laskuttaa', 'Tilauksen voi laskuttaa vasta, kun sen tila on **Toimitettu**. Tarkista, että kaikilla riveillä on toimitettu määrä.'],
  ['fi', 'api', true, 'API-avain lakkaa toimimasta', 'API-avaimet ovat voimassa vuoden. Pääkäyttäjä luo uuden avaimen kohdassa **Asetukset > API** ja vaihtaa sen integraatioon.'],
  ['fi', 'staff', true, 'Unohtunut salasana', 'Napsauta kirjautumissivulla kohtaa **Unohditko salasanasi?**. Linkki lähetetään tiliisi rekisteröityyn sähköpostiosoitteeseen.'],
];

/** Writes the demo templates and articles, by `authorId` (a lead), into the change feed too. */
export function seedAnswers(store: Store, authorId: string, now: Date): { templates: number; articles: number } {
  const at = now.toISOString();
  for (const t of TEMPLATES) {
    const template: Template = {
      id: `demo-template-${t.team}-${t.language}-${t.key}`,
      language: t.language,
      scope: { kind: 'team', team: t.team },
      title: t.title,
      body: t.body,
      updatedAt: at,
      updatedBy: authorId,
      deletedAt: null,
    };
    store.templates.save(template);
  }
  ARTICLES.forEach(([language, module, isPublic, title, body], i) => {
    const article: Article = { id: `demo-article-${language}-${i + 1}`, language, module, public: isPublic, title, body, updatedAt: at, updatedBy: authorId, deletedAt: null };
    store.articles.save(article);
  });
  return { templates: TEMPLATES.length, articles: ARTICLES.length };
}
