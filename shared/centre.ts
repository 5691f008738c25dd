/**
 * The digital customer centre (Digitala Kundcentret / Digitaalinen asiakaskeskus): the contract
 * between the centre's web app and the server, and the centre's few rules. A customer's SuperUser
 * registers and follows the company's cases; the same case rules as the desk (CreateCaseArgs,
 * the flows, the service levels) apply.
 */
import { z } from 'zod';
import { CreateCaseArgs, NewPasswordSchema } from './api';
import { CATEGORY_IDS, isOpenStatus, type CategoryId } from './categories';
import { CaseNumberSchema, CategorySchema, EmailSchema, Id, Instant, LanguageSchema, ModuleSchema, OfficeSchema, ServiceLevelSchema, StatusSchema, type CaseEvent } from './contract';
import { ATTACHMENT_NAME_MAX, ATTACHMENTS_PER_EVENT_MAX, mailData } from './mail';
import type { Language } from './teams';

/** A customer's session token starts with this; a specialist's never does. */
export const CENTRE_TOKEN_PREFIX = 'dcc_';
/** An invitation link is valid this long, once. */
export const CENTRE_INVITE_HOURS = 72;
/** A password-reset link is valid this long, once. */
export const CENTRE_RESET_MINUTES = 60;
/** Reset mails per account per hour, at most: a stranger cannot fill a SuperUser's inbox. */
export const CENTRE_RESETS_PER_HOUR = 3;

/** The lead's invitation of a contact (a SuperUser) to the centre. */
export const CentreInvitationRequestSchema = z.object({ contactId: Id });
export const CentreInvitationResponseSchema = z.object({ contactId: Id, email: EmailSchema, expiresAt: Instant });

export const CentreLoginRequestSchema = z.object({
  email: z.string().trim().min(1, 'enter your e-mail address').max(254),
  password: z.string().min(1, 'enter your password').max(200),
});
/** A password set from an invitation or reset link: the link's token and the new password (the desk's rules). */
export const CentreTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'the link is not valid');
export const CentreSetPasswordRequestSchema = z.object({ token: CentreTokenSchema, password: NewPasswordSchema });
export const CentreResetRequestSchema = z.object({ email: EmailSchema });

export const CentreModuleSchema = z.object({ id: ModuleSchema, trained: z.boolean() });
export const CentreMeSchema = z.object({
  contact: z.object({ id: Id, name: z.string(), email: EmailSchema }),
  customer: z.object({ id: Id, name: z.string(), language: LanguageSchema, country: OfficeSchema }),
  /** The company's licensed modules, and whether this SuperUser is trained on each. */
  modules: z.array(CentreModuleSchema),
  overduePayment: z.boolean(),
});
export type CentreMe = z.infer<typeof CentreMeSchema>;
export const CentreSessionSchema = z.object({ token: z.string(), expiresAt: Instant, me: CentreMeSchema });
export type CentreSession = z.infer<typeof CentreSessionSchema>;

/**
 * Files uploaded first (`ROUTES.centreUploads`), named in a new case or a reply: at most as many as
 * the desk puts on one note or mail, each once.
 */
export const CentreFileIdsSchema = z
  .array(Id)
  .max(ATTACHMENTS_PER_EVENT_MAX, `at most ${ATTACHMENTS_PER_EVENT_MAX} files`)
  .refine((ids) => new Set(ids).size === ids.length, 'a file is named twice')
  .default([]);

/**
 * A new case from the centre: the desk's own fields and rules (CreateCaseArgs); the server adds
 * the number, the customer and contact (the session's), the channel (portal) and the team.
 */
export const CentreCaseRequestSchema = CreateCaseArgs.pick({ module: true, category: true, serviceLevel: true, title: true, description: true }).extend({ files: CentreFileIdsSchema });
export type CentreCaseRequest = z.infer<typeof CentreCaseRequestSchema>;

/** When a case's handling and resolution are expected (bugs with a service level). */
export const CentreSlaSchema = z.object({ handlingBy: Instant, resolveBy: Instant, earliest: Instant.nullable() });

export const CentreCaseSummarySchema = z.object({
  id: Id,
  number: CaseNumberSchema,
  title: z.string(),
  module: ModuleSchema,
  category: CategorySchema,
  serviceLevel: ServiceLevelSchema.nullable(),
  status: StatusSchema,
  registeredAt: Instant,
  resolvedAt: Instant.nullable(),
  sla: CentreSlaSchema.nullable(),
});
export type CentreCaseSummary = z.infer<typeof CentreCaseSummarySchema>;
export const CentreCasesResponseSchema = z.object({ cases: z.array(CentreCaseSummarySchema) });

