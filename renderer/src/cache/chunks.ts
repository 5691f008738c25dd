/**
 * How the server's data is laid out in IndexedDB. Each page the desk receives (a bootstrap page,
 * a page of changes, a case fetched on its own) becomes:
 * - one row chunk: what the in-memory store is built from — compact rows and reference data —
 *   as texts of deltas (rows as tuples, see model/rowCodec.ts), a thousand items each;
 * - case slices: the full records (description, field versions) a few hundred per record, and
 *   the page's timeline events in slices of their own, a few hundred cases' events each; each
 *   row names the slice of its version, and a delta names the cases whose events a slice holds
 *   (`eventCaseIds`, `eventSlice`: one event slice per delta, so a page with several has one
 *   delta text more for each further slice, as compaction writes them).
 * Chunks only ever get added, in the order the data was learnt (ids increase), so reading them
 * in id order and keeping each case's newest version rebuilds the store. cache/compact.ts
 * drops superseded rows and keeps the queue's sort orders.
 */
import { applyCalendarExceptions } from '../../../shared/index';
import type { AccessGrant, Article, CalendarException, Call, Case, CaseEvent, Contact, Customer, Office, Specialist, Template } from '../../../shared/index';
import type { CaseSlice, DeskDb, RowChunk } from './db';
import { chunkDelta, emptyDelta, encodeDelta, eventCaseIds, toRow, type CaseRow, type Delta } from '../model/rows';

/** Full cases per slice: a detail view reads one slice, so a few hundred kB at most. */
export const SLICE_CASES = 250;
/**
 * Cases whose events share a slice: a timeline reads its slice whole, so a few hundred kB at
 * most, however many cases' events a page carries.
 */
export const SLICE_EVENT_CASES = 250;
/** Items (rows, customers, contacts, …) per delta text: a few milliseconds to parse. */
export const PART_ITEMS = 1_000;

export interface PageData {
  cases: readonly Case[];
  customers: Customer[];
  contacts: Contact[];
  specialists: Specialist[];
  grants: AccessGrant[];
  events: readonly CaseEvent[];
  /** The caller log's calls (bootstrap and pull pages; absent elsewhere). */
  calls?: readonly Call[];
  /** Reply templates and knowledge-base articles (bootstrap's first page and pull pages). */
  templates?: readonly Template[];
  articles?: readonly Article[];
  /** Offices' calendar exceptions (bootstrap's first page and pull pages). */
  calendarExceptions?: readonly CalendarException[];
}

export interface PreparedChunk {
  /** The page's rows and reference data, and its first event slice's cases. */
  delta: Delta;
  /** Its further event slices, one delta each (see SLICE_EVENT_CASES). */
  eventDeltas: Delta[];
  /** `delta` and `eventDeltas` as the JSON texts stored and sent to the UI thread. */
  parts: string[];
  /**
   * The page's calls: written to the `calls` table (not to the row chunk, so a cold start reads
   * them apart and old ones can be dropped), and sent to the UI as `callPart` after `parts`.
   */
  calls: Call[];
  callPart: string | null;
  /** The page's templates and articles: written to their own tables, sent in `callPart` too. */
  templates: Template[];
  articles: Article[];
  calendarExceptions: CalendarException[];
  chunk: RowChunk;
  slices: CaseSlice[];
}

/** Takes `count` consecutive ids for chunks and slices (in its own transaction unless in one). */
export async function allocateIds(db: DeskDb, count: number): Promise<number> {
  return db.transaction('rw', db.meta, async () => {
    const first = (await db.getMeta('nextChunkId')) ?? 1;
    await db.setMeta('nextChunkId', first + count);
    return first;
  });
}

/**
 * Turns a page into its chunk and slices, with ids taken now (the rows name their slice), so
 * that the UI can be given the page before it is written.
 */
export async function prepareChunk(db: DeskDb, page: PageData, officeOf: (customerId: string) => Office): Promise<PreparedChunk> {
  const caseSlices = Math.ceil(page.cases.length / SLICE_CASES);
  const eventGroups = groupEvents(page.events);
  const first = await allocateIds(db, 1 + caseSlices + eventGroups.length);
  const chunkId = first;
  const sliceId = (i: number): number => first + 1 + Math.floor(i / SLICE_CASES);
  const eventSliceId = (g: number): number => first + 1 + caseSlices + g;
  // The page's calendar exceptions count for its own cases' deadlines already.
  const calendarExceptions = [...(page.calendarExceptions ?? [])];
  if (calendarExceptions.length > 0) applyCalendarExceptions(calendarExceptions);
  const rows: CaseRow[] = page.cases.map((c, i) => toRow(c, officeOf(c.customerId), sliceId(i)));
  const slices: CaseSlice[] = [];
  for (let i = 0; i < caseSlices; i++) slices.push({ id: sliceId(i * SLICE_CASES), cases: page.cases.slice(i * SLICE_CASES, (i + 1) * SLICE_CASES), events: [] });
  eventGroups.forEach((g, i) => slices.push({ id: eventSliceId(i), cases: [], events: g.events }));
  const delta: Delta = {
    rows,
    customers: page.customers,
    contacts: page.contacts,
    specialists: page.specialists,
    grants: page.grants,
    eventCaseIds: eventGroups[0]?.caseIds ?? [],
    eventSlice: eventGroups.length > 0 ? eventSliceId(0) : null,
    chunk: chunkId,
  };
  // The further event slices: one delta each, naming its cases.
  const eventDeltas = eventGroups.slice(1).map((g, i): Delta => ({ ...emptyDelta(), eventCaseIds: g.caseIds, eventSlice: eventSliceId(i + 1), chunk: chunkId }));
  const parts = [...chunkDelta(delta, PART_ITEMS), ...eventDeltas].map(encodeDelta);
  const calls = [...(page.calls ?? [])];
  // Answers (templates, articles) travel in the same part as the calls: one part of no chunk.
  const templates = [...(page.templates ?? [])];
  const articles = [...(page.articles ?? [])];
  const answers = templates.length + articles.length === 0 ? {} : { templates, articles };
  const calendar = calendarExceptions.length === 0 ? {} : { calendarExceptions };
  const callPart = calls.length + templates.length + articles.length + calendarExceptions.length === 0 ? null : encodeDelta({ ...emptyDelta(), calls, ...answers, ...calendar });
  if (calls.length > 0) delta.calls = calls;
  return { delta, eventDeltas, parts, chunk: { id: chunkId, parts }, slices, calls, callPart, templates, articles, calendarExceptions };
}

