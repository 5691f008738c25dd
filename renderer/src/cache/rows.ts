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

export function toRow(c: Case, office: Office): CaseRow {
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
  };
  row.deadlineAt = currentDeadline(row);
  return row;
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
}

export function emptyDelta(): Delta {
  return { rows: [], customers: [], contacts: [], specialists: [], grants: [], eventCaseIds: [] };
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
  let current: Delta = { ...emptyDelta(), eventCaseIds: delta.eventCaseIds };
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
        current = emptyDelta();
        room = size;
      }
    }
  }
  if (room < size) chunks.push(current);
  return chunks;
}