/** What the customer sees of a case's history: the mails both ways and the status steps, never notes. */
export const CentreEntrySchema = z.discriminatedUnion('kind', [
  z.object({ id: Id, kind: z.literal('mail'), at: Instant, direction: z.enum(['in', 'out']), text: z.string(), auto: z.boolean() }),
  z.object({ id: Id, kind: z.literal('status'), at: Instant, to: StatusSchema }),
]);
export type CentreEntry = z.infer<typeof CentreEntrySchema>;
export const CentreCaseResponseSchema = z.object({
  case: CentreCaseSummarySchema.extend({ description: z.string() }),
  entries: z.array(CentreEntrySchema),
  /** A closed case older than the reopening window takes no reply: register a new case. */
  replyable: z.boolean(),
  /** The files of the registration (`entryId` null) and of the public entries, never of a note. */
  files: z.array(z.lazy(() => CentreFileSchema)).default([]),
});
export type CentreCaseResponse = z.infer<typeof CentreCaseResponseSchema>;
export const CentreReplyRequestSchema = z.object({ text: z.string().trim().min(1, 'write your reply').max(20_000), files: CentreFileIdsSchema });

/**
 * The part of a case's history a customer may see: mails in and out (a customer's reply, the
 * specialists' replies to the customer, the acknowledgement) and status changes. Internal notes,
 * calls, assignments, transfers, minutes and edits never leave the desk.
 */
