/**
 * The two read paths of sync, rendered straight to JSON text (see store/json.ts):
 * - bootstrap: a snapshot in pages, keyset-paged by an opaque cursor. The first page is what a
 *   desk needs to show its queue at once: the specialists, the first open cases of the requested
 *   teams and exactly the customers and contacts those name. Then the rest of the reference
 *   data (every case after it finds its customer, whose country is its SLA calendar), the other
 *   open cases of the teams, then every other case, and last the timelines (notes and status
 *   history) of the teams' open cases, so that a desk shows them offline too — after every
 *   row, so that the queue and the customers' histories are complete as early as before;
 * - changes: the current state of every entity changed after a `seq`, each once.
 *
 * Bootstrap pages hold current rows, not a frozen snapshot: the first page records the `seq`
 * it started at, and any change after it (including one that moves a case between phases)
 * is in the change feed the desk pulls next, applied idempotently by id and version.
 */
import { z } from 'zod';
import { TeamIdSchema } from '../../shared/contract';
import type { TeamId } from '../../shared/teams';
import { HttpError } from '../http/errors';
import type { EntityName } from '../store/change-log';
import type { Store } from '../store/store';
import type { BootstrapQueries, FirstPage } from './bootstrap-queries';

/** Ended grants stay in the snapshot this long, so a desk can say "ended yesterday". */
const RECENT_GRANT_MS = 30 * 24 * 3_600_000;
/** The caller log a desk starts with: this long back, and every missed call still open. */
export const CALL_WINDOW_MS = 30 * 24 * 3_600_000;

const Phase = { firstOpen: 0, reference: 1, openCases: 2, otherCases: 3, openEvents: 4, done: 5 } as const;

/**
 * The events phase's pages cost this many cases of the page's limit per case whose timeline
 * they carry (a case has a handful of events, each smaller than a full case): a page of 5,000
 * carries the events of 2,500 open cases, about as much text as a page of cases, so the phase
 * takes a few round trips and transactions, not dozens. The desk stores them in slices of a few
 * hundred cases each (renderer cache/chunks.ts SLICE_EVENT_CASES), which a timeline reads whole.
 */
export const EVENT_CASE_COST = 2;

