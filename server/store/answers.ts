import type Database from 'better-sqlite3';
import type { Article, Template } from '../../shared/templates';
import { fromJsonOrNull, idList } from './json';

const bool = (column: string): string => `json(CASE WHEN ${column} THEN 'true' ELSE 'false' END)`;

/** A template as the API carries it (shared/templates.ts TemplateSchema), rendered by SQLite. */
export const TEMPLATE_JSON = `json_object(
  'id', t.id, 'language', t.language,
  'scope', CASE WHEN t.team IS NOT NULL THEN json_object('kind', 'team', 'team', t.team)
                ELSE json_object('kind', 'personal', 'ownerId', t.owner_id) END,
  'title', t.title, 'body', t.body, 'updatedAt', t.updated_at, 'updatedBy', t.updated_by, 'deletedAt', t.deleted_at)`;

export const ARTICLE_JSON = `json_object(
  'id', a.id, 'language', a.language, 'module', a.module, 'title', a.title, 'body', a.body,
  'public', ${bool('a.public')}, 'updatedAt', a.updated_at, 'updatedBy', a.updated_by, 'deletedAt', a.deleted_at)`;

/**
 * Reply templates. A desk gets every team's template and its specialist's personal ones, never
 * another specialist's (`visibleJson`, `jsonByIdsFor`): the owner filter is in the SQL.
 */
export class TemplateRepo {
  private readonly upsertRow;
  private readonly deleteRow;
  private readonly byId;
  private readonly live;
  private readonly byIds;

  constructor(db: Database.Database) {
    this.upsertRow = db.prepare(
      `INSERT INTO reply_templates (id, language, team, owner_id, title, body, updated_at, updated_by, deleted_at)
       VALUES (@id, @language, @team, @ownerId, @title, @body, @updatedAt, @updatedBy, @deletedAt)
       ON CONFLICT (id) DO UPDATE SET language = excluded.language, team = excluded.team, owner_id = excluded.owner_id,
         title = excluded.title, body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
         deleted_at = excluded.deleted_at`,
    );
    this.deleteRow = db.prepare<[string, string, string, string]>('UPDATE reply_templates SET deleted_at = ?, updated_at = ?, updated_by = ? WHERE id = ?');
    this.byId = db.prepare<[string], string>(`SELECT ${TEMPLATE_JSON} FROM reply_templates t WHERE t.id = ?`).pluck();
    this.live = db
      .prepare<[string], string>(
        `SELECT ${TEMPLATE_JSON} FROM reply_templates t WHERE t.deleted_at IS NULL AND (t.owner_id IS NULL OR t.owner_id = ?) ORDER BY t.id`,
      )
      .pluck();
    this.byIds = db
      .prepare<[string, string], string>(
        `SELECT ${TEMPLATE_JSON} FROM reply_templates t WHERE t.id IN (SELECT value FROM json_each(?)) AND (t.owner_id IS NULL OR t.owner_id = ?)`,
      )
      .pluck();
  }

  save(t: Template): void {
    this.upsertRow.run({
      id: t.id,
      language: t.language,
      team: t.scope.kind === 'team' ? t.scope.team : null,
      ownerId: t.scope.kind === 'personal' ? t.scope.ownerId : null,
      title: t.title,
      body: t.body,
      updatedAt: t.updatedAt,
      updatedBy: t.updatedBy,
      deletedAt: t.deletedAt,
    });
  }

  get(id: string): Template | null {
    return fromJsonOrNull<Template>(this.byId.get(id));
  }

  /** The templates a specialist's desk starts with: every team's and their own, none deleted. */
  visibleJson(specialistId: string): string[] {
    return this.live.all(specialistId);
  }

  /** These templates as the specialist may see them (tombstones included; others' personal ones left out). */
  jsonByIdsFor(ids: readonly string[], specialistId: string): string[] {
    return ids.length === 0 ? [] : this.byIds.all(idList(ids), specialistId);
  }

  markDeleted(id: string, at: string, by: string): void {
    this.deleteRow.run(at, at, by, id);
  }
}

/** Knowledge-base articles: every desk gets all of them. */
export class ArticleRepo {
  /** Counts this process's writes: the customer centre's search index rebuilds when it moved. */
  generation = 0;
  private readonly upsertRow;
  private readonly deleteRow;
  private readonly byId;
  private readonly live;
  private readonly byIds;

  constructor(db: Database.Database) {
    this.upsertRow = db.prepare(
      `INSERT INTO kb_articles (id, language, module, title, body, public, updated_at, updated_by, deleted_at)
       VALUES (@id, @language, @module, @title, @body, @public, @updatedAt, @updatedBy, @deletedAt)
       ON CONFLICT (id) DO UPDATE SET language = excluded.language, module = excluded.module, title = excluded.title,
         body = excluded.body, public = excluded.public, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
         deleted_at = excluded.deleted_at`,
    );
    this.deleteRow = db.prepare<[string, string, string, string]>('UPDATE kb_articles SET deleted_at = ?, updated_at = ?, updated_by = ? WHERE id = ?');
    this.byId = db.prepare<[string], string>(`SELECT ${ARTICLE_JSON} FROM kb_articles a WHERE a.id = ?`).pluck();
    this.live = db.prepare<[], string>(`SELECT ${ARTICLE_JSON} FROM kb_articles a WHERE a.deleted_at IS NULL ORDER BY a.id`).pluck();
    this.byIds = db.prepare<[string], string>(`SELECT ${ARTICLE_JSON} FROM kb_articles a WHERE a.id IN (SELECT value FROM json_each(?))`).pluck();
  }

  save(a: Article): void {
    this.upsertRow.run({ ...a, public: a.public ? 1 : 0 });
    this.generation += 1;
  }

  get(id: string): Article | null {
    return fromJsonOrNull<Article>(this.byId.get(id));
  }

  liveJson(): string[] {
    return this.live.all();
  }

  jsonByIds(ids: readonly string[]): string[] {
    return ids.length === 0 ? [] : this.byIds.all(idList(ids));
  }

  markDeleted(id: string, at: string, by: string): void {
    this.deleteRow.run(at, at, by, id);
    this.generation += 1;
  }
}
