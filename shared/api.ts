/**
 * The HTTP, WebSocket and sync contract: request and response bodies, mutations and live
 * messages. The server validates every input with these schemas; the desk parses every answer.
 */
import { z } from 'zod';
import { ATTACHMENTS_PER_EVENT_MAX, AttachmentSchema, MailReviewItemSchema } from './mail';
import { ArticleSchema, SaveArticleArgs, SaveTemplateArgs, TemplateSchema } from './templates';
import { CalendarExceptionSchema } from './calendarExceptions';
import { FI_GRANT_HOURS_MAX, FI_GRANT_HOURS_MIN, FRIDAY_GRANT_HOURS } from './grants';
import { DeadlineKindSchema, EscalationPointSchema } from './escalation';
import {
  AccessGrantSchema,
  CallSchema,
  CaseEventSchema,
  CaseNumberSchema,
  CaseSchema,
  ContactSchema,
  CustomerSchema,
  ExtensionSchema,
  GrantKindSchema,
  Id,
  Instant,
  ModuleSchema,
  ProductSchema,
  ServiceLevelSchema,
  SpecialistSchema,
  StatusSchema,
  TeamIdSchema,
} from './contract';

/** Every error answer: a stable code, the offending field when there is one, and an English message. */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

// ---- Auth -------------------------------------------------------------------------------

export const LoginRequestSchema = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** What a session may do beyond the role: the account's security state, as the desk needs it. */
export const AccountStateSchema = z.object({
  /** After a one-time reset or the first admin's generated password: only the password route opens. */
  mustChangePassword: z.boolean(),
  twoFactorEnabled: z.boolean(),
  /** A lead whose session has passed no second factor: lead-only routes answer `two_factor_required`. */
  twoFactorRequired: z.boolean(),
});
export type AccountState = z.infer<typeof AccountStateSchema>;

