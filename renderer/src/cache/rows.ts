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
 * A row as stored and sent between threads: its values in a fixed order, without the names.
 * A cold start reads every row from IndexedDB, and reading costs by the byte: this is less than
 * half of the same row as an object.
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

const toTuple = (r: CaseRow): RowTuple => [
  r.id,
  r.number,
  r.customerId,
  r.contactId,
  r.product,
  r.module,
  r.category,
  r.serviceLevel,
  r.status,
  r.team,
  r.assigneeId,
  r.title,
  r.channel,
  r.billableMinutes,
  r.billingInformed,
  r.registeredAt,
  r.handlingStartedAt,
  r.resolvedAt,
  r.updatedAt,
  r.version,
  r.office,
  r.deadlineAt,
  r.slice,
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

/** A delta as JSON text, rows as tuples: how the cache stores it and the sync worker sends it. */
export function encodeDelta(delta: Delta): string {
  return JSON.stringify({ ...delta, rows: delta.rows.map(toTuple) });
}

export function decodeDelta(text: string): Delta {
  const stored = JSON.parse(text) as Omit<Delta, 'rows'> & { rows: RowTuple[] };
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
