/**
 * The data contract between server and desks: zod schemas and the types inferred from them.
 * Times travel as ISO 8601 UTC strings ("2026-03-02T07:00:00.000Z").
 */
import { z } from 'zod';
import { CATEGORY_IDS, STATUS_IDS } from './categories';
import { MODULE_IDS, PRODUCT_IDS } from './modules';
import { INDUSTRY_IDS } from './teams';
import { CASE_NUMBER_MAX } from './numbers';
import { SERVICE_LEVELS } from './sla';

export const Id = z.string().trim().min(1).max(64);
export const Instant = z.iso.datetime();
export const TeamIdSchema = z.union([z.literal(1), z.literal(2)]);
export const SwitchOptionSchema = z.union([z.literal(1), z.literal(2)]);
export const OfficeSchema = z.enum(['SE', 'FI']);
export const LanguageSchema = z.enum(['sv', 'fi']);
export const RoleSchema = z.enum(['specialist', 'lead']);
export const IndustrySchema = z.enum(INDUSTRY_IDS);
export const ModuleSchema = z.enum(MODULE_IDS);
export const ProductSchema = z.enum(PRODUCT_IDS);
export const CategorySchema = z.enum(CATEGORY_IDS);
export const StatusSchema = z.enum(STATUS_IDS);
export const ServiceLevelSchema = z.literal(SERVICE_LEVELS);
export const CaseNumberSchema = z.number().int().min(1).max(CASE_NUMBER_MAX);
/** E.164: "+" and 8–15 digits. Numbers are normalised with `normalizePhone` before they get here. */
export const E164Schema = z.string().regex(/^\+[1-9]\d{7,14}$/, 'expected an E.164 phone number (+46…, +358…)');
export const PersonName = z.string().trim().min(1).max(200);
export const EmailSchema = z.email().max(254);
/** A specialist's phone extension on the switch: 2–8 digits, as the switch's `answeringNumber` names it. */
export const ExtensionSchema = z.string().trim().regex(/^\d{2,8}$/, 'expected an extension of 2–8 digits');

export const SpecialistSchema = z.object({
  id: Id,
  email: EmailSchema,
  name: PersonName,
  role: RoleSchema,
  teams: z.array(TeamIdSchema).min(1).max(2),
  office: OfficeSchema,
  language: LanguageSchema,
  active: z.boolean(),
  /** The extension the phone switch names when this specialist answers; unique among active specialists. */
  extension: ExtensionSchema.nullable().optional(),
});
export type Specialist = z.infer<typeof SpecialistSchema>;

export const CustomerSchema = z.object({
  id: Id,
  name: z.string().trim().min(1).max(200),
  orgNumber: z.string().trim().min(1).max(32),
  country: OfficeSchema,
  language: LanguageSchema,
  industry: IndustrySchema,
  licensedModules: z.array(ModuleSchema),
  paymentStatus: z.enum(['ok', 'overdue']),
  /** How many SuperUsers the licence allows: 2 by default, more with more modules, never over 4. */
  superUserQuota: z.number().int().min(2).max(4),
});
export type Customer = z.infer<typeof CustomerSchema>;

