/**
 * How rows and reference data travel and are stored: deltas as JSON texts (format 2, columns;
 * format 1, tuples, still read). Kept apart from rows.ts (which computes SLA deadlines with the
 * business calendars) so that a cold start can read and decode the cache from a small first
 * script (session/cachePreload.ts, boot.ts) while the rest of the app is still being loaded.
 */
import type { AccessGrant, Article, CalendarException, Contact, Customer, Office, Specialist, Call, Template } from '../../../shared/index';
import type { CaseRow } from './rows';

/**
 * A row as the first cache format stored it: its values in a fixed order, without the names.
 * Still read (caches written before `Packed`), never written.
 */
type RowTuple = [
  id: string,
  number: number,
  customerId: string,
  contactId: string | null,
  product: CaseRow['product'],
  module: CaseRow['module'],
  category: CaseRow['category'],
  serviceLevel: CaseRow['serviceLevel'],
  status: CaseRow['status'],
  team: CaseRow['team'],
  assigneeId: string | null,
  title: string,
  channel: CaseRow['channel'],
  billableMinutes: number,
  billingInformed: boolean,
  registeredAt: number,
  handlingStartedAt: number | null,
  resolvedAt: number | null,
  updatedAt: number,
  version: number,
  office: Office,
  deadlineAt: number | null,
  slice: number | null,
];

// One object literal with every field in one order: all rows share one shape, which keeps
// sorting and filtering 100,000 of them fast.
const fromTuple = (t: RowTuple): CaseRow => ({
  id: t[0],
  number: t[1],
  customerId: t[2],
  contactId: t[3],
  product: t[4],
  module: t[5],
  category: t[6],
  serviceLevel: t[7],
  status: t[8],
  team: t[9],
  assigneeId: t[10],
  title: t[11],
  channel: t[12],
  billableMinutes: t[13],
  billingInformed: t[14],
  registeredAt: t[15],
  handlingStartedAt: t[16],
  resolvedAt: t[17],
  updatedAt: t[18],
  version: t[19],
  office: t[20],
  deadlineAt: t[21],
  slice: t[22],
});

/**
 * Rows as stored and sent between threads (format 2). A cold start reads and parses every row,
 * and both cost by the byte and by the value, so: one array per field (`Columns`, no names, and
 * a few dozen arrays per thousand rows instead of a thousand; numbers in an array of numbers
 * only); the fields few cases differ in (product, status, assignee, office, …) as positions in
 * the delta's table of those texts (`Packed.s`); times after registration as milliseconds since
 * it; booleans as 0/1. Ids and titles stay as they are: nearly every row has its own.
 */
type Columns = [
  id: string[],
  number: number[],
  customerId: string[],
  contactId: Array<string | null>,
  product: number[],
  module: number[],
  category: number[],
  serviceLevel: Array<CaseRow['serviceLevel']>,
  status: number[],
  team: Array<CaseRow['team']>,
  assigneeId: Array<number | null>,
  title: string[],
  channel: number[],
  billableMinutes: number[],
  billingInformed: Array<0 | 1>,
  registeredAt: number[],
  handlingStartedAfter: Array<number | null>,
  resolvedAfter: Array<number | null>,
  updatedAfter: number[],
  version: number[],
  office: number[],
  deadlineAfter: Array<number | null>,
  slice: Array<number | null>,
];

interface Packed extends Omit<Delta, 'rows'> {
  v: 2;
  /** The texts the table fields of `c` point into. */
  s: string[];
  c: Columns;
}

function textTable(): { texts: string[]; at: (text: string) => number } {
  const texts: string[] = [];
  const index = new Map<string, number>();
  return {
    texts,
    at(text) {
      let i = index.get(text);
      if (i === undefined) {
        i = texts.push(text) - 1;
        index.set(text, i);
      }
      return i;
    },
  };
}

const after = (t: number | null, from: number): number | null => (t === null ? null : t - from);

/** A delta as JSON text (format 2): how the cache stores it and the sync worker sends it. */
export function encodeDelta(delta: Delta): string {
  const { rows, ...rest } = delta;
  const table = textTable();
  const at = table.at;
  const field = <T>(value: (r: CaseRow) => T): T[] => rows.map(value);
  const c: Columns = [
    field((r) => r.id),
    field((r) => r.number),
    field((r) => r.customerId),
    field((r) => r.contactId),
    field((r) => at(r.product)),
    field((r) => at(r.module)),
    field((r) => at(r.category)),
    field((r) => r.serviceLevel),
    field((r) => at(r.status)),
    field((r) => r.team),
    field((r) => (r.assigneeId === null ? null : at(r.assigneeId))),
    field((r) => r.title),
    field((r) => at(r.channel)),
    field((r) => r.billableMinutes),
    field((r) => (r.billingInformed ? 1 : 0)),
    field((r) => r.registeredAt),
    field((r) => after(r.handlingStartedAt, r.registeredAt)),
    field((r) => after(r.resolvedAt, r.registeredAt)),
    field((r) => r.updatedAt - r.registeredAt),
    field((r) => r.version),
    field((r) => at(r.office)),
    field((r) => after(r.deadlineAt, r.registeredAt)),
    field((r) => r.slice),
  ];
  const packed: Packed = { ...rest, v: 2, s: table.texts, c };
  return JSON.stringify(packed);
}

