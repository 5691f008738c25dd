/**
 * The two read paths of sync, rendered straight to JSON text (see store/json.ts):
 * - bootstrap: a snapshot in pages — reference data (specialists and grants on the first page,
 *   then customers with their contacts), then the open cases of the requested teams, then every
 *   other case — keyset-paged by an opaque cursor;
 * - changes: the current state of every entity changed after a `seq`, each once.
 *
 * Bootstrap pages hold current rows, not a frozen snapshot: the first page records the `seq`
 * it started at, and any change after it (including one that moves a case between phases)
 * is in the change feed the desk pulls next, applied idempotently by id and version.
 */
import { z } from 'zod';
import { TeamIdSchema } from '../../shared/contract';
import type { TeamId } from '../../shared/teams';
import { HttpError } from '../http';
import type { EntityName } from '../store/sync';
import type { Store } from '../store/store';

/** Ended grants stay in the snapshot this long, so a desk can say "ended yesterday". */
const RECENT_GRANT_MS = 30 * 24 * 3_600_000;

const Phase = { reference: 0, openCases: 1, otherCases: 2, done: 3 } as const;

const CursorSchema = z.object({
  v: z.literal(1),
  /** snapshotSeq */
  s: z.number().int().min(0),
  /** teams */
  t: z.array(TeamIdSchema).min(1).max(2),
  /** phase */
  p: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  /** the last key of the phase: a customer id (phase 0) or a case number */
  k: z.union([z.string().max(64), z.number().int().min(0)]),
  /** cases delivered so far */
  d: z.number().int().min(0),
});
type Cursor = z.infer<typeof CursorSchema>;

const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(page: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(page, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = CursorSchema.safeParse(parsed);
  if (!result.success) throw new HttpError(400, 'invalid', 'not a page cursor from this server', 'page');
  return result.data;
}

const sameTeams = (a: readonly TeamId[], b: readonly TeamId[]): boolean =>
  a.length === b.length && a.every((team) => b.includes(team));

export interface RenderedPage {
  json: string;
  /** The contacts whose personal data the page carries, for the audit log. */
  contactIds: string[];
}

const list = (items: readonly string[]): string => `[${items.join(',')}]`;

export function bootstrapPage(store: Store, teams: TeamId[], page: string | undefined, limit: number, now: Date): RenderedPage {
  const first = page === undefined;
  // The seq is read before any data, so every later change is in the feed after it.
  const cursor: Cursor = first ? { v: 1, s: store.changes.latestSeq(), t: teams, p: 0, k: '', d: 0 } : decodeCursor(page);
  if (!sameTeams(cursor.t, teams)) {
    throw new HttpError(400, 'invalid', 'the teams must stay the same for the whole bootstrap', 'teams');
  }
  const cases: string[] = [];
  const customers: string[] = [];
  const contacts: string[] = [];
  const contactIds: string[] = [];
  let { p: phase, k: key, d: done } = cursor;
  let budget = limit;
  while (budget > 0 && phase !== Phase.done) {
    if (phase === Phase.reference) {
      const after = String(key);
      const rows = store.customers.page(after, budget);
      for (const [, json] of rows) customers.push(json);
      const last = rows[rows.length - 1];
      if (last) {
        for (const [id, json] of store.contacts.ofCustomerIdRange(after, last[0])) {
          contacts.push(json);
          contactIds.push(id);
        }
      }
      budget -= rows.length;
      // Fewer rows than asked for: the phase is complete.
      if (budget > 0) [phase, key] = [Phase.openCases, 0];
      else key = last?.[0] ?? after;
    } else {
      const rows =
        phase === Phase.openCases
          ? store.cases.openInTeams(cursor.t, Number(key), budget)
          : store.cases.allOthers(cursor.t, Number(key), budget);
      for (const [, json] of rows) cases.push(json);
      budget -= rows.length;
      done += rows.length;
      const last = rows[rows.length - 1];
      if (budget > 0) [phase, key] = [phase === Phase.openCases ? Phase.otherCases : Phase.done, 0];
      else key = last?.[0] ?? key;
    }
  }
  const next = phase === Phase.done ? null : encodeCursor({ ...cursor, p: phase, k: key, d: done });
  const specialists = first ? store.specialists.listJson() : [];
  const grants = first ? store.grants.expiringAfterJson(new Date(now.getTime() - RECENT_GRANT_MS).toISOString()) : [];
  const json =
    `{"cases":${list(cases)},"customers":${list(customers)},"contacts":${list(contacts)},` +
    `"specialists":${list(specialists)},"grants":${list(grants)},"events":[],"snapshotSeq":${cursor.s},` +
    `"next":${next === null ? 'null' : JSON.stringify(next)},"progress":{"done":${done},"total":${store.cases.count()}}}`;
  return { json, contactIds };
}

export function changesPage(store: Store, after: number, limit: number): RenderedPage {
  const rows = store.changes.after(after, limit);
  const latestSeq = store.changes.latestSeq();
  const cursor = rows.length > 0 ? (rows[rows.length - 1]?.[0] ?? after) : after;
  const ids: Record<EntityName, Set<string>> = {
    cases: new Set(),
    customers: new Set(),
    contacts: new Set(),
    specialists: new Set(),
    grants: new Set(),
    events: new Set(),
  };
  for (const [, entity, id] of rows) ids[entity].add(id);
  const contactRows = store.contacts.jsonByIds([...ids.contacts]);
  const json =
    `{"cases":${list(store.cases.jsonByIds([...ids.cases]))},` +
    `"customers":${list(store.customers.jsonByIds([...ids.customers]))},` +
    `"contacts":${list(contactRows.map(([, j]) => j))},` +
    `"specialists":${list(store.specialists.jsonByIds([...ids.specialists]))},` +
    `"grants":${list(store.grants.jsonByIds([...ids.grants]))},` +
    `"events":${list(store.events.jsonByIds([...ids.events]))},` +
    `"cursor":${cursor},"latestSeq":${latestSeq},"hasMore":${cursor < latestSeq}}`;
  return { json, contactIds: contactRows.map(([id]) => id) };
}
