/**
 * The lead's desk's admin part (accounts, GDPR, audit): the contract of the routes the screens
 * add to those of shared/api.ts (lead only, audited).
 */
import { z } from 'zod';
import { CallSchema, ContactSchema, Id } from './contract';
import { AuditQuerySchema } from './api';

/** A person looked for by name, e-mail or phone (`GET ROUTES.gdprSearch?q=`). */
export const GdprSearchQuerySchema = z.object({ q: z.string().trim().min(2).max(100) });

/** A contact found, anonymised ones too (marked by the contact's `anonymisedAt`). */
export const GdprSearchContactSchema = z.object({ contact: ContactSchema, customerName: z.string() });
/** A number in the call log that no contact has: its calls are all Desk holds about that person. */
export const GdprSearchNumberSchema = z.object({ number: z.string(), calls: z.array(CallSchema) });
export const GdprSearchResultSchema = z.object({
  contacts: z.array(GdprSearchContactSchema),
  numbers: z.array(GdprSearchNumberSchema),
});
export type GdprSearchResult = z.infer<typeof GdprSearchResultSchema>;

/**
 * What an anonymisation of the contact would do now, counted by the anonymiser itself (run and
 * rolled back): the cases stay, the rest goes.
 */
export const AnonymisePreviewSchema = z.object({
  contactId: Id,
  /** The contact's own fields that go (name, e-mail, phone, SuperUser, trained modules). */
  fields: z.array(z.enum(['name', 'email', 'phone', 'superUser', 'trainedModules'])),
  /** Their cases: kept, with their history. */
  casesKept: z.number().int(),
  /** Cases whose title or description names them. */
  casesChanged: z.number().int(),
  /** Case events naming them (notes, call entries, mail). */
  events: z.number().int(),
  /** Calls whose number goes. */
  calls: z.number().int(),
  /** Their files, removed. */
  attachments: z.number().int(),
  /** Mail whose sender or recipient address goes. */
  mails: z.number().int(),
  alreadyAnonymised: z.boolean(),
});
export type AnonymisePreview = z.infer<typeof AnonymisePreviewSchema>;

/** The audit log's query with `kind=admin`: admin actions only (no plain reads of personal data). */
export const AdminAuditQuerySchema = AuditQuerySchema.extend({ kind: z.enum(['all', 'admin']).default('all') });

/** The audit actions that are plain reads of personal data or logins, not admin actions. */
export const READ_AUDIT_ACTIONS = [
  'sync',
  'view',
  'search',
  'call',
  'gdpr_overview',
  'attachment_download',
  'login',
  'login_failed',
  'login_code_failed',
  'login_throttled',
] as const;

/** The largest GDPR export as a ZIP (its files' bytes); a larger one is refused (413 too_large). */
export const GDPR_ZIP_MAX_BYTES = 200 * 1024 * 1024;