const CursorSchema = z.object({
  // 3: with the events phase; a cursor of version 2 is refused (the desk starts over).
  v: z.literal(3),
  /** snapshotSeq */
  s: z.number().int().min(0),
  /** teams */
  t: z.array(TeamIdSchema).min(1).max(2),
  /** phase */
  p: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  /** the last key of the phase: a customer id (reference) or a case number (cases, events) */
  k: z.union([z.string().max(64), z.number().int().min(0)]),
  /** the last case number of the first page: where the open cases continue, and what it carried */
  o: z.number().int().min(0),
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

/** `team IN (?, ?)`: one team is passed twice. */
const teamPair = (teams: readonly TeamId[]): [number, number] => [teams[0] ?? 1, teams[1] ?? teams[0] ?? 1];

export interface RenderedPage {
  json: string;
  /**
   * The contacts whose personal data the page carries, for the audit log: the contacts
   * themselves and the callers its call events name. The route writes one row per contact
   * and request, all in one transaction.
   */
  contactIds: string[];
  /** The bootstrap's last page (no `next`). */
  last?: boolean;
}

const list = (items: readonly string[]): string => `[${items.join(',')}]`;

/**
 * @param visibleSeq the newest seq that is on disk (see PushQueue.visibleSeq): the snapshot
 *   starts there, so the feed after it holds whatever the pages show that is newer
 */
export function bootstrapPage(
  store: Store,
  queries: BootstrapQueries,
  teams: TeamId[],
  page: string | undefined,
  limit: number,
  now: Date,
  visibleSeq: number,
  /** Whose desk asks: personal templates go to their owner only. */
  specialistId = '',
): RenderedPage {
  const steps = bootstrapSteps(store, queries, teams, page, limit, now, visibleSeq, specialistId);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same page, rendered a slice at a time with the event loop free in between (setImmediate):
 * a page of 5,000 cases is a few dozen milliseconds of SQLite and JSON on the one thread, and
 * with several desks bootstrapping, pushes, lookups and the live socket would otherwise wait
 * behind whole pages. Between slices the store may change: as between pages, whatever changed
 * after the snapshot's seq is in the change feed the desk pulls next.
 */
export async function bootstrapPageSliced(...args: Parameters<typeof bootstrapPage>): Promise<RenderedPage> {
  const steps = bootstrapSteps(...args);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Rows read per query of a page (a slice); the event loop is free between slices. */
export const BOOTSTRAP_SLICE = 500;

function* bootstrapSteps(
  store: Store,
  queries: BootstrapQueries,
  teams: TeamId[],
  page: string | undefined,
  limit: number,
  now: Date,
  visibleSeq: number,
  specialistId = '',
): Generator<void, RenderedPage> {
  const first = page === undefined;
  // The seq is read before any data, so every later change is in the feed after it.
  const cursor: Cursor = first ? { v: 3, s: visibleSeq, t: teams, p: 0, k: 0, o: 0, d: 0 } : decodeCursor(page);
  if (!sameTeams(cursor.t, teams)) {
    throw new HttpError(400, 'invalid', 'the teams must stay the same for the whole bootstrap', 'teams');
  }
  const cases: string[] = [];
  const customers: string[] = [];
  const contacts: string[] = [];
  const contactIds: string[] = [];
  const events: string[] = [];
  const eventIds: string[] = [];
  const addContacts = (rows: ReadonlyArray<[string, string]>): void => {
    for (const [id, json] of rows) {
      contacts.push(json);
      contactIds.push(id);
    }
  };
  let { p: phase, k: key, o: firstPageLast, d: done } = cursor;
  const firstPage = (): FirstPage => ({ teams: teamPair(cursor.t), lastNumber: firstPageLast, snapshotSeq: cursor.s });
  let budget = limit;
  for (let sliced = false; budget > 0 && phase !== Phase.done; sliced = true) {
    if (sliced) yield;
    // Each query reads at most a slice; a phase is complete when a query returns fewer rows.
    const step = Math.min(budget, BOOTSTRAP_SLICE);
    if (phase === Phase.firstOpen) {
      // In one query: the reference phase is computed from the first page's last number.
      const rows = store.cases.openInTeams(cursor.t, 0, budget);
      const named = rows.map(([, json]) => JSON.parse(json) as { customerId: string; contactId: string | null });
      for (const [, json] of rows) cases.push(json);
      customers.push(...store.customers.jsonByIds([...new Set(named.map((c) => c.customerId))]));
      addContacts(store.contacts.jsonByIds([...new Set(named.flatMap((c) => (c.contactId === null ? [] : [c.contactId])))]));
      budget -= rows.length;
      done += rows.length;
      firstPageLast = rows[rows.length - 1]?.[0] ?? 0;
      [phase, key] = [Phase.reference, ''];
    } else if (phase === Phase.reference) {
      const after = String(key);
      const rows = queries.customers(firstPage(), after, step);
      for (const [, json] of rows) customers.push(json);
      budget -= rows.length;
      // Fewer rows than asked for: the phase is complete, and its contacts run to the end.
      const complete = rows.length < step;
      const last = rows[rows.length - 1]?.[0] ?? null;
      addContacts(queries.contacts(firstPage(), after, complete ? null : last));
      if (complete) [phase, key] = [Phase.openCases, firstPageLast];
      else key = last ?? after;
    } else if (phase === Phase.openEvents) {
      // Events are only ever added: one added after the snapshot is in the feed (sent twice at
      // most, stored by id), and a case closed since then costs a few events more, not fewer.
      const caseLimit = Math.max(1, Math.floor(step / EVENT_CASE_COST));
      const page = queries.openCaseEvents(teamPair(cursor.t), Number(key), caseLimit);
      for (const [, id, json] of page.events) {
        events.push(json);
        eventIds.push(id);
      }
      budget -= caseLimit * EVENT_CASE_COST;
      if (page.complete) [phase, key] = [Phase.done, 0];
      else key = page.last ?? key;
    } else {
      const rows =
        phase === Phase.openCases
          ? store.cases.openInTeams(cursor.t, Number(key), step)
          : store.cases.allOthers(cursor.t, Number(key), step);
      for (const [, json] of rows) cases.push(json);
      budget -= rows.length;
      done += rows.length;
      const last = rows[rows.length - 1];
      if (rows.length < step) [phase, key] = [phase === Phase.openCases ? Phase.otherCases : Phase.openEvents, 0];
      else key = last?.[0] ?? key;
    }
  }
  const next = phase === Phase.done ? null : encodeCursor({ ...cursor, p: phase, k: key, o: firstPageLast, d: done });
  const specialists = first ? store.specialists.listJson() : [];
  const grants = first ? store.grants.expiringAfterJson(new Date(now.getTime() - RECENT_GRANT_MS).toISOString()) : [];
  const calls = first ? store.calls.windowJson(cursor.t, new Date(now.getTime() - CALL_WINDOW_MS).toISOString()) : [];
  // Answers: every team's templates and the specialist's own, and the knowledge base (first page).
  const templates = first ? store.templates.visibleJson(specialistId) : [];
  const articles = first ? store.articles.liveJson() : [];
  // Every office's calendar exceptions (tombstones too: a handful a year), with the first page.
  const calendarExceptions = first ? store.calendarExceptions.allJson() : [];
  for (const [contactId] of calls) if (contactId !== null) contactIds.push(contactId);
  const json =
    `{"cases":${list(cases)},"customers":${list(customers)},"contacts":${list(contacts)},` +
    `"specialists":${list(specialists)},"grants":${list(grants)},"events":${list(events)},"calls":${list(calls.map(([, j]) => j))},"templates":${list(templates)},"articles":${list(articles)},"calendarExceptions":${list(calendarExceptions)},` +
    // The files on the carried events (records only: the bytes are fetched when shown).
    `"attachments":${list(store.attachments.jsonByEvents(eventIds))},"snapshotSeq":${cursor.s},` +
    `"next":${next === null ? 'null' : JSON.stringify(next)},"progress":{"done":${done},"total":${store.cases.count()}}}`;
  // The callers the carried calls name (their name and number) are personal data too.
  if (eventIds.length > 0) contactIds.push(...store.events.callContactsOf(eventIds), ...store.events.mailContactsOf(eventIds));
  return { json, contactIds, last: next === null };
}

/** @param visibleSeq the newest seq that is on disk: later changes are not given out yet. */
export function changesPage(store: Store, after: number, limit: number, visibleSeq: number, specialistId = ''): RenderedPage {
  const latestSeq = visibleSeq;
  const rows = store.changes.after(after, limit).filter(([seq]) => seq <= latestSeq);
  const cursor = rows.length > 0 ? (rows[rows.length - 1]?.[0] ?? after) : after;
  const ids: Record<EntityName, Set<string>> = {
    cases: new Set(),
    customers: new Set(),
    contacts: new Set(),
    specialists: new Set(),
    grants: new Set(),
    events: new Set(),
    calls: new Set(),
    attachments: new Set(),
    templates: new Set(),
    articles: new Set(),
    calendarExceptions: new Set(),
  };
  for (const [, entity, id] of rows) ids[entity].add(id);
  const contactRows = store.contacts.jsonByIds([...ids.contacts]);
  const eventIds = [...ids.events];
  const callRows = store.calls.jsonByIds([...ids.calls]);
  const attachmentRows = store.attachments.jsonByIds([...ids.attachments]);
  // An attachment in the log but no longer stored was removed (an anonymised person's file).
  const stillThere = new Set(attachmentRows.map((j) => (JSON.parse(j) as { id: string }).id));
  const removed = [...ids.attachments].filter((id) => !stillThere.has(id) && store.attachments.get(id) === null);
  const json =
    `{"cases":${list(store.cases.jsonByIds([...ids.cases]))},` +
    `"customers":${list(store.customers.jsonByIds([...ids.customers]))},` +
    `"contacts":${list(contactRows.map(([, j]) => j))},` +
    `"specialists":${list(store.specialists.jsonByIds([...ids.specialists]))},` +
    `"grants":${list(store.grants.jsonByIds([...ids.grants]))},` +
    `"events":${list(store.events.jsonByIds(eventIds))},` +
    `"calls":${list(callRows.map(([, j]) => j))},` +
    `"attachments":${list(attachmentRows)},"attachmentsRemoved":${JSON.stringify(removed)},` +
    // Another specialist's personal template is left out: its change costs this desk nothing.
    `"templates":${list(store.templates.jsonByIdsFor([...ids.templates], specialistId))},` +
    `"articles":${list(store.articles.jsonByIds([...ids.articles]))},` +
    `"calendarExceptions":${list(store.calendarExceptions.jsonByIds([...ids.calendarExceptions]))},` +
    `"cursor":${cursor},"latestSeq":${latestSeq},"hasMore":${cursor < latestSeq}}`;
  // The contacts the page carries, and those its logged calls name (their name and number).
  const callers = callRows.flatMap(([id]) => (id === null ? [] : [id]));
  return { json, contactIds: [...contactRows.map(([id]) => id), ...store.events.callContactsOf(eventIds), ...store.events.mailContactsOf(eventIds), ...callers] };
}
