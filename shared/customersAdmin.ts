/**
 * The lead's customer register: creating and editing customers and their contacts (lead-only
 * routes), and the import of an ERP/CRM export (CSV or JSON, one row per contact). The
 * SuperUser quota itself is a rule of shared/entitlement.ts (`superUserQuotaRefusal`).
 */
import { z } from 'zod';
import { ContactSchema, CustomerSchema, type Customer, EmailSchema, IndustrySchema, LanguageSchema, ModuleSchema, OfficeSchema, PersonName } from './contract';
import { MODULE_IDS, type ModuleId } from './modules';
import { DEFAULT_SUPERUSER_QUOTA } from './entitlement';

/** A phone number as typed: normalised to E.164 by the server in the customer's country (`normalizePhone`). */
export const TypedPhoneSchema = z.string().trim().max(40);

const atLeastOne = { message: 'at least one field to change' };

export const CreateCustomerRequestSchema = CustomerSchema.omit({ id: true }).extend({
  licensedModules: z.array(ModuleSchema).default([]),
  paymentStatus: z.enum(['ok', 'overdue']).default('ok'),
  superUserQuota: z.number().int().min(2).max(4).default(DEFAULT_SUPERUSER_QUOTA),
});
export type CreateCustomerRequest = z.infer<typeof CreateCustomerRequestSchema>;

export const UpdateCustomerRequestSchema = CustomerSchema.omit({ id: true })
  .partial()
  .refine((f) => Object.keys(f).length > 0, atLeastOne);
export type UpdateCustomerRequest = z.infer<typeof UpdateCustomerRequestSchema>;

export const CreateContactAdminRequestSchema = z.object({
  name: PersonName,
  email: EmailSchema.nullable().optional(),
  phone: TypedPhoneSchema.nullable().optional(),
  superUser: z.boolean().default(false),
  trainedModules: z.array(ModuleSchema).default([]),
});
export type CreateContactAdminRequest = z.infer<typeof CreateContactAdminRequestSchema>;

export const UpdateContactAdminRequestSchema = z
  .object({
    name: PersonName,
    email: EmailSchema.nullable(),
    phone: TypedPhoneSchema.nullable(),
    superUser: z.boolean(),
    trainedModules: z.array(ModuleSchema),
  })
  .partial()
  .refine((f) => Object.keys(f).length > 0, atLeastOne);
export type UpdateContactAdminRequest = z.infer<typeof UpdateContactAdminRequestSchema>;

export const CustomerResponseSchema = z.object({ customer: CustomerSchema });
export const AdminContactResponseSchema = z.object({ contact: ContactSchema });

/** The same set of modules in one order (the catalogue's), so an import compares them as sets. */
export function sortModules(modules: readonly ModuleId[]): ModuleId[] {
  return MODULE_IDS.filter((m) => modules.includes(m));
}

/** An organisation number compared as digits and letters only ("556677-8899" = "5566778899"). */
export function orgNumberKey(orgNumber: string): string {
  return orgNumber.replace(/[\s-]/g, '').toUpperCase();
}

// ---- Import ------------------------------------------------------------------------------------

/**
 * The columns of an import (CSV header or JSON object keys): the customer's columns on every
 * row, then one contact per row (a row without contact columns is the customer alone).
 */
export const IMPORT_COLUMNS = [
  'org_number',
  'name',
  'country',
  'language',
  'industry',
  'licensed_modules',
  'payment_status',
  'superuser_quota',
  'contact_name',
  'contact_email',
  'contact_phone',
  'superuser',
  'trained_modules',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Empty cells are "not given". */
const blank = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v === null ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());
const lower = (v: unknown): unknown => (typeof v === 'string' ? v.trim().toLowerCase() : v);

/** A list of modules: "finance; payroll" (also "|" or ","), or a JSON array. */
const ModuleList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/[;|,]/).map((s) => s.trim().toLowerCase()).filter((s) => s !== '') : v),
  z.array(ModuleSchema),
);

