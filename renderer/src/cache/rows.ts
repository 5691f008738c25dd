/**
 * The compact in-memory form of a case. The queue, the counts and lookup by number work on
 * these: 100,000 of them fit in a few tens of MB, while full cases (description, field
 * versions) stay in IndexedDB until a detail view asks for one. Times are epoch milliseconds so
 * sorting never parses a date.
 */
import {
  handlingDeadline,
  resolutionTarget,
  type AccessGrant,
  type Case,
  type CaseEvent,
  type Contact,
  type Customer,
  type Office,
  type Specialist,
} from '../../../shared/index';
import { fromTuple, unpack2, type Packed2, type RowTuple } from './rowsLegacy';

export interface CaseRow {
  id: string;
  number: number;
  customerId: string;
  contactId: string | null;
  product: Case['product'];
  module: Case['module'];
  category: Case['category'];
  serviceLevel: Case['serviceLevel'];
  status: Case['status'];
  team: Case['team'];
  assigneeId: string | null;
  title: string;
  channel: Case['channel'];
  billableMinutes: number;
  billingInformed: boolean;
  registeredAt: number;
  handlingStartedAt: number | null;
  resolvedAt: number | null;
  updatedAt: number;
  version: number;
  /** The customer's country: the business calendar of its SLA, and the office filter. */
  office: Office;
  /** The deadline of the SLA phase the case is in (ms), null when no SLA clock runs. */
  deadlineAt: number | null;
  /**
   * The cache slice holding the full record of this version (see cache/chunks.ts); null when
   * it is stored on its own (a push answer, a case fetched by number) or not at all (offline).
   */
  slice: number | null;
}

const ms = (iso: string): number => Date.parse(iso);
const msOrNull = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/**
 * Computed once per case version (here, in the sync worker), never per render: the business
 * calendar walk is the expensive part of an SLA, the remaining time is cheap from a deadline.
 */
export function currentDeadline(c: Pick<CaseRow, 'category' | 'serviceLevel' | 'status' | 'handlingStartedAt' | 'resolvedAt' | 'registeredAt' | 'office'>): number | null {
  if (c.category !== 'bug' || c.serviceLevel === null || c.status === 'closed' || c.resolvedAt !== null) return null;
  const registered = new Date(c.registeredAt);
  return c.handlingStartedAt === null
    ? handlingDeadline(registered, c.serviceLevel, c.office).getTime()
    : resolutionTarget(registered, c.serviceLevel, c.office).deadline.getTime();
}

export function toRow(c: Case, office: Office, slice: number | null = null): CaseRow {
  const row: CaseRow = {
    id: c.id,
    number: c.number,
    customerId: c.customerId,
    contactId: c.contactId,
    product: c.product,
    module: c.module,
    category: c.category,
    serviceLevel: c.serviceLevel,
    status: c.status,
    team: c.team,
    assigneeId: c.assigneeId,
    title: c.title,
    channel: c.channel,
    billableMinutes: c.billableMinutes,
    billingInformed: c.billingInformed,
    registeredAt: ms(c.registeredAt),
    handlingStartedAt: msOrNull(c.handlingStartedAt),
    resolvedAt: msOrNull(c.resolvedAt),
    updatedAt: ms(c.updatedAt),
    version: c.version,
    office,
    deadlineAt: null,
    slice,
  };
  row.deadlineAt = currentDeadline(row);
  return row;
}

/**
 * Rows as stored and sent between threads (format 3). A cold start reads and parses every
 * stored byte on the UI thread — IndexedDB alone costs several milliseconds per MB — so every
 * byte a row does not need is left out, in ways that cost nothing to undo:
 * - one array per field (`Columns`, no names; numbers in arrays of numbers only);
 * - the fields few cases differ in (product, status, assignee, customer, …) as positions in the
 *   delta's table of those texts (`Packed.s`);
 * - numbers and registration times as the difference to the row before (pages come in order,
 *   so mostly a few digits), the other times as milliseconds after registration, the slice as
 *   the difference to the row before (mostly 0);
 * - a missing value as 0 rather than `null` (`orNone`), booleans as 0/1.
 * Ids, contacts and titles stay as they are: nearly every row has its own.
 */