export const ContactSchema = z.object({
  id: Id,
  customerId: Id,
  name: PersonName,
  email: EmailSchema.nullable(),
  phone: E164Schema.nullable(),
  superUser: z.boolean(),
  /** When the customer named this contact a SuperUser: the quota admits the earliest. */
  superUserSince: Instant.nullable(),
  trainedModules: z.array(ModuleSchema),
  anonymisedAt: Instant.nullable(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const ChannelSchema = z.enum(['portal', 'email', 'phone']);

export const CaseSchema = z.object({
  id: Id,
  number: CaseNumberSchema,
  customerId: Id,
  contactId: Id.nullable(),
  product: ProductSchema,
  module: ModuleSchema,
  category: CategorySchema,
  /** Bugs only ("servicenivå" / "palvelutaso"); null for other categories. */
  serviceLevel: ServiceLevelSchema.nullable(),
  status: StatusSchema,
  team: TeamIdSchema,
  assigneeId: Id.nullable(),
  title: z.string().trim().min(1).max(300),
  description: z.string().max(20_000),
  channel: ChannelSchema,
  billableMinutes: z.number().int().min(0),
  billingInformed: z.boolean(),
  registeredAt: Instant,
  handlingStartedAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  updatedAt: Instant,
  /** Bumped by every change of the case; a mutation names the version it was made against. */
  version: z.number().int().min(1),
  /** The case version at which each field last changed, for conflict detection per field. */
  fieldVersions: z.record(z.string(), z.number().int()),
});
export type Case = z.infer<typeof CaseSchema>;

/** Fields a mutation may change, and so the fields conflicts are detected on. */
export const CONFLICT_FIELDS = [
  'title',
  'description',
  'module',
  'product',
  'serviceLevel',
  'contactId',
  'status',
  'assigneeId',
  'team',
  'billingInformed',
] as const;
export type ConflictField = (typeof CONFLICT_FIELDS)[number];

export const EventKindSchema = z.enum([
  'created',
  'note',
  'status',
  'assign',
  'transfer',
  'edit',
  'minutes',
  'billing',
  'call',
  'grant',
  /** A mail in the case's thread, in or out (shared/mail.ts `MailEventData`). */
  'mail',
  /** The server notified at an SLA point (shared/escalation.ts `EscalationEventData`). */
  'escalation',
]);
export type EventKind = z.infer<typeof EventKindSchema>;

export const CaseEventSchema = z.object({
  id: Id,
  caseId: Id,
  /** When it happened: for an edit, when the specialist made it (offline edits sync later). */
  at: Instant,
  /** When the server received it: later than `at` for an edit made offline, the same otherwise. */
  receivedAt: Instant,
  /** The specialist who did it; null for the system (registered from the portal, the phone switch). */
  actorId: Id.nullable(),
  kind: EventKindSchema,
  text: z.string().max(20_000).nullable(),
  /** Kind-specific facts: from/to status, from/to team, minutes, field values before and after. */
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type CaseEvent = z.infer<typeof CaseEventSchema>;

export const CallStateSchema = z.enum(['ringing', 'answered', 'ended']);

export const CallSchema = z.object({
  id: Id,
  /** The switch's own call id. */
  callId: z.string().min(1).max(200),
  direction: z.enum(['in', 'out']),
  /** The caller's number as the switch sent it, and normalised when it could be. */
  fromRaw: z.string().max(100),
  from: E164Schema.nullable(),
  to: z.string().max(100),
  /** The phone-switch option the caller chose, when the queue or dialled number tells it. */
  option: SwitchOptionSchema.nullable(),
  team: TeamIdSchema.nullable(),
  contactId: Id.nullable(),
  customerId: Id.nullable(),
  state: CallStateSchema,
  missed: z.boolean(),
  done: z.boolean(),
  user: z.string().max(200).nullable(),
  startedAt: Instant,
  answeredAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  /** Who marked the call done (called back, or nothing to do), and when; null while it is open. */
  doneBy: Id.nullable(),
  doneAt: Instant.nullable(),
});
export type Call = z.infer<typeof CallSchema>;

export const GrantKindSchema = z.enum(['support', 'consultant']);

export const AccessGrantSchema = z.object({
  id: Id,
  customerId: Id,
  kind: GrantKindSchema,
  /** The SuperUser who granted it. */
  grantedByContactId: Id,
  /** The specialist who recorded it in Desk. */
  recordedBy: Id.nullable(),
  grantedAt: Instant,
  expiresAt: Instant,
  revokedAt: Instant.nullable(),
});
export type AccessGrant = z.infer<typeof AccessGrantSchema>;