/** A page's events in groups of SLICE_EVENT_CASES cases, each case's events in one group. */
function groupEvents(events: readonly CaseEvent[]): Array<{ caseIds: string[]; events: CaseEvent[] }> {
  const ids = eventCaseIds(events);
  if (ids.length <= SLICE_EVENT_CASES) return ids.length === 0 ? [] : [{ caseIds: ids, events: [...events] }];
  const group = new Map<string, number>(ids.map((id, i) => [id, Math.floor(i / SLICE_EVENT_CASES)]));
  const groups = Array.from({ length: Math.ceil(ids.length / SLICE_EVENT_CASES) }, (_, g) => ({
    caseIds: ids.slice(g * SLICE_EVENT_CASES, (g + 1) * SLICE_EVENT_CASES),
    events: [] as CaseEvent[],
  }));
  for (const e of events) groups[group.get(e.caseId) ?? 0]?.events.push(e);
  return groups;
}

/** What the UI thread is sent of a prepared page: the chunk's texts, then its calls and answers. */
export const sentParts = (prepared: PreparedChunk): string[] => (prepared.callPart === null ? prepared.parts : [...prepared.parts, prepared.callPart]);

/** Writes a prepared chunk; call inside a transaction over rowChunks and caseSlices. */
export async function writeChunk(db: DeskDb, prepared: PreparedChunk): Promise<void> {
  await db.rowChunks.put(prepared.chunk);
  await db.caseSlices.bulkPut(prepared.slices);
  // Only pages of the sync carry calls; their transactions include the table.
  if (prepared.calls.length > 0) await db.calls.bulkPut(prepared.calls);
  if (prepared.templates.length > 0) await db.templates.bulkPut(prepared.templates);
  if (prepared.articles.length > 0) await db.articles.bulkPut(prepared.articles);
  if (prepared.calendarExceptions.length > 0) await db.calendarExceptions.bulkPut(prepared.calendarExceptions);
  await refreshFetchedEvents(db, prepared.slices);
}

/**
 * A timeline fetched with its case is kept in `events`, and read after the slices (readTimeline,
 * the search index). A newer copy of one of its events (an anonymised note, a redacted call)
 * replaces it there too, so the older text never comes back from the cache.
 */
async function refreshFetchedEvents(db: DeskDb, slices: readonly CaseSlice[]): Promise<void> {
  const events = slices.flatMap((s) => s.events);
  if (events.length === 0 || (await db.events.count()) === 0) return;
  const known = await db.events.bulkGet(events.map((e) => e.id));
  const newer = events.filter((_, i) => known[i] !== undefined);
  if (newer.length > 0) await db.events.bulkPut(newer);
}

/**
 * The full record of a row's version: from its slice, or stored on its own (push answers,
 * cases fetched by number); whichever is the version the row shows, else the newest there is.
 */
export async function readFullCase(db: DeskDb, row: Pick<CaseRow, 'id' | 'version' | 'slice'>): Promise<Case | undefined> {
  const single = await db.cases.get(row.id);
  if (single && (row.slice === null || single.version >= row.version)) return single;
  if (row.slice !== null) {
    const fromSlice = (await db.caseSlices.get(row.slice))?.cases.find((c) => c.id === row.id);
    if (fromSlice && fromSlice.version >= (single?.version ?? 0)) return fromSlice;
  }
  return single;
}

/** The cached timeline of a case: fetched with it, and learnt from pulls (`slices`, from the store). */
export async function readTimeline(db: DeskDb, caseId: string, slices: readonly number[]): Promise<CaseEvent[]> {
  // Oldest slice first (ids grow in the order pages were learnt): an event the server recorded
  // again (a reply's mail moving queued → sent) is read last in its newest copy.
  const ordered = [...slices].sort((a, b) => a - b);
  const [fetched, stored] = await Promise.all([db.events.where('caseId').equals(caseId).toArray(), db.caseSlices.bulkGet(ordered)]);
  const byId = new Map<string, CaseEvent>();
  for (const slice of stored) for (const e of slice?.events ?? []) if (e.caseId === caseId) byId.set(e.id, e);
  for (const e of fetched) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.at.localeCompare(b.at));
}
