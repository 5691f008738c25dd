/** Test rows: a complete CaseRow with sensible defaults, overridden per test. */
import type { DisplayRow } from '../../renderer/src/model/rows';

let seq = 0;

export function row(overrides: Partial<DisplayRow> = {}): DisplayRow {
  seq++;
  return {
    id: `case-${seq}`,
    number: 100_000 + seq,
    customerId: 'cust-1',
    contactId: null,
    product: 'go',
    module: 'finance',
    category: 'support',
    serviceLevel: null,
    status: 'new',
    team: 1,
    assigneeId: null,
    title: `Case ${seq}`,
    channel: 'phone',
    billableMinutes: 0,
    billingInformed: false,
    registeredAt: Date.UTC(2026, 2, 2, 8, 0) + seq * 60_000,
    handlingStartedAt: null,
    resolvedAt: null,
    updatedAt: Date.UTC(2026, 2, 2, 8, 0) + seq * 60_000,
    version: 1,
    office: 'SE',
    deadlineAt: null,
    slice: null,
    ...overrides,
  };
}