type Columns = [
  id: string[],
  numberStep: number[],
  customerId: number[],
  contactId: Array<string | null>,
  product: number[],
  module: number[],
  category: number[],
  serviceLevel: number[],
  status: number[],
  team: Array<CaseRow['team']>,
  assigneeId: number[],
  title: string[],
  channel: number[],
  billableMinutes: number[],
  billingInformed: Array<0 | 1>,
  registeredStep: number[],
  handlingStartedAfter: number[],
  resolvedAfter: number[],
  updatedAfter: number[],
  version: number[],
  office: number[],
  deadlineAfter: number[],
  sliceStep: number[],
];

/**
 * Reference data with many items (customers, contacts) as one array per field under the field
 * names, which JSON would otherwise repeat for every item. Items whose fields differ from the
 * first one's are kept as they are (`o`).
 */
interface Records<T> {
  k: string[];
  v: unknown[][];
  o: T[];
}

interface Packed extends Omit<Delta, 'rows' | 'customers' | 'contacts'> {
  v: 3;
  /** The texts the table fields of `c` point into. */
  s: string[];
  c: Columns;
  customers: Records<Customer>;
  contacts: Records<Contact>;
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

/**
 * A nullable number as a number, 0 for none: values from 0 up move up by one, negative ones
 * stay (times after registration are never negative in practice, but nothing may break if one is).
 */
const orNone = (n: number | null): number => (n === null ? 0 : n >= 0 ? n + 1 : n);
const fromNone = (n: number): number | null => (n === 0 ? null : n > 0 ? n - 1 : n);
const after = (t: number | null, from: number): number => orNone(t === null ? null : t - from);
const at = (code: number, from: number): number | null => {
  const n = fromNone(code);
  return n === null ? null : from + n;
};
/** Each value as the difference to the one before (the first to 0). */
const steps = (values: readonly number[]): number[] => values.map((v, i) => (i === 0 ? v : v - (values[i - 1] as number)));

function toRecords<T extends object>(items: readonly T[]): Records<T> {
  const first = items[0];
  if (!first) return { k: [], v: [], o: [] };
  const k = Object.keys(first);
  const same = (item: T): boolean => {
    const keys = Object.keys(item);
    return keys.length === k.length && keys.every((key, i) => key === k[i]);
  };
  const alike = items.filter(same);
  const v = k.map((key) => alike.map((item) => (item as Record<string, unknown>)[key]));
  return { k, v, o: items.filter((item) => !same(item)) };
}

function fromRecords<T>(records: Records<T>): T[] {
  const { k, v, o } = records;
  const count = v[0]?.length ?? 0;
  const items = new Array<T>(count);
  for (let i = 0; i < count; i++) {
    const item: Record<string, unknown> = {};
    for (let j = 0; j < k.length; j++) item[k[j] as string] = (v[j] as unknown[])[i];
    items[i] = item as T;
  }
  for (const item of o) items.push(item);
  return items;
}

/** A delta as JSON text (format 3): how the cache stores it and the sync worker sends it. */
export function encodeDelta(delta: Delta): string {
  const { rows, customers, contacts, ...rest } = delta;
  const table = textTable();
  const at = table.at;
  const field = <T>(value: (r: CaseRow) => T): T[] => rows.map(value);
  let slice = 0;
  const c: Columns = [
    field((r) => r.id),
    steps(field((r) => r.number)),
    field((r) => at(r.customerId)),
    field((r) => r.contactId),
    field((r) => at(r.product)),
    field((r) => at(r.module)),
    field((r) => at(r.category)),
    field((r) => orNone(r.serviceLevel)),
    field((r) => at(r.status)),
    field((r) => r.team),
    field((r) => orNone(r.assigneeId === null ? null : at(r.assigneeId))),
    field((r) => r.title),
    field((r) => at(r.channel)),
    field((r) => r.billableMinutes),
    field((r) => (r.billingInformed ? 1 : 0)),
    steps(field((r) => r.registeredAt)),
    field((r) => after(r.handlingStartedAt, r.registeredAt)),
    field((r) => after(r.resolvedAt, r.registeredAt)),
    field((r) => r.updatedAt - r.registeredAt),
    field((r) => r.version),
    field((r) => at(r.office)),
    field((r) => after(r.deadlineAt, r.registeredAt)),
    field((r) => {
      // The slice relative to the row before (null as 0, like orNone); most rows share one.
      const code = orNone(r.slice);
      const step = code - slice;
      slice = code;
      return step;
    }),
  ];
  const packed: Packed = { ...rest, v: 3, s: table.texts, c, customers: toRecords(customers), contacts: toRecords(contacts) };
  return JSON.stringify(packed);
}

function unpack(c: Columns, s: readonly string[]): CaseRow[] {
  const [id, numberStep, customerId, contactId, product, module, category, serviceLevel, status, team, assigneeId, title, channel, billableMinutes, billingInformed, registeredStep, handlingStartedAfter, resolvedAfter, updatedAfter, version, office, deadlineAfter, sliceStep] = c;
  const rows = new Array<CaseRow>(id.length);
  let number = 0;
  let from = 0;
  let slice = 0;
  for (let i = 0; i < id.length; i++) {
    number += numberStep[i] as number;
    from += registeredStep[i] as number;
    slice += sliceStep[i] as number;
    const assignee = fromNone(assigneeId[i] as number);
    rows[i] = {
      id: id[i] as string,
      number,
      customerId: s[customerId[i] as number] as string,
      contactId: contactId[i] ?? null,
      product: s[product[i] as number] as CaseRow['product'],
      module: s[module[i] as number] as CaseRow['module'],
      category: s[category[i] as number] as CaseRow['category'],
      serviceLevel: fromNone(serviceLevel[i] as number) as CaseRow['serviceLevel'],
      status: s[status[i] as number] as CaseRow['status'],
      team: team[i] as CaseRow['team'],
      assigneeId: assignee === null ? null : (s[assignee] as string),
      title: title[i] as string,
      channel: s[channel[i] as number] as CaseRow['channel'],
      billableMinutes: billableMinutes[i] as number,
      billingInformed: billingInformed[i] === 1,
      registeredAt: from,
      handlingStartedAt: at(handlingStartedAfter[i] as number, from),
      resolvedAt: at(resolvedAfter[i] as number, from),
      updatedAt: from + (updatedAfter[i] as number),
      version: version[i] as number,
      office: s[office[i] as number] as Office,
      deadlineAt: at(deadlineAfter[i] as number, from),
      slice: fromNone(slice),
    };
  }
  return rows;
}

/** Reads every format: caches keep texts of the older ones until compaction rewrites them. */
export function decodeDelta(text: string): Delta {
  const stored = JSON.parse(text) as Packed | Packed2 | (Omit<Delta, 'rows'> & { v?: undefined; rows: RowTuple[] });
  if (stored.v === 3) {
    const { v: _v, s, c, customers, contacts, ...rest } = stored;
    return { ...rest, rows: unpack(c, s), customers: fromRecords(customers), contacts: fromRecords(contacts) };
  }
  if (stored.v === 2) {
    const { v: _v, s, c, ...rest } = stored;
    return { ...rest, rows: unpack2(c, s) };
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
}

export function emptyDelta(): Delta {
  return { rows: [], customers: [], contacts: [], specialists: [], grants: [], eventCaseIds: [], eventSlice: null, chunk: null };
}

export function eventCaseIds(events: readonly CaseEvent[]): string[] {
  return [...new Set(events.map((e) => e.caseId))];
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
