/**
 * The specialist's own work before the server has it: an edit waiting in the outbox, and a new
 * case kept as a draft while no case number is to be had.
 */
import type { Case, Mutation } from '../../../shared/index';

export type OutboxState = 'pending' | 'sent' | 'conflict' | 'rejected';

export interface OutboxEntry {
  /** Increasing per desk (see `lastMutationId`); with clientId the server's idempotency key. */
  mutationId: number;
  /** The case it changes (null for support-login grants), for the per-case overlay. */
  caseId: string | null;
  envelope: Mutation;
  state: OutboxState;
  createdAt: string;
  /** Set on a conflict: the fields someone else changed and the server's current case. */
  conflict?: { fields: string[]; theirs: Case; editorId?: string | null };
  /** Set on a rejection: the server's reason, shown localised. */
  error?: { code: string; message: string; field?: string };
}

export interface NewCaseDraft {
  customerId: string | null;
  contactId: string | null;
  product: Case['product'];
  /** null until chosen: a case is registered only with a module. */
  module: Case['module'] | null;
  category: Case['category'];
  serviceLevel: Case['serviceLevel'];
  team: Case['team'];
  title: string;
  description: string;
  channel: Case['channel'];
  callId: string | null;
}