function unpack(c: Columns, s: readonly string[]): CaseRow[] {
  const [id, number, customerId, contactId, product, module, category, serviceLevel, status, team, assigneeId, title, channel, billableMinutes, billingInformed, registeredAt, handlingStartedAfter, resolvedAfter, updatedAfter, version, office, deadlineAfter, slice] = c;
  const rows = new Array<CaseRow>(id.length);
  for (let i = 0; i < id.length; i++) {
    const from = registeredAt[i] as number;
    const handling = handlingStartedAfter[i] ?? null;
    const resolved = resolvedAfter[i] ?? null;
    const deadline = deadlineAfter[i] ?? null;
    const assignee = assigneeId[i] ?? null;
    rows[i] = {
      id: id[i] as string,
      number: number[i] as number,
      customerId: customerId[i] as string,
      contactId: contactId[i] ?? null,
      product: s[product[i] as number] as CaseRow['product'],
      module: s[module[i] as number] as CaseRow['module'],
      category: s[category[i] as number] as CaseRow['category'],
      serviceLevel: serviceLevel[i] ?? null,
      status: s[status[i] as number] as CaseRow['status'],
      team: team[i] as CaseRow['team'],
      assigneeId: assignee === null ? null : (s[assignee] as string),
      title: title[i] as string,
      channel: s[channel[i] as number] as CaseRow['channel'],
      billableMinutes: billableMinutes[i] as number,
      billingInformed: billingInformed[i] === 1,
      registeredAt: from,
      handlingStartedAt: handling === null ? null : from + handling,
      resolvedAt: resolved === null ? null : from + resolved,
      updatedAt: from + (updatedAfter[i] as number),
      version: version[i] as number,
      office: s[office[i] as number] as Office,
      deadlineAt: deadline === null ? null : from + deadline,
      slice: slice[i] ?? null,
    };
  }
  return rows;
}

/** Reads either format: caches keep texts of the first until compaction rewrites them. */
export function decodeDelta(text: string): Delta {
  const stored = JSON.parse(text) as Packed | (Omit<Delta, 'rows'> & { v?: undefined; rows: RowTuple[] });
  if (stored.v === 2) {
    const { v: _v, s, c, ...rest } = stored;
    return { ...rest, rows: unpack(c, s) };
  }
  return { ...stored, rows: stored.rows.map(fromTuple) };
}

/** Reference data and case rows as the sync worker hands them to the UI thread. */
export interface Delta {
  rows: CaseRow[];
  customers: Customer[];
  contacts: Contact[];
  specialists: Specialist[];
  grants: AccessGrant[];
  /** Case ids whose timeline changed, so an open detail view re-reads it. */
  eventCaseIds: string[];
  /** The cache slice holding those events (null: not stored in a slice). */
  eventSlice: number | null;
  /** The row chunk of the cache this delta is stored in (null: not stored as one). */
  chunk: number | null;
  /** Calls of the caller log (kept in the cache's `calls` table, not in row chunks); absent: none. */
  calls?: Call[];
  /** Reply templates and knowledge-base articles (kept in their own cache tables); absent: none. */
  templates?: Template[];
  articles?: Article[];
  /** Offices' calendar exceptions (kept in their own cache table), tombstones included; absent: none. */
  calendarExceptions?: CalendarException[];
}

export function emptyDelta(): Delta {
  return { rows: [], customers: [], contacts: [], specialists: [], grants: [], eventCaseIds: [], eventSlice: null, chunk: null };
}

/**
 * Splits a delta for postMessage: a structured clone of many thousand objects is one long task
 * on the receiving thread, a few hundred at a time are not. Reference data and rows are cut
 * alike; the first chunk keeps the timeline hints.
 */
export function chunkDelta(delta: Delta, size: number): Delta[] {
  const total = delta.rows.length + delta.customers.length + delta.contacts.length + delta.specialists.length + delta.grants.length;
  if (total <= size) return [delta];
  const chunks: Delta[] = [];
  const keys = ['customers', 'contacts', 'specialists', 'grants', 'rows'] as const;
  const part = (): Delta => ({ ...emptyDelta(), eventSlice: delta.eventSlice, chunk: delta.chunk });
  let current: Delta = { ...part(), eventCaseIds: delta.eventCaseIds };
  let room = size;
  for (const key of keys) {
    const list = delta[key] as readonly unknown[];
    for (let i = 0; i < list.length; ) {
      const take = list.slice(i, i + room);
      (current[key] as unknown[]).push(...take);
      i += take.length;
      room -= take.length;
      if (room === 0) {
        chunks.push(current);
        current = part();
        room = size;
      }
    }
  }
  if (room < size) chunks.push(current);
  return chunks;
}