export const LoginResponseSchema = z.object({
  token: z.string(),
  expiresAt: Instant,
  specialist: SpecialistSchema,
  account: AccountStateSchema,
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** The password was right and the account has two-factor: the second step names this challenge. */
export const TwoFactorChallengeSchema = z.object({
  twoFactor: z.literal('required'),
  challenge: z.string(),
  expiresAt: Instant,
});
export type TwoFactorChallenge = z.infer<typeof TwoFactorChallengeSchema>;

/** The login's answer: a session, or the second step. */
export const LoginAnswerSchema = z.union([LoginResponseSchema, TwoFactorChallengeSchema]);
export type LoginAnswer = z.infer<typeof LoginAnswerSchema>;

/** A code from the authenticator app (6 digits) or a recovery code (`xxxx-xxxx-xxxx`); spaces are ignored. */
export const OneTimeCodeSchema = z.string().trim().min(6, 'enter the code').max(40);

export const LoginCodeRequestSchema = z.object({
  challenge: z.string().min(1).max(200),
  code: OneTimeCodeSchema,
});

export const PASSWORD_MIN_LENGTH = 12;

/**
 * Strong passwords: 12+ characters (shown by the desk as the specialist types); the server also
 * refuses common and easily guessed ones (`weak_password`).
 */
export const NewPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, 'use at most 200 characters');

/** Changing one's password. `currentPassword` may be left out only right after a one-time reset. */
export const ChangePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(200).optional(),
  newPassword: NewPasswordSchema,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;

export const AccountResponseSchema = z.object({
  specialist: SpecialistSchema,
  account: AccountStateSchema,
  /** Unused recovery codes left (0 without two-factor). */
  recoveryCodesLeft: z.number().int().min(0),
});

/** Enrolment's first step: the secret, its otpauth URI and the URI as a QR code (a PNG data URL). */
export const TwoFactorSetupResponseSchema = z.object({
  secret: z.string(),
  uri: z.string(),
  qrDataUrl: z.string(),
});
/** Enrolment's second step needs the current password too: a stolen token alone cannot enrol an app. */
export const TwoFactorConfirmRequestSchema = z.object({
  password: z.string().min(1).max(200),
  code: OneTimeCodeSchema,
});
/** Ten one-time recovery codes, shown once. */
export const RecoveryCodesResponseSchema = z.object({ recoveryCodes: z.array(z.string()) });
export const TwoFactorDisableRequestSchema = z.object({
  password: z.string().min(1).max(200),
  code: OneTimeCodeSchema,
});

export const SessionInfoSchema = z.object({
  id: z.string(),
  createdAt: Instant,
  lastSeenAt: Instant,
  address: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;
export const SessionsResponseSchema = z.object({ sessions: z.array(SessionInfoSchema) });

/** A lead's one-time reset of another account: the code to pass on, once, before it expires. */
export const PasswordResetResponseSchema = z.object({ code: z.string(), expiresAt: Instant });

export const CreateSpecialistRequestSchema = SpecialistSchema.omit({ id: true, active: true }).extend({
  password: NewPasswordSchema,
});
export const UpdateSpecialistRequestSchema = SpecialistSchema.omit({ id: true, email: true }).partial();
/** The specialist's own profile: the extension (null clears it). */
export const UpdateProfileRequestSchema = z.object({ extension: ExtensionSchema.nullable() });

// ---- Mutations (push) ---------------------------------------------------------------------

const CaseRef = z.object({ caseId: Id });

export const CreateCaseArgs = CaseSchema.pick({
  /** Chosen by the desk (a UUID) so an offline case has an identity before the server sees it. */
  id: true,
  /** Taken from a block of numbers leased to this desk (see `NumberBlockSchema`). */
  number: true,
  customerId: true,
  contactId: true,
  product: true,
  module: true,
  category: true,
  serviceLevel: true,
  team: true,
  title: true,
  description: true,
  channel: true,
}).extend({
  /** The call this case was registered from, if any. */
  callId: Id.nullable().optional(),
});
export type CreateCaseArgs = z.infer<typeof CreateCaseArgs>;

export const EditableFieldsSchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    description: z.string().max(20_000),
    module: ModuleSchema,
    product: ProductSchema,
    serviceLevel: ServiceLevelSchema.nullable(),
    contactId: Id.nullable(),
  })
  .partial()
  .refine((f) => Object.keys(f).length > 0, { message: 'at least one field to change' });

export const MutationSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('createCase'), args: CreateCaseArgs }),
  z.object({ name: z.literal('editFields'), args: CaseRef.extend({ fields: EditableFieldsSchema }) }),
  z.object({ name: z.literal('transition'), args: CaseRef.extend({ to: StatusSchema }) }),
  z.object({ name: z.literal('assign'), args: CaseRef.extend({ assigneeId: Id.nullable() }) }),
  z.object({
    name: z.literal('transfer'),
    args: CaseRef.extend({ toTeam: TeamIdSchema, reason: z.string().trim().min(1).max(2000) }),
  }),
  z.object({
    name: z.literal('addNote'),
    args: CaseRef.extend({
      eventId: Id,
      text: z.string().trim().min(1).max(20_000),
      /** Files uploaded first (`ROUTES.attachments`), now shown on this note. */
      attachmentIds: z.array(Id).max(ATTACHMENTS_PER_EVENT_MAX).optional(),
    }),
  }),
  /**
   * A reply to the customer, sent as mail (never an internal note): to the case's contact, from
   * the mailbox of the customer's office, the case number in the subject (shared/mail.ts). The
   * server queues it and sends it once; the event's status shows queued / sent / failed.
   */
  z.object({
    name: z.literal('sendReply'),
    args: CaseRef.extend({
      eventId: Id,
      text: z.string().trim().min(1).max(20_000),
      /** Quote the customer's last mail below the reply. */
      quote: z.boolean().default(false),
      attachmentIds: z.array(Id).max(ATTACHMENTS_PER_EVENT_MAX).default([]),
    }),
  }),
  z.object({
    name: z.literal('logMinutes'),
    args: CaseRef.extend({ minutes: z.number().int().min(1).max(24 * 60) }),
  }),
  z.object({ name: z.literal('markBillingInformed'), args: CaseRef }),
  /**
   * A call about this case, logged when the specialist opens the case from the call banner.
   * `callId` is the server's call record (`Call.id`), not the switch's own id; the server takes
   * the caller's number and name from that record, not from the desk.
   */
  z.object({ name: z.literal('logCall'), args: CaseRef.extend({ callId: Id, eventId: Id }) }),
  z.object({
    name: z.literal('recordGrant'),
    args: z.object({
      grantId: Id,
      customerId: Id,
      kind: GrantKindSchema,
      grantedByContactId: Id,
      grantedAt: Instant,
      /** Finland: the SuperUser chooses how long. Sweden: derived from the rules, so omitted. */
      durationHours: z.number().int().min(FI_GRANT_HOURS_MIN).max(FI_GRANT_HOURS_MAX).optional(),
      /** Sweden, granted on a Friday: 24 or 72 hours. */
      fridayHours: z.literal(FRIDAY_GRANT_HOURS).optional(),
    }),
  }),
  z.object({ name: z.literal('revokeGrant'), args: z.object({ grantId: Id }) }),
  /** The caller log: a call needs no call back (any more). Not a case edit: the call is its own record. */
  z.object({ name: z.literal('markCallDone'), args: z.object({ callId: Id }) }),
  /**
   * A call back to the caller of `callId` (the server's call record), logged on the case: who
   * called back (the pusher) and when (`occurredAt`). The number comes from the call record.
   */
  z.object({ name: z.literal('logCallback'), args: CaseRef.extend({ callId: Id, eventId: Id }) }),
  /** Answers (shared/templates.ts): a reply template, created or changed; team ones by leads, personal ones by their owner. */
  z.object({ name: z.literal('saveTemplate'), args: SaveTemplateArgs }),
  z.object({ name: z.literal('deleteTemplate'), args: z.object({ id: Id }) }),
  /** A knowledge-base article, created or changed (leads and specialists). */
  z.object({ name: z.literal('saveArticle'), args: SaveArticleArgs }),
  z.object({ name: z.literal('deleteArticle'), args: z.object({ id: Id }) }),
]);
export type MutationBody = z.infer<typeof MutationSchema>;
export type MutationName = MutationBody['name'];