const TRUE_WORDS = ['1', 'true', 'yes', 'ja', 'kyllä', 'x'];
const FALSE_WORDS = ['0', 'false', 'no', 'nej', 'ei'];
const YesNo = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const word = v.trim().toLowerCase();
  return TRUE_WORDS.includes(word) ? true : FALSE_WORDS.includes(word) ? false : v;
}, z.boolean({ message: 'expected yes or no (1/0, ja/nej, kyllä/ei)' }));

export const ImportRowSchema = z.object({
  org_number: z.preprocess(blank, z.string({ message: 'the organisation number is required' }).trim().min(1).max(32)),
  name: optional(z.string().trim().min(1).max(200)),
  country: optional(z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), OfficeSchema)),
  language: optional(z.preprocess(lower, LanguageSchema)),
  industry: optional(z.preprocess(lower, IndustrySchema)),
  licensed_modules: optional(ModuleList),
  payment_status: optional(z.preprocess(lower, z.enum(['ok', 'overdue']))),
  superuser_quota: optional(z.coerce.number().int().min(2).max(4)),
  contact_name: optional(PersonName),
  contact_email: optional(z.preprocess(lower, EmailSchema)),
  contact_phone: optional(TypedPhoneSchema),
  superuser: optional(YesNo),
  trained_modules: optional(ModuleList),
});
export type ImportRow = z.infer<typeof ImportRowSchema>;

export const ImportFieldChangeSchema = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
export type ImportFieldChange = z.infer<typeof ImportFieldChangeSchema>;

export const ImportActionSchema = z.enum(['create', 'update', 'unchanged']);

export const ImportReportSchema = z.object({
  dryRun: z.boolean(),
  /** Rows read (data rows: the CSV header is not one). */
  rows: z.number().int(),
  customers: z.array(
    z.object({
      orgNumber: z.string(),
      name: z.string(),
      action: ImportActionSchema,
      changes: z.array(ImportFieldChangeSchema),
      lines: z.array(z.number().int()),
    }),
  ),
  contacts: z.array(
    z.object({
      orgNumber: z.string(),
      name: z.string(),
      action: ImportActionSchema,
      changes: z.array(ImportFieldChangeSchema),
      line: z.number().int(),
    }),
  ),
  rejected: z.array(z.object({ line: z.number().int(), field: z.string().nullable(), code: z.string(), message: z.string() })),
  counts: z.object({
    customersCreated: z.number().int(),
    customersChanged: z.number().int(),
    customersUnchanged: z.number().int(),
    contactsCreated: z.number().int(),
    contactsChanged: z.number().int(),
    contactsUnchanged: z.number().int(),
    rejected: z.number().int(),
  }),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

/** The import's query (`POST ROUTES.customerImport?dryRun=1`). */
export const ImportQuerySchema = z.object({ dryRun: z.enum(['0', '1', 'true', 'false']).optional() });

/** The largest file the import takes (bytes). */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** A contact's SuperUser status set: becoming one records when (the quota admits the earliest), leaving clears it. */
export function withSuperUser<C extends { superUser: boolean; superUserSince: string | null }>(contact: C, superUser: boolean, at: string): C {
  if (superUser === contact.superUser) return contact;
  return { ...contact, superUser, superUserSince: superUser ? at : null };
}

/**
 * A customer's country is the office of its cases: their business calendar, SLA deadlines and
 * escalation follow it. It cannot change while any case of the customer is open (the deadlines
 * of those cases would move behind every desk's and the scheduler's back); close or move them
 * first.
 */
export function countryChangeRefusal(
  before: Customer['country'],
  after: Customer['country'],
  openCases: number,
): { code: 'country_open_cases'; field: 'country'; message: string } | null {
  if (before === after || openCases === 0) return null;
  return { code: 'country_open_cases', field: 'country', message: `the customer has ${openCases} open case(s): their office cannot change while they are open` };
}
