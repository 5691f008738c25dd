/**
 * The local cache: every read of the desk is served from here (and from the in-memory store
 * built from it), so a case is found during a call online or not.
 *
 * `cases` holds the server's truth only. Local edits live in `outbox` until the server answers,
 * and the UI shows case + pending edits (rebased, as in Replicache), so a pull can never
 * overwrite an edit that is still on its way and nothing is lost on reload.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { AccessGrant, Case, CaseEvent, Contact, Customer, Mutation, NumberBlock, Specialist } from '../../../shared/index';

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
  conflict?: { fields: string[]; theirs: Case };
  /** Set on a rejection: the server's reason, shown localised. */
  error?: { code: string; message: string; field?: string };
}

export interface NewCaseDraft {
  customerId: string | null;
  contactId: string | null;
  product: Case['product'];
  module: Case['module'];
  category: Case['category'];
  serviceLevel: Case['serviceLevel'];
  team: Case['team'];
  title: string;
  description: string;
  channel: Case['channel'];
  callId: string | null;
}

/** Everything the sync client remembers between runs, one record per key. */
export interface MetaValues {
  clientId: string;
  me: Specialist;
  /** Pull changes after this `seq`. */
  cursor: number;
  snapshotSeq: number;
  /** The bootstrap page to fetch next (resume after a restart); null when none started. */
  bootstrapNext: string | null;
  bootstrapDone: boolean;
  bootstrapProgress: { done: number; total: number };
  lastSyncedAt: string;
  lastMutationId: number;
  /** Leased case numbers not used yet, lowest first (see sync/numbers.ts). */
  numberBlocks: NumberBlock[];
  newCaseDraft: NewCaseDraft;
}
export type MetaKey = keyof MetaValues;
interface MetaRecord {
  key: MetaKey;
  value: unknown;
}

export class DeskDb extends Dexie {
  cases!: EntityTable<Case, 'id'>;
  customers!: EntityTable<Customer, 'id'>;
  contacts!: EntityTable<Contact, 'id'>;
  specialists!: EntityTable<Specialist, 'id'>;
  grants!: EntityTable<AccessGrant, 'id'>;
  events!: EntityTable<CaseEvent, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'mutationId'>;
  meta!: EntityTable<MetaRecord, 'key'>;

  constructor(name: string) {
    super(name);
    // Version 1. A later schema adds `this.version(2).stores({...}).upgrade(...)` below; never
    // edit this line, or existing caches would not open.
    // Indexes cost bootstrap write speed (each ~10–15 % in Chromium), so cases carry only those
    // IndexedDB itself must answer: number (lookup before the store has loaded), team+status
    // (open cases first on a cold start), customer and last change. By contact or assignee is
    // answered by the in-memory store.
    this.version(1).stores({
      cases: 'id, &number, [team+status], customerId, updatedAt',
      customers: 'id',
      contacts: 'id, phone, customerId',
      specialists: 'id',
      grants: 'id, customerId',
      events: 'id, caseId',
      outbox: 'mutationId, state, caseId',
      meta: 'key',
    });
  }

  async getMeta<K extends MetaKey>(key: K): Promise<MetaValues[K] | undefined> {
    const rec = await this.meta.get(key);
    return rec?.value as MetaValues[K] | undefined;
  }

  async setMeta<K extends MetaKey>(key: K, value: MetaValues[K]): Promise<void> {
    await this.meta.put({ key, value });
  }
}

/** One cache per server and specialist, so two people on one machine never share edits. */
export function cacheName(serverUrl: string, specialistId: string): string {
  const server = serverUrl.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  return `desk:${server}:${specialistId}`;
}
