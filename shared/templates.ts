/**
 * Answers: reply templates ("Svarsmallar" / "Vastauspohjat") and the knowledge base ("Frågor
 * och svar" / "UKK"). The records, who may write which, the fields a template's body may name and
 * the one function that fills them for a case (run by the desk; the server only stores text).
 */
import { z } from 'zod';
import { Id, Instant, LanguageSchema, ModuleSchema, TeamIdSchema } from './contract';
import { OFFICE_TIME_ZONE } from './calendar';
import { resolutionTarget, type ServiceLevel } from './sla';
import type { CategoryId } from './categories';
import type { Language, Office, TeamId } from './teams';

export const TEMPLATE_TITLE_MAX = 200;
export const TEMPLATE_BODY_MAX = 20_000;
export const ARTICLE_BODY_MAX = 50_000;

/** A team's templates (written by leads) or one specialist's own. */
export const TemplateScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('team'), team: TeamIdSchema }),
  z.object({ kind: z.literal('personal'), ownerId: Id }),
]);
export type TemplateScope = z.infer<typeof TemplateScopeSchema>;

export const TemplateSchema = z.object({
  id: Id,
  language: LanguageSchema,
  scope: TemplateScopeSchema,
  title: z.string().trim().min(1).max(TEMPLATE_TITLE_MAX),
  body: z.string().trim().min(1).max(TEMPLATE_BODY_MAX),
  updatedAt: Instant,
  updatedBy: Id,
  /** Deleted templates stay in the feed as tombstones, so every desk drops them. */
  deletedAt: Instant.nullable(),
});
export type Template = z.infer<typeof TemplateSchema>;

export const ArticleSchema = z.object({
  id: Id,
  language: LanguageSchema,
  module: ModuleSchema,
  title: z.string().trim().min(1).max(TEMPLATE_TITLE_MAX),
  /** Plain text, with a small markdown subset (paragraphs, "- " lists, **bold**), always shown as text. */
  body: z.string().trim().min(1).max(ARTICLE_BODY_MAX),
  /** The customer centre shows public articles; the others are for the desks only. */
  public: z.boolean(),
  updatedAt: Instant,
  updatedBy: Id,
  deletedAt: Instant.nullable(),
});
export type Article = z.infer<typeof ArticleSchema>;

/** What a desk sends to create or change a template (the server stamps the rest). */
export const SaveTemplateArgs = TemplateSchema.pick({ id: true, language: true, scope: true, title: true, body: true });
export type SaveTemplateArgs = z.infer<typeof SaveTemplateArgs>;
export const SaveArticleArgs = ArticleSchema.pick({ id: true, language: true, module: true, title: true, body: true, public: true });
export type SaveArticleArgs = z.infer<typeof SaveArticleArgs>;

/** Who may write a template of this scope: a lead for a team's, the owner for a personal one. */
export function mayWriteTemplate(scope: TemplateScope, actor: { id: string; role: 'lead' | 'specialist' }): boolean {
  return scope.kind === 'team' ? actor.role === 'lead' : scope.ownerId === actor.id;
}

/** Who sees a template: a team's by everyone (a desk shows its own teams' first), a personal one only by its owner. */
export function seesTemplate(t: Pick<Template, 'scope'>, specialistId: string): boolean {
  return t.scope.kind === 'team' || t.scope.ownerId === specialistId;
}

/** The fields a template's body may name, in the order the editor lists them. */
export const TEMPLATE_FIELDS = ['contact.firstName', 'contact.name', 'case.number', 'case.title', 'sla.resolveBy', 'specialist.name'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** What a template is filled from: the open case, its contact, the specialist writing. */
export interface TemplateContext {
  contact: { name: string } | null;
  case: {
    number: number;
    title: string;
    office: Office;
    category: CategoryId;
    serviceLevel: ServiceLevel | null;
    registeredAt: string;
  } | null;
  specialist: { name: string } | null;
}

export interface FilledTemplate {
  text: string;
  /** Fields the body names that have no value here (filled with empty text): the UI warns. */
  missing: TemplateField[];
  /** `{…}` the body names that are no field (left as typed): the UI warns. */
  unknown: string[];
}

const LOCALES: Record<Language, string> = { sv: 'sv-SE', fi: 'fi-FI' };

/** "12.3.2026 klo 16.00" / "2026-03-12 16:00", in the case's office's time. */
export function formatDeadline(at: Date, language: Language, office: Office): string {
  const f = new Intl.DateTimeFormat(LOCALES[language], {
    timeZone: OFFICE_TIME_ZONE[office],
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  return f.format(at);
}

/** The first word of a name ("Anna-Lena Berg" → "Anna-Lena"). */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

function fieldValue(field: TemplateField, ctx: TemplateContext, language: Language): string {
  switch (field) {
    case 'contact.firstName':
      return ctx.contact ? firstName(ctx.contact.name) : '';
    case 'contact.name':
      return ctx.contact?.name.trim() ?? '';
    case 'case.number':
      return ctx.case ? String(ctx.case.number) : '';
    case 'case.title':
      return ctx.case?.title.trim() ?? '';
    case 'sla.resolveBy': {
      const c = ctx.case;
      // Only bugs with a service level have an SLA (shared/sla.ts slaState).
      if (!c || c.category !== 'bug' || c.serviceLevel === null) return '';
      return formatDeadline(resolutionTarget(new Date(c.registeredAt), c.serviceLevel, c.office).deadline, language, c.office);
    }
    case 'specialist.name':
      return ctx.specialist?.name.trim() ?? '';
  }
}

const FIELD_PATTERN = /\{([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)\}/g;
const isField = (name: string): name is TemplateField => (TEMPLATE_FIELDS as readonly string[]).includes(name);

/**
 * Fills a template's body for a case: each `{field}` by its value in `language`. A field with no
 * value becomes empty text and is reported in `missing`; a `{name}` that is no field is left as
 * typed and reported in `unknown` (each once, in the order first met).
 */
export function fillTemplate(body: string, ctx: TemplateContext, language: Language): FilledTemplate {
  const missing: TemplateField[] = [];
  const unknown: string[] = [];
  const text = body.replace(FIELD_PATTERN, (whole, name: string) => {
    if (!isField(name)) {
      if (!unknown.includes(name)) unknown.push(name);
      return whole;
    }
    const value = fieldValue(name, ctx, language);
    if (value === '' && !missing.includes(name)) missing.push(name);
    return value;
  });
  return { text, missing, unknown };
}

/** The stable address of an article: `/kb/<id>` under the server's public origin. */
export function articleLink(origin: string, id: string): string {
  return `${origin.replace(/\/+$/, '')}/kb/${encodeURIComponent(id)}`;
}

/** The team templates a specialist is offered first: those of their own teams. */
export function templateTeamFirst(t: Pick<Template, 'scope'>, teams: readonly TeamId[]): number {
  if (t.scope.kind === 'personal') return 0;
  return teams.includes(t.scope.team) ? 1 : 2;
}