export const MutationEnvelopeSchema = z.intersection(
  z.object({
    /** One id per desk installation (a UUID kept in the cache). */
    clientId: Id,
    /**
     * Increasing per client; the server keeps (specialist, clientId, mutationId) with a digest of
     * the edit, so a replay is harmless and another edit under a used id is refused, never lost.
     */
    mutationId: z.number().int().min(1),
    /** The case version the edit was made against (absent for creations and grants). */
    baseVersion: z.number().int().min(1).optional(),
    /**
     * When the specialist acted, by the desk's clock: an edit made offline keeps its time in the
     * history and the SLA (see `effectiveTime`). Absent only from desks older than this field.
     */
    occurredAt: Instant.optional(),
  }),
  MutationSchema,
);
export type Mutation = z.infer<typeof MutationEnvelopeSchema>;

export const PushRequestSchema = z.object({
  mutations: z.array(MutationEnvelopeSchema).min(1).max(500),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const MutationResultSchema = z.discriminatedUnion('status', [
  /** Applied now, or before (a replay: `duplicate`). */
  z.object({ mutationId: z.number(), status: z.literal('applied'), case: CaseSchema.optional() }),
  z.object({ mutationId: z.number(), status: z.literal('duplicate') }),
  /** Someone else changed a field this edit touches after `baseVersion`: nothing applied. */
  z.object({
    mutationId: z.number(),
    status: z.literal('conflict'),
    fields: z.array(z.string()),
    case: CaseSchema,
    /** Who made the case's latest change, the one mine lost to (absent from older servers). */
    editorId: Id.nullable().optional(),
  }),
  /**
   * Refused by a rule (flow, billing, validation) or by its replay key (`ReplayRefusalSchema`):
   * nothing applied; retrying will not help.
   */
  z.object({
    mutationId: z.number(),
    status: z.literal('rejected'),
    error: ApiErrorSchema.shape.error,
  }),
]);

/**
 * The codes of a `rejected` result that are about the mutation's replay key, not the edit:
 * - `idempotency_mismatch`: another edit was applied under this (specialist, clientId,
 *   mutationId) before; this one was not applied (a replay of the same edit is `duplicate`).
 * - `client_not_yours`: the clientId belongs to another specialist (also a 403 on number leases).
 */
export const ReplayRefusalSchema = z.enum(['idempotency_mismatch', 'client_not_yours']);
export type ReplayRefusal = z.infer<typeof ReplayRefusalSchema>;
export type MutationResult = z.infer<typeof MutationResultSchema>;

export const PushResponseSchema = z.object({
  results: z.array(MutationResultSchema),
  /** The newest change sequence after this push. */
  seq: z.number().int().min(0),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

/**
 * Case numbers for cases created at a desk, offline included, without collisions between desks:
 * the server leases each desk a block of consecutive numbers from the one global counter
 * (hi/lo allocation). A desk creates cases from its block and asks for a new one when it runs low.
 */
export const NumberBlockSchema = z.object({ from: CaseNumberSchema, to: CaseNumberSchema });
export type NumberBlock = z.infer<typeof NumberBlockSchema>;
export const NumberBlockRequestSchema = z.object({ clientId: Id, size: z.number().int().min(1).max(100).default(20) });

// ---- Pull, bootstrap ----------------------------------------------------------------------

export const EntitiesSchema = z.object({
  cases: z.array(CaseSchema),
  customers: z.array(CustomerSchema),
  contacts: z.array(ContactSchema),
  specialists: z.array(SpecialistSchema),
  grants: z.array(AccessGrantSchema),
  events: z.array(CaseEventSchema),
  /** The caller log: calls of the desk's teams (bootstrap: the last 30 days and every open missed call). */
  calls: z.array(CallSchema).default([]),
  /** Files on the events carried (metadata only; the bytes are fetched by id). */
  attachments: z.array(AttachmentSchema).default([]),
  /** Reply templates: every team's, and the specialist's own personal ones (never another's). */
  templates: z.array(TemplateSchema).default([]),
  /** Knowledge-base articles. */
  articles: z.array(ArticleSchema).default([]),
  /** Offices' calendar exceptions (extra closed days, early closings), tombstones included. */
  calendarExceptions: z.array(CalendarExceptionSchema).default([]),
});
export type Entities = z.infer<typeof EntitiesSchema>;

export const TeamsParamSchema = z
  .string()
  .regex(/^[12](,[12])?$/, 'expected "1", "2" or "1,2"')
  .transform((s) => [...new Set(s.split(',').map(Number))] as Array<1 | 2>);

export const BootstrapQuerySchema = z.object({
  teams: TeamsParamSchema.default([1, 2]),
  /** Opaque cursor from the previous page; absent for the first page. */
  page: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(2_000),
});

export const BootstrapPageSchema = EntitiesSchema.extend({
  /** The change sequence the snapshot started at: pull from here when the last page is in. */
  snapshotSeq: z.number().int().min(0),
  next: z.string().nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
});
export type BootstrapPage = z.infer<typeof BootstrapPageSchema>;

export const ChangesQuerySchema = z.object({
  after: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(2_000),
});

export const ChangesPageSchema = EntitiesSchema.extend({
  /** The last `seq` this page covers; ask for changes after it next. */
  cursor: z.number().int().min(0),
  latestSeq: z.number().int().min(0),
  hasMore: z.boolean(),
  /** Attachments removed since the cursor (an anonymised person's files): drop them. */
  attachmentsRemoved: z.array(Id).default([]),
});
export type ChangesPage = z.infer<typeof ChangesPageSchema>;

// ---- Lookup -------------------------------------------------------------------------------

export const CaseDetailSchema = z.object({
  case: CaseSchema,
  customer: CustomerSchema,
  contact: ContactSchema.nullable(),
  events: z.array(CaseEventSchema),
  grants: z.array(AccessGrantSchema),
  attachments: z.array(AttachmentSchema).default([]),
});
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

export const EntitlementReasonSchema = z.discriminatedUnion('code', [
  z.object({ code: z.literal('unknown_contact') }),
  z.object({ code: z.literal('not_superuser') }),
  z.object({ code: z.literal('over_quota'), quota: z.number(), rank: z.number() }),
  z.object({ code: z.literal('not_trained'), module: ModuleSchema }),
  z.object({ code: z.literal('module_not_licensed'), module: ModuleSchema }),
  z.object({ code: z.literal('overdue_payment') }),
]);
export const EntitlementSchema = z.object({ entitled: z.boolean(), reasons: z.array(EntitlementReasonSchema) });

export const PhoneLookupQuerySchema = z.object({ number: z.string().trim().min(1).max(40) });
export const CallerInfoSchema = z.object({
  /** The number normalised to E.164, or null when it is not a valid phone number. */
  phone: z.string().nullable(),
  contact: ContactSchema.nullable(),
  customer: CustomerSchema.nullable(),
  /** The team the customer's industry belongs to. */
  team: TeamIdSchema.nullable(),
  entitlement: EntitlementSchema.nullable(),
  openCases: z.array(CaseSchema),
});
export type CallerInfo = z.infer<typeof CallerInfoSchema>;

export const SearchQuerySchema = z.object({ q: z.string().trim().min(1).max(200) });

// ---- Presence (ephemeral, over the live socket) -------------------------------------------------

/** Cases one desk says it has open or is writing in; a desk may hold a few tabs. */
export const PRESENCE_MAX_CASES = 10;
/** What one desk tells the server about itself: always its whole state, never anyone else's. */
export const PresenceStateSchema = z.object({
  viewing: z.array(Id).max(PRESENCE_MAX_CASES),
  editing: z.array(Id).max(PRESENCE_MAX_CASES),
});
export type PresenceState = z.infer<typeof PresenceStateSchema>;
/** A specialist's presence as the server fans it out (merged over their open sockets). */
export const PresenceEntrySchema = PresenceStateSchema.extend({
  specialistId: Id,
  name: z.string().max(200),
  /** On a call: answered and not yet hung up. */
  onCall: z.boolean(),
});
export type PresenceEntry = z.infer<typeof PresenceEntrySchema>;

// ---- Live (WebSocket) -------------------------------------------------------------------------

export const LiveMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), seq: z.number().int().min(0) }),
  /** A new change sequence exists: pull. */
  z.object({ type: z.literal('poke'), seq: z.number().int().min(0) }),
  /** `yours`: this desk answered the call (the switch named its extension or user): the full pop is for it alone. */
  z.object({ type: z.literal('call'), call: CallSchema, caller: CallerInfoSchema, yours: z.boolean().optional() }),
  z.object({ type: z.literal('ping'), at: Instant }),
  /** Someone else in the team answered a call (`ended`: and it is over now): no caller data, just who. */
  z.object({ type: z.literal('answered'), callId: Id, by: z.object({ id: Id, name: z.string().max(200) }), ended: z.boolean() }),
  /** The presence of colleagues in my teams: each entry replaces that specialist's presence (empty: gone). */
  z.object({ type: z.literal('presence'), entries: z.array(PresenceEntrySchema).max(1000) }),
  /** The office's mail review changed (an item came or went): desks showing it fetch it again. */
  z.object({ type: z.literal('mailReview'), office: z.enum(['SE', 'FI']), count: z.number().int().min(0) }),
  /** An SLA point of a case was reached (shared/escalation.ts): to its assignee and the team's leads. */
  z.object({
    type: z.literal('escalation'),
    caseId: Id,
    caseNumber: CaseNumberSchema,
    title: z.string().max(500),
    level: ServiceLevelSchema,
    deadline: DeadlineKindSchema,
    point: EscalationPointSchema,
    deadlineAt: Instant,
    /** Whether this desk's specialist is the assignee (else a lead of the team). */
    assignee: z.boolean(),
  }),
]);
export type LiveMessage = z.infer<typeof LiveMessageSchema>;

