/**
 * The customer centre's questions and answers (`/api/centre/articles…`): the knowledge base's
 * public articles in the customer's language, searched (server/centre/articles.ts), and one
 * article. Customers only (`access: 'customer'`). Reading an article is audited; a search is
 * not (it shows no personal data, runs as the customer types, and its query is the customer's
 * own free text, which the audit log should not collect).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROUTES } from '../../shared/api';
import { CentreArticlesQuerySchema, type CentreArticleResponse, type CentreArticlesResponse } from '../../shared/centreQa';
import { centreSessionOf } from '../auth/access-hook';
import { CentreArticleIndex } from '../centre/articles';
import type { AppContext } from '../http/context';
import { HttpError, parseInput } from '../http/errors';

export const CENTRE_ARTICLE = '/api/centre/articles/:id';
const ArticleIdParam = z.object({ id: z.string().min(1).max(64) });

export function centreQaRoutes(app: FastifyInstance, ctx: AppContext): void {
  const index = new CentreArticleIndex(ctx.store);

  app.get(ROUTES.centreArticles, { config: { access: 'customer' } }, async (request): Promise<CentreArticlesResponse> => {
    const { customer } = centreSessionOf(request);
    const { q, module, limit, match } = parseInput(CentreArticlesQuerySchema, request.query);
    return { articles: index.search(customer.language, q ?? '', module, limit, match) };
  });

  app.get(CENTRE_ARTICLE, { config: { access: 'customer' } }, async (request): Promise<CentreArticleResponse> => {
    const { contact, customer } = centreSessionOf(request);
    const { id } = parseInput(ArticleIdParam, request.params, { status: 404 });
    const article = index.article(customer.language, id);
    if (!article) throw new HttpError(404, 'not_found', 'article not found', 'id');
    ctx.store.audit.recordAction({ at: ctx.now().toISOString(), specialistId: null, action: 'centre_article_view', route: CENTRE_ARTICLE, contactId: contact.id, targetId: article.id });
    return { article };
  });
}
