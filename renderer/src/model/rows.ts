/**
 * The compact in-memory form of a case. The queue, the counts and lookup by number work on
 * these: 100,000 of them fit in a few tens of MB, while full cases (description, field
 * versions) stay in IndexedDB until a detail view asks for one. Times are epoch milliseconds so
 * sorting never parses a date.
 */
import { handlingDeadline, resolutionTarget, type Case, type CaseEvent, type Office } from '../../../shared/index';

export { chunkDelta, decodeDelta, emptyDelta, encodeDelta, type Delta } from './rowCodec';

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

/** A row as the desk shows it: the server's, with the specialist's edits on their way overlaid. */
export interface DisplayRow extends CaseRow {
  /** Edits of this case still on their way to the server. */
  pending?: number;
  /** An edit of this case collided with someone else's; the specialist must choose. */
  conflict?: boolean;
  /** Created here and not yet acknowledged by the server. */
  local?: boolean;
}

const ms = (iso: string): number => Date.parse(iso);
export const msOrNull = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

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

export function eventCaseIds(events: readonly CaseEvent[]): string[] {
  return [...new Set(events.map((e) => e.caseId))];
}
