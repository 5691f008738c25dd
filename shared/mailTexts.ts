/**
 * What Desk writes to customers by mail, in Swedish and Finnish, in the brochures' words: the
 * automatic acknowledgement of a new case ("you get a case number to refer to when you call or
 * write to our product specialists"), the title of a mail without a subject, and the line above a
 * quoted mail. The customer centre reuses them.
 */
import type { Language } from './teams';

/** The title of a case from a mail without a subject. */
export const NO_SUBJECT: Record<Language, string> = { sv: '(Inget ämne)', fi: '(Ei aihetta)' };

/** The automatic reply to a mail that registered a case: the case number to quote. */
export function autoReplyText(language: Language, caseNumber: number, name: string | null): string {
  const first = name?.trim().split(/\s+/)[0] ?? '';
  if (language === 'fi') {
    return [
      first === '' ? 'Hei,' : `Hei ${first},`,
      '',
      `kiitos viestistäsi. Olemme vastaanottaneet tukipyyntösi, ja sen numero on ${caseNumber}.`,
      'Voit käyttää numeroa viitteenä, kun soitat tai lähetät sähköpostia tuoteasiantuntijoillemme.',
      'Kun vastaat tähän viestiin, pidä numero otsikossa, niin viestisi liitetään samaan tukipyyntöön.',
      '',
      'Tämä on automaattinen vastaus. Tuoteasiantuntijamme palaavat asiaan mahdollisimman pian.',
      '',
      'Ystävällisin terveisin',
      'SoftOne Asiakastuki',
    ].join('\n');
  }
  return [
    first === '' ? 'Hej,' : `Hej ${first},`,
    '',
    `tack för ditt mejl. Vi har tagit emot ditt ärende och det har fått ärendenummer ${caseNumber}.`,
    'Hänvisa gärna till ärendenumret när du kontaktar våra produktspecialister via e-post eller telefon.',
    'Behåll ärendenumret i ämnesraden när du svarar, så hamnar ditt svar i samma ärende.',
    '',
    'Detta är ett automatiskt svar. Våra produktspecialister återkommer så snart de kan.',
    '',
    'Med vänliga hälsningar',
    'SoftOne Support',
  ].join('\n');
}

/** "Anna Svensson wrote on 7 December 2026 at 10:15:" above a quoted mail. */
export function quoteIntro(language: Language, name: string, when: string): string {
  return language === 'fi' ? `${name} kirjoitti ${when}:` : `${name} skrev ${when}:`;
}