// ---- Phone switch (Zammad Generic CTI compatible) -------------------------------------------

export const CtiEventSchema = z
  .object({
    event: z.enum(['newCall', 'answer', 'hangup']),
    from: z.string().max(100).default(''),
    to: z.string().max(100).default(''),
    direction: z.enum(['in', 'out']),
    callId: z.string().min(1).max(200).optional(),
    call_id: z.string().min(1).max(200).optional(),
    user: z.union([z.string().max(200), z.array(z.string().max(200)).max(20)]).optional(),
    queue: z.string().max(200).optional(),
    cause: z.string().max(200).optional(),
    answeringNumber: z.string().max(100).optional(),
  })
  .refine((e) => e.callId !== undefined || e.call_id !== undefined, {
    message: 'callId (or call_id) is required',
    path: ['callId'],
  });
export type CtiEvent = z.infer<typeof CtiEventSchema>;

export const CallsQuerySchema = z.object({
  filter: z.enum(['all', 'missed', 'open']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// ---- GDPR -------------------------------------------------------------------------------------

export const UpdateContactRequestSchema = ContactSchema.pick({
  name: true,
  email: true,
  phone: true,
  superUser: true,
  trainedModules: true,
})
  .partial()
  .refine((f) => Object.keys(f).length > 0, { message: 'at least one field to change' });

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: Instant,
  specialistId: Id.nullable(),
  contactId: Id.nullable(),
  action: z.string(),
  route: z.string(),
  /** The account an admin action was about (account creation, role/team change, disabling). */
  targetId: Id.nullable(),
  /** What the action changed or did: fields before and after, counts. Null for plain reads. */
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** The desk authenticates its socket with its first message (tokens stay out of URLs and logs). */
export const LiveClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(200) }),
  z.object({ type: z.literal('pong') }),
  /** This socket's presence (the specialist is taken from the socket's session, never from the message). */
  z.object({ type: z.literal('presence'), state: PresenceStateSchema }),
]);
export type LiveClientMessage = z.infer<typeof LiveClientMessageSchema>;

