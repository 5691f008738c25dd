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
  /** The contact's own fields that go (name, e-mail, phone, SuperUser, trained modules), and their customer-centre account if they have one. */
  fields: z.array(z.enum(['name', 'email', 'phone', 'superUser', 'trainedModules', 'centreAccount'])),
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
  /** Stored mails whose address or text changes (their mail events are counted in `events`). */
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
  // The customer centre: a customer reading their company's cases, logging in and out.
  'centre_cases',
  'centre_case_view',
  'centre_login',
  'centre_login_failed',
  'centre_login_throttled',
  'centre_logout',
  'centre_file_download',
  // The customer centre: a customer reading their support logins, their own logins, an article of Q&A.
  'centre_grants',
  'centre_sessions',
  'centre_article_view',
] as const;
export type ReadAuditAction = (typeof READ_AUDIT_ACTIONS)[number];

/**
 * Every admin action the audit log records (the audit view names each in words; a new action
 * goes here first, then into the words of the admin namespace).
 */
export const ADMIN_AUDIT_ACTIONS = [
  // Accounts (the lead's and the account's own).
  'account_create',
  /** name, role, teams, office or language changed */
  'account_update',
  'account_disable',
  'account_enable',
  'password_reset_issued',
  'password_reset_used',
  'password_changed',
  'password_change_failed',
  'two_factor_enrolled',
  'two_factor_disabled',
  'recovery_code_used',
  'session_revoked',
  /** the phone-switch token differs from the one the server last started with */
  'cti_token_change',
  /** a lead's search for a person on the GDPR screen (the detail counts what was found, never the query) */
  'gdpr_search',
  'gdpr_export',
  /** an anonymisation (also re-applied to a restored database: route `restore`) */
  'anonymise',
  /** a contact's details rectified */
  'update',
  'template_create',
  'template_update',
  'template_delete',
  'article_create',
  'article_update',
  'article_delete',
  /** the lead's customer register: a customer created or changed, a contact added or changed */
  'customer_create',
  'customer_update',
  'contact_create',
  'contact_update',
  /** an import of customers and contacts (detail: its counts) */
  'customer_import',
  /** a report read (detail: its name, period, grouping, filters and format) */
  'report_view',
  /** SLA escalation settings saved; a calendar exception added or removed */
  'escalation_settings',
  'calendar_exception_add',
  'calendar_exception_remove',
  /** the customer centre: an invitation, a password set, a reset asked for, a case registered, a reply */
  'centre_invite',
  'centre_password_set',
  'centre_reset_requested',
  'centre_case_create',
  'centre_reply',
  /** the customer centre: a support login granted, or ended early */
  'centre_grant_create',
  'centre_grant_revoke',
  /** the customer centre: a file uploaded (then named in a case or reply) */
  'centre_upload',
  /** the customer centre's account page: a password changed (or refused, or throttled), a login ended, all others ended */
  'centre_password_changed',
  'centre_password_change_failed',
  'centre_password_change_throttled',
  'centre_session_end',
  'centre_sessions_end_others',
] as const;
export type AdminAuditActionName = (typeof ADMIN_AUDIT_ACTIONS)[number];

/** Every action the audit log may record: the store takes no other name (the audit view has words for each). */
export type AuditActionName = ReadAuditAction | AdminAuditActionName;

/** The largest GDPR export as a ZIP (its files' bytes); a larger one is refused (413 too_large). */
export const GDPR_ZIP_MAX_BYTES = 200 * 1024 * 1024;
