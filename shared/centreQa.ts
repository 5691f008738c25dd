/**
 * The customer centre's questions and answers ("Frågor och Svar" / "UKK"): the knowledge base's
 * public articles in the customer's language, searched on the server with the desk's readings of
 * words (shared/textTerms.ts). Only public, not deleted articles in the customer's language are
 * ever answered; who wrote an article (a specialist) is never told.
 */
import { z } from 'zod';
import { Id, Instant, LanguageSchema, ModuleSchema } from './contract';

/** Characters of a query read, at most. */
export const CENTRE_QA_QUERY_MAX = 200;
/** Results of one search, at most. */
export const CENTRE_QA_LIMIT_MAX = 50;
/** The suggestions under a new case's title. */
export const CENTRE_QA_SUGGESTIONS = 4;
/** A title this long (trimmed) is searched for suggestions. */
export const CENTRE_QA_SUGGEST_FROM = 3;
/** Characters of an article's body shown with a hit. */
export const CENTRE_QA_SNIPPET = 180;

/** `GET /api/centre/articles?q=&module=&limit=&match=`: no q (or no word in it) lists the newest first. */
export const CentreArticlesQuerySchema = z.object({
  q: z.string().max(CENTRE_QA_QUERY_MAX).optional(),
  module: ModuleSchema.optional(),
  limit: z.coerce.number().int().min(1).max(CENTRE_QA_LIMIT_MAX).default(20),
  /** `all`: every word must match (the search box); `any`: the more words the better (suggestions for a typed title). */
  match: z.enum(['all', 'any']).default('all'),
});
export type CentreArticlesQuery = z.input<typeof CentreArticlesQuerySchema>;

export const CentreArticleHitSchema = z.object({
  id: Id,
  module: ModuleSchema,
  title: z.string(),
  /** A piece of the body (its marks dropped) around the first match, or its start. */
  snippet: z.string(),
  /** The index terms that matched, to mark them in the title and snippet (shared/textTerms.ts highlight). */
  terms: z.array(z.string()),
  updatedAt: Instant,
});
export type CentreArticleHit = z.infer<typeof CentreArticleHitSchema>;
export const CentreArticlesResponseSchema = z.object({ articles: z.array(CentreArticleHitSchema) });
export type CentreArticlesResponse = z.infer<typeof CentreArticlesResponseSchema>;

export const CentreArticleSchema = z.object({
  id: Id,
  language: LanguageSchema,
  module: ModuleSchema,
  title: z.string(),
  /** The small markdown subset of shared/articleText.ts, shown as text. */
  body: z.string(),
  updatedAt: Instant,
});
export type CentreArticle = z.infer<typeof CentreArticleSchema>;
export const CentreArticleResponseSchema = z.object({ article: CentreArticleSchema });
export type CentreArticleResponse = z.infer<typeof CentreArticleResponseSchema>;