export const CustomerSearchResultSchema = z.object({
  customers: z.array(CustomerSchema),
  contacts: z.array(ContactSchema),
});

// ---- Response bodies of the remaining routes ----------------------------------------------------

export const MeResponseSchema = z.object({
  specialist: SpecialistSchema,
  expiresAt: Instant,
  account: AccountStateSchema,
  /** The softphone link template to call back with (`DESK_SOFTPHONE_URL`); absent or null: `tel:`. */
  softphoneUrl: z.string().max(500).nullable().optional(),
});
export const SpecialistsResponseSchema = z.object({ specialists: z.array(SpecialistSchema) });
export const SpecialistResponseSchema = z.object({ specialist: SpecialistSchema });
export const CaseEventsResponseSchema = z.object({ events: z.array(CaseEventSchema), attachments: z.array(AttachmentSchema).default([]) });
export const CallsResponseSchema = z.object({ calls: z.array(CallSchema) });
export const CallResponseSchema = z.object({ call: CallSchema });
export const ContactResponseSchema = z.object({ contact: ContactSchema });

export const AuditQuerySchema = z.object({
  specialistId: Id.optional(),
  contactId: Id.optional(),
  /** Admin actions about this account. */
  targetId: Id.optional(),
  action: z.string().trim().min(1).max(50).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  /** The `next` of the previous page: entries older than it. */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const AuditPageSchema = z.object({ entries: z.array(AuditEntrySchema), next: z.number().int().nullable() });

/** Everything Desk holds about one person (GDPR overview and, as a download, the export). */
export const GdprOverviewSchema = z.object({
  generatedAt: Instant,
  contact: ContactSchema,
  customer: CustomerSchema,
  cases: z.array(CaseSchema),
  events: z.array(CaseEventSchema),
  calls: z.array(CallSchema),
  grants: z.array(AccessGrantSchema),
  /**
   * The files that came in the person's mail. The export carries each file's bytes too
   * (`contentBase64`), so the one download holds everything; the overview only the records.
   */
  attachments: z.array(AttachmentSchema.extend({ contentBase64: z.string().optional() })).default([]),
  /** The person's customer-centre account (never the password's hash), or null when they have none. */
  centreAccount: z
    .object({
      email: z.string(),
      createdAt: Instant,
      invitedBy: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
      passwordChangedAt: Instant.nullable(),
    })
    .nullable()
    .default(null),
  /** Their customer-centre sessions (never a token or its hash). */
  centreSessions: z
    .array(z.object({ createdAt: Instant, lastSeenAt: Instant, expiresAt: Instant, address: z.string().nullable(), userAgent: z.string().nullable() }))
    .default([]),
});
export type GdprOverview = z.infer<typeof GdprOverviewSchema>;

/** Every route of the server, in one place for the server, the desk and the tests. */
export const ROUTES = {
  health: '/health',
  login: '/api/auth/login',
  loginCode: '/api/auth/login/code',
  password: '/api/auth/password',
  account: '/api/account',
  twoFactorSetup: '/api/account/two-factor/setup',
  twoFactorConfirm: '/api/account/two-factor/confirm',
  twoFactorDisable: '/api/account/two-factor/disable',
  sessions: '/api/account/sessions',
  sessionRevoke: (id: string) => `/api/account/sessions/${encodeURIComponent(id)}/revoke`,
  passwordReset: (id: string) => `/api/specialists/${encodeURIComponent(id)}/password-reset`,
  logout: '/api/auth/logout',
  me: '/api/me',
  bootstrap: '/api/sync/bootstrap',
  changes: '/api/sync/changes',
  push: '/api/sync/push',
  numbers: '/api/sync/numbers',
  live: '/api/live',
  caseByNumber: (n: number) => `/api/cases/by-number/${n}`,
  caseEvents: (id: string) => `/api/cases/${encodeURIComponent(id)}/events`,
  phoneLookup: '/api/lookup/phone',
  customerSearch: '/api/customers/search',
  calls: '/api/calls',
  callDone: (id: string) => `/api/calls/${encodeURIComponent(id)}/done`,
  cti: (token: string) => `/api/v1/cti/${encodeURIComponent(token)}`,
  specialists: '/api/specialists',
  specialist: (id: string) => `/api/specialists/${encodeURIComponent(id)}`,
  audit: '/api/audit',
  gdprContact: (id: string) => `/api/gdpr/contacts/${encodeURIComponent(id)}`,
  gdprExport: (id: string) => `/api/gdpr/contacts/${encodeURIComponent(id)}/export`,
  gdprAnonymise: (id: string) => `/api/gdpr/contacts/${encodeURIComponent(id)}/anonymise`,
  gdprAccessLog: (id: string) => `/api/gdpr/contacts/${encodeURIComponent(id)}/access-log`,
  profile: '/api/account/profile',
  attachments: '/api/attachments',
  attachment: (id: string) => `/api/attachments/${encodeURIComponent(id)}`,
  mailHtml: (eventId: string) => `/api/mail/${encodeURIComponent(eventId)}/html`,
  mailReview: '/api/mail/review',
  mailReviewLink: (id: string) => `/api/mail/review/${encodeURIComponent(id)}/link`,
  mailReviewContact: (id: string) => `/api/mail/review/${encodeURIComponent(id)}/contact`,
  mailReviewDismiss: (id: string) => `/api/mail/review/${encodeURIComponent(id)}/dismiss`,
  customers: '/api/customers',
  customer: (id: string) => `/api/customers/${encodeURIComponent(id)}`,
  customerContacts: (id: string) => `/api/customers/${encodeURIComponent(id)}/contacts`,
  contact: (id: string) => `/api/contacts/${encodeURIComponent(id)}`,
  customerImport: '/api/import/customers',
  gdprSearch: '/api/gdpr/search',
  gdprAnonymisePreview: (id: string) => `/api/gdpr/contacts/${encodeURIComponent(id)}/anonymise/preview`,
  gdprExportZip: (id: string) => `/api/gdpr/contacts/${encodeURIComponent(id)}/export/zip`,
  report: (name: string) => `/api/reports/${encodeURIComponent(name)}`,
  // The digital customer centre (shared/centre.ts): a lead's invitation, then the customer's own routes.
  centreInvitations: '/api/centre/invitations',
  centreLogin: '/api/centre/login',
  centreLogout: '/api/centre/logout',
  centrePassword: '/api/centre/password',
  centreReset: '/api/centre/password-reset',
  centreMe: '/api/centre/me',
  centreCases: '/api/centre/cases',
  centreCase: (id: string) => `/api/centre/cases/${encodeURIComponent(id)}`,
  centreReplies: (id: string) => `/api/centre/cases/${encodeURIComponent(id)}/replies`,
  escalationSettings: '/api/settings/escalation',
  calendarExceptions: '/api/calendar/exceptions',
  calendarException: (id: string) => `/api/calendar/exceptions/${encodeURIComponent(id)}`,
  // The customer centre's support logins (shared/centreGrants.ts): the company's grants, granting one, ending one early.
  centreGrants: '/api/centre/grants',
  centreGrant: (id: string) => `/api/centre/grants/${encodeURIComponent(id)}`,
  // The customer centre's questions and answers (shared/centreQa.ts).
  centreArticles: '/api/centre/articles',
  centreArticle: (id: string) => `/api/centre/articles/${encodeURIComponent(id)}`,
  // The centre's files (shared/centre.ts): a customer's upload, then named in a new case or a reply.
  centreUploads: '/api/centre/uploads',
  centreFile: (id: string) => `/api/centre/files/${encodeURIComponent(id)}`,
  // The customer centre's account page and live channel (shared/centreAccount.ts).
  centreSessions: '/api/centre/sessions',
  centreSession: (id: string) => `/api/centre/sessions/${encodeURIComponent(id)}`,
  centreChangePassword: '/api/centre/me/password',
  centreLive: '/api/centre/live',
} as const;

// ---- Attachments ---------------------------------------------------------------------------------

/**
 * The upload (`POST ROUTES.attachments`): the file's bytes as the body
 * (`application/octet-stream`), and in headers the id the desk chose (an upload is idempotent by
 * it), the file's name (URI-encoded) and the case it is for.
 */
export const ATTACHMENT_HEADERS = { id: 'x-attachment-id', name: 'x-file-name', caseId: 'x-case-id' } as const;
export const AttachmentUploadHeadersSchema = z.object({
  [ATTACHMENT_HEADERS.id]: z.uuid(),
  [ATTACHMENT_HEADERS.name]: z.string().min(1).max(2000),
  [ATTACHMENT_HEADERS.caseId]: Id,
});
export const AttachmentResponseSchema = z.object({ attachment: AttachmentSchema });
export const AttachmentDownloadQuerySchema = z.object({ inline: z.enum(['0', '1']).optional() });

// ---- Mail review ---------------------------------------------------------------------------------

export const MailReviewQuerySchema = z.object({ office: z.enum(['SE', 'FI']) });
export const MailReviewResponseSchema = z.object({ items: z.array(MailReviewItemSchema) });
/** Link a review item to a known contact: it becomes a case of theirs, or joins the case it named. */
export const MailReviewLinkRequestSchema = z.object({ contactId: Id });
/** Create the sender as a contact of a customer (the address is the mail's), then link as above. */
export const MailReviewContactRequestSchema = z.object({
  customerId: Id,
  name: z.string().trim().min(1).max(200),
  phone: z.string().trim().max(40).nullable().optional(),
});
/** What linking did: the case the mail is now on. */
export const MailReviewLinkResponseSchema = z.object({ caseId: Id, caseNumber: CaseNumberSchema });

// ---- Bootstrap queue -----------------------------------------------------------------------------

/**
 * The 503 of a bootstrap page when other desks fill the server's bootstrap slots
 * (DESK_BOOTSTRAP_CONCURRENCY): the desk's place in the queue and when to ask again (also the
 * Retry-After header). Any other 503 has no `queue`.
 */
export const BootstrapQueuedSchema = ApiErrorSchema.extend({
  queue: z.object({ place: z.number().int().min(1), retryAfterSeconds: z.number().int().min(1) }),
});
export type BootstrapQueued = z.infer<typeof BootstrapQueuedSchema>;
