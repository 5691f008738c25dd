/**
 * The row formats older caches still hold (see rows.ts for the one written now): read until
 * compaction rewrites their chunks, never written.
 */
import type { Office } from '../../../shared/index';
import type { CaseRow, Delta } from './rows';

/**
 * A row as the first cache format stored it: its values in a fixed order, without the names.
 * Still read (caches written before `Packed`), never written.
 */
export type RowTuple = [
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
export const fromTuple = (t: RowTuple): CaseRow => ({
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
 * Rows as the second format stored them: one array per field; the fields few cases differ in as
 * positions in the delta's table of texts (`s`); times after registration as milliseconds since
 * it; booleans as 0/1. Still read, never written.
 */
type Columns2 = [
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

export interface Packed2 extends Omit<Delta, 'rows'> {
  v: 2;
  s: string[];
  c: Columns2;
}

export function unpack2(c: Columns2, s: readonly string[]): CaseRow[] {
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