export function publicEntries(events: readonly CaseEvent[]): CentreEntry[] {
  const entries: CentreEntry[] = [];
  for (const e of events) {
    if (e.kind === 'mail') {
      const data = mailData(e.data);
      if (!data || data.status === 'failed' || (data.direction === 'in' && data.auto === true)) continue;
      entries.push({ id: e.id, kind: 'mail', at: e.at, direction: data.direction, text: e.text ?? '', auto: data.auto === true });
    } else if (e.kind === 'status') {
      const to = StatusSchema.safeParse(e.data.to);
      if (to.success) entries.push({ id: e.id, kind: 'status', at: e.at, to: to.data });
    }
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

/** The centre's list: open and resolved cases, each grouped by the four categories in the brochure's order. */
export function groupCases<C extends { category: CategoryId; status: CentreCaseSummary['status'] }>(cases: readonly C[]): Record<'open' | 'resolved', Record<CategoryId, C[]>> {
  const empty = (): Record<CategoryId, C[]> => Object.fromEntries(CATEGORY_IDS.map((c) => [c, [] as C[]])) as Record<CategoryId, C[]>;
  const groups = { open: empty(), resolved: empty() };
  for (const c of cases) groups[isOpenStatus(c.status) ? 'open' : 'resolved'][c.category].push(c);
  return groups;
}

/** The acknowledgement of a case registered in the centre: the number to quote. */
export function centreAckText(language: Language, caseNumber: number, name: string | null): string {
  const first = name?.trim().split(/\s+/)[0] ?? '';
  if (language === 'fi') {
    return [
      first === '' ? 'Hei,' : `Hei ${first},`,
      '',
      `olemme vastaanottaneet Digitaalisessa asiakaskeskuksessa kirjaamasi asian, ja sen numero on ${caseNumber}.`,
      'Voit käyttää numeroa viitteenä, kun soitat tai lähetät sähköpostia tuoteasiantuntijoillemme.',
      'Voit seurata asiasi tilaa asiakaskeskuksessa.',
      '',
      'Ystävällisin terveisin',
      'SoftOne Asiakastuki',
    ].join('\n');
  }
  return [
    first === '' ? 'Hej,' : `Hej ${first},`,
    '',
    `vi har tagit emot ärendet du registrerade i Digitala Kundcentret, och det har fått ärendenummer ${caseNumber}.`,
    'Hänvisa gärna till ärendenumret när du kontaktar våra produktspecialister via e-post eller telefon.',
    'Du kan följa ärendets status i kundcentret.',
    '',
    'Med vänliga hälsningar',
    'SoftOne Support',
  ].join('\n');
}

/** The invitation or reset mail: its subject and text with the link. */
export function centreLinkMail(kind: 'invite' | 'reset', language: Language, name: string, link: string, validFor: string): { subject: string; text: string } {
  const first = name.trim().split(/\s+/)[0] ?? '';
  if (language === 'fi') {
    return kind === 'invite'
      ? {
          subject: 'Kutsu Digitaaliseen asiakaskeskukseen',
          text: [`Hei ${first},`, '', 'sinut on kutsuttu yrityksesi SuperUseriksi SoftOnen Digitaaliseen asiakaskeskukseen. Siellä voit kirjata ja seurata yrityksesi asioita.', '', `Valitse salasanasi tästä linkistä (voimassa ${validFor}, kerran):`, link, '', 'Ystävällisin terveisin', 'SoftOne Asiakastuki'].join('\n'),
        }
      : {
          subject: 'Salasanan vaihto – Digitaalinen asiakaskeskus',
          text: [`Hei ${first},`, '', 'joku (toivottavasti sinä) pyysi uutta salasanaa Digitaaliseen asiakaskeskukseen.', '', `Valitse uusi salasana tästä linkistä (voimassa ${validFor}, kerran):`, link, '', 'Jos et pyytänyt tätä, voit jättää viestin huomiotta.', '', 'Ystävällisin terveisin', 'SoftOne Asiakastuki'].join('\n'),
        };
  }
  return kind === 'invite'
    ? {
        subject: 'Inbjudan till Digitala Kundcentret',
        text: [`Hej ${first},`, '', 'du har bjudits in som SuperUser för ditt företag i SoftOnes Digitala Kundcentret. Där registrerar och följer du ditt företags ärenden.', '', `Välj ditt lösenord via länken (giltig ${validFor}, en gång):`, link, '', 'Med vänliga hälsningar', 'SoftOne Support'].join('\n'),
      }
    : {
        subject: 'Nytt lösenord – Digitala Kundcentret',
        text: [`Hej ${first},`, '', 'någon (förhoppningsvis du) bad om ett nytt lösenord till Digitala Kundcentret.', '', `Välj ett nytt lösenord via länken (giltig ${validFor}, en gång):`, link, '', 'Om du inte bad om det kan du bortse från mejlet.', '', 'Med vänliga hälsningar', 'SoftOne Support'].join('\n'),
      };
}

// ---- Files: screenshots and documents a customer attaches ------------------------------------

/** An upload not named in a case or reply within this many hours is deleted (the server's sweep). */
export const CENTRE_UPLOAD_KEEP_HOURS = 24;
/**
 * Uploads of one person waiting to be named in a case or reply: at most this many (more than the
 * files a case or reply may name, ATTACHMENTS_PER_EVENT_MAX)...
 */
export const CENTRE_PENDING_UPLOADS_MAX = 40;
/** ...and at most this many times the size limit of one file (`DESK_ATTACHMENT_MAX_MB`) in all. */
export const CENTRE_PENDING_UPLOAD_FILES_OF_MAX_SIZE = 4;

/**
 * The kinds of file a customer may attach, by the type read from the bytes (never the name):
 * pictures, PDF, plain text and logs, office documents, archives and screen recordings. Programs,
 * scripts and bytes of no known kind are refused.
 */
export const CENTRE_FILE_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/tiff',
  'image/heic',
  'application/pdf',
  'text/plain',
  'text/csv',
  'text/calendar',
  'text/markdown',
  'text/tab-separated-values',
  'application/json',
  'application/xml',
  'application/zip',
  'application/x-7z-compressed',
  'application/x-cfb',
  'application/rtf',
  'video/mp4',
  'video/webm',
  'video/quicktime',
];
const OFFICE_TYPES = /^application\/vnd\.(openxmlformats-officedocument\.|oasis\.opendocument\.|ms-excel|ms-powerpoint|ms-outlook)/;

/** Whether a customer may attach a file of this (sniffed) type. */
export function centreFileAllowed(contentType: string): boolean {
  return CENTRE_FILE_TYPES.includes(contentType) || OFFICE_TYPES.test(contentType);
}

/** The upload's headers: the file's name (URI-encoded, like the desk's upload). */
export const CENTRE_UPLOAD_HEADERS = { name: 'x-file-name' } as const;
export const CentreUploadHeadersSchema = z.object({ [CENTRE_UPLOAD_HEADERS.name]: z.string().min(1, 'name the file').max(2000) });

/** A file as the customer sees it. */
export const CentreFileSchema = z.object({
  id: Id,
  /** The public entry it came with; null for the files of the registration. */
  entryId: Id.nullable(),
  name: z.string().min(1).max(ATTACHMENT_NAME_MAX),
  size: z.number().int().min(0),
  contentType: z.string(),
});
export type CentreFile = z.infer<typeof CentreFileSchema>;
export const CentreUploadResponseSchema = z.object({ upload: CentreFileSchema.omit({ entryId: true }) });
export type CentreUpload = z.infer<typeof CentreUploadResponseSchema>['upload'];

/**
 * The events whose files a customer may see: the registration (`created`) and the public
 * entries (`publicEntries`), never a note, call or edit.
 */
export function centreFileEvents(events: readonly CaseEvent[]): Set<string> {
  const ids = new Set(publicEntries(events).map((e) => e.id));
  for (const e of events) if (e.kind === 'created') ids.add(e.id);
  return ids;
}
