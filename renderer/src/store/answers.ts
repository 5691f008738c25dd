/**
 * Answers in memory: the reply templates and knowledge-base articles the sync brought, with the
 * specialist's own saves and deletions still in the outbox applied on top, so an edit made
 * offline shows at once (and in the picker) until the server's copy says it too.
 */
import type { Article, Template } from '../../../shared/index';
import type { OutboxEntry } from '../model/edits';
import { isLive } from '../model/overlay';
import type { Delta } from '../model/rows';

export class Answers {
  private readonly serverTemplates = new Map<string, Template>();
  private readonly serverArticles = new Map<string, Article>();
  private pending: OutboxEntry[] = [];
  private shownTemplates: Template[] | null = null;
  private shownArticles: Article[] | null = null;
  /** Grows on every change: what the UI memoises lists and the search index on. */
  version = 0;

  constructor(private readonly actorId: string) {}

  apply(delta: Pick<Delta, 'templates' | 'articles'>): void {
    const templates = delta.templates ?? [];
    const articles = delta.articles ?? [];
    if (templates.length + articles.length === 0) return;
    for (const t of templates) {
      const known = this.serverTemplates.get(t.id);
      if (!known || known.updatedAt <= t.updatedAt) this.serverTemplates.set(t.id, t);
    }
    for (const a of articles) {
      const known = this.serverArticles.get(a.id);
      if (!known || known.updatedAt <= a.updatedAt) this.serverArticles.set(a.id, a);
    }
    this.touch();
  }

  setOutbox(entries: readonly OutboxEntry[]): void {
    const pending = entries.filter(
      (e) => isLive(e) && (e.envelope.name === 'saveTemplate' || e.envelope.name === 'deleteTemplate' || e.envelope.name === 'saveArticle' || e.envelope.name === 'deleteArticle'),
    );
    if (pending.length === 0 && this.pending.length === 0) return;
    this.pending = pending;
    this.touch();
  }

  /** Live templates as this desk shows them (deleted ones left out), by title. */
  templates(): readonly Template[] {
    if (!this.shownTemplates) {
      const shown = new Map(this.serverTemplates);
      for (const e of this.pending) {
        const m = e.envelope;
        const at = m.occurredAt ?? e.createdAt;
        if (m.name === 'saveTemplate') shown.set(m.args.id, { ...m.args, updatedAt: at, updatedBy: this.actorId, deletedAt: null });
        else if (m.name === 'deleteTemplate') shown.delete(m.args.id);
      }
      this.shownTemplates = [...shown.values()].filter((t) => t.deletedAt === null).sort((a, b) => a.title.localeCompare(b.title));
    }
    return this.shownTemplates;
  }

  articles(): readonly Article[] {
    if (!this.shownArticles) {
      const shown = new Map(this.serverArticles);
      for (const e of this.pending) {
        const m = e.envelope;
        const at = m.occurredAt ?? e.createdAt;
        if (m.name === 'saveArticle') shown.set(m.args.id, { ...m.args, updatedAt: at, updatedBy: this.actorId, deletedAt: null });
        else if (m.name === 'deleteArticle') shown.delete(m.args.id);
      }
      this.shownArticles = [...shown.values()].filter((a) => a.deletedAt === null).sort((a, b) => a.title.localeCompare(b.title));
    }
    return this.shownArticles;
  }

  template(id: string): Template | undefined {
    return this.templates().find((t) => t.id === id);
  }

  article(id: string): Article | undefined {
    return this.articles().find((a) => a.id === id);
  }

  /** An edit of this template or article is on its way to the server. */
  isPending(id: string): boolean {
    return this.pending.some((e) => 'id' in e.envelope.args && e.envelope.args.id === id);
  }

  clear(): void {
    this.serverTemplates.clear();
    this.serverArticles.clear();
    this.pending = [];
    this.touch();
  }

  private touch(): void {
    this.shownTemplates = null;
    this.shownArticles = null;
    this.version++;
  }
}
