/**
 * The customer centre's account page and live channel: the contract between the centre's web app
 * and the server. The SuperUser changes the password while signed in (the desk's password rules:
 * NewPasswordSchema here, the strength check on the server), sees and ends their own sessions,
 * and keeps one live socket that says only "your company's case X changed" (never data: the
 * centre then asks for the case as always).
 */
import { z } from 'zod';
import { NewPasswordSchema } from './api';
import { Id, Instant } from './contract';
import type { Language } from './teams';

/** Changing the password while signed in: the current one (throttled like a login), the new one by the desk's rules. */
export const CentreChangePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1, 'enter your current password').max(200),
  newPassword: NewPasswordSchema,
});
export type CentreChangePasswordRequest = z.infer<typeof CentreChangePasswordRequestSchema>;
/** How many other sessions of the account the change ended. */
export const CentreChangePasswordResponseSchema = z.object({ ended: z.number().int().min(0) });

/** One of the SuperUser's own sessions; `current` is the one asking. Never a token or its hash. */
export const CentreSessionInfoSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  createdAt: Instant,
  lastSeenAt: Instant,
  address: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type CentreSessionInfo = z.infer<typeof CentreSessionInfoSchema>;
export const CentreSessionsResponseSchema = z.object({ sessions: z.array(CentreSessionInfoSchema) });
/** A session's id in the path: anything else is a 404. */
export const CentreSessionIdSchema = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'session not found') });
/** "Sign out everywhere else": how many sessions ended. */
export const CentreSessionsEndedSchema = z.object({ ended: z.number().int().min(0) });

// ---- The live channel ---------------------------------------------------------------------------

/** The first (and only) message a centre's socket sends: its customer session's token. */
export const CentreLiveClientMessageSchema = z.object({ type: z.literal('auth'), token: z.string().min(1).max(200) });
/**
 * What the server says: hello once authenticated, which of the company's cases changed (and
 * `grants: true` when one of its support logins was granted, recorded or ended: the grants page
 * asks again; `caseIds` may then be empty), and a heartbeat.
 */
export const CentreLiveMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello') }),
  z
    .object({ type: z.literal('changed'), caseIds: z.array(Id), grants: z.literal(true).optional() })
    .refine((m) => m.caseIds.length > 0 || m.grants === true, { error: 'a notice names a case or the grants', path: ['caseIds'] }),
  z.object({ type: z.literal('ping'), at: Instant }),
]);
export type CentreLiveMessage = z.infer<typeof CentreLiveMessageSchema>;

/** The mail that tells the SuperUser their password was changed (and what to do if it was not them). */
export function centrePasswordChangedMail(language: Language, name: string, when: string, centreUrl: string): { subject: string; text: string } {
  const first = name.trim().split(/\s+/)[0] ?? '';
  if (language === 'fi') {
    return {
      subject: 'Salasanasi on vaihdettu – Digitaalinen asiakaskeskus',
      text: [
        first === '' ? 'Hei,' : `Hei ${first},`,
        '',
        `Digitaalisen asiakaskeskuksen salasanasi vaihdettiin ${when}. Muut kirjautumisesi päätettiin.`,
        '',
        'Jos et vaihtanut salasanaa itse, valitse heti uusi salasana kirjautumissivun linkistä "Unohtuiko salasana?" ja ota yhteyttä SoftOnen asiakastukeen.',
        centreUrl,
        '',
        'Ystävällisin terveisin',
        'SoftOne Asiakastuki',
      ].join('\n'),
    };
  }
  return {
    subject: 'Ditt lösenord har ändrats – Digitala Kundcentret',
    text: [
      first === '' ? 'Hej,' : `Hej ${first},`,
      '',
      `ditt lösenord till Digitala Kundcentret ändrades ${when}. Dina andra inloggningar har avslutats.`,
      '',
      'Om det inte var du som ändrade det: välj genast ett nytt lösenord via "Glömt lösenordet?" på inloggningssidan och kontakta SoftOne Support.',
      centreUrl,
      '',
      'Med vänliga hälsningar',
      'SoftOne Support',
    ].join('\n'),
  };
}
