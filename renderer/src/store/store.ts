/**
 * The in-memory model of the cache the UI reads synchronously: case rows by id and by number
 * (lookup during a call is a Map get), reference data by id, phone and customer, and the outbox
 * overlaid on the rows. React subscribes through `subscribe`/`getVersion`.
 */
import type { AccessGrant, Contact, Customer, Office, Specialist } from '../../../shared/index';
import { QueueIndex, SORT_KEYS, type SortKey } from '../model/queue';
import type { OutboxEntry } from '../model/edits';
import { chunkDelta, type CaseRow, type Delta, type DisplayRow } from '../model/rows';
import { applyToRow, isLive, mutationCaseId } from '../model/overlay';
import { SetLater, ShardedMap } from '../lib/shardedMap';

const NOTIFY_INTERVAL_MS = 250;
/** `ingestSoon`: items (rows, customers, contacts, …) applied between two looks at the clock, and the time per task. */
const SLICE_ITEMS = 100;
const SLICE_BUDGET_MS = 8;
/** The first guess of merging one row into the queue's lists (ms), before a merge was timed. */
const FIRST_MERGE_MS_PER_ROW = 0.01;

export class DeskStore {
  /**
   * By id: every case as the server has it; split (see ShardedMap), a Map this size grows in
   * one long task. Read through `server`: a cold start fills it after the queue's first paint
   * (`unfiled`), and anything that needs it before that fills the rest at once.
   */
  private readonly byId = new ShardedMap<string, CaseRow>();
  /** Rows a cold start showed without putting them in `byId` yet. */
  private readonly unfiled = new SetLater(this.byId, (row: CaseRow) => row.id);
  /** Cases shown otherwise than the server has them (edits on their way); the rest are shown as they are. */
  private readonly overlaid = new Map<string, DisplayRow>();
  /**
   * By number. A cold start fills it once the queue is on screen, part by part from the map
   * by id (the queue does not need it, and 100,000 inserts are 50–60 ms of the start); a lookup
   * before that fills the rest at once. Meanwhile a change is written to it only if its part
   * is filled already: filling the others reads them.
   */
  private readonly idByNumber = new ShardedMap<number, string>();
  /** The next part of `server` to fill `idByNumber` from; null: filled. */
  private numbersFrom: number | null = null;
  readonly customers = new Map<string, Customer>();
  /**
   * Contacts by id, by customer and by phone. A cold start leaves them for after the queue's
   * first paint (`unfiledContacts`; the queue shows none): reading any of the three files the
   * rest first.
   */
  private readonly contactById = new Map<string, Contact>();
  private readonly contactsOfCustomer = new Map<string, Contact[]>();
  private readonly contactOfPhone = new Map<string, Contact>();
  /** Contacts a cold start read, in the order learnt, from `unfiledContactsFrom` on. */
  private unfiledContacts: Array<readonly Contact[]> = [];
  private unfiledContactsFrom = 0;
  /** Inside `load`: contacts are kept in `unfiledContacts` for later. */
  private loading = false;
  readonly specialists = new Map<string, Specialist>();
  readonly grantsByCustomer = new Map<string, AccessGrant[]>();
  private outboxEntries: OutboxEntry[] = [];
  private readonly incoming: Delta[] = [];
  /** What merging one applied row into the queue cost in the last drain tasks (ms), see `drain`. */
  private mergeMsPerRow = FIRST_MERGE_MS_PER_ROW;
  private readonly drainWaiters: Array<() => void> = [];
  private readonly outboxByCase = new Map<string, OutboxEntry[]>();
  private readonly timelineVersions = new Map<string, number>();
  /** Per case, the cache slices holding events of its timeline (see cache/chunks.ts). */
  private readonly eventSlices = new Map<string, number[]>();
  /** The queue's sorted lists, merged as rows change (never rebuilt per change). */
  readonly queue = new QueueIndex();
  private version = 0;
  private rowsCache: { version: number; rows: DisplayRow[] } | null = null;
  private readonly listeners = new Set<() => void>();
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private lastNotified = 0;
  private backgroundOnly = false;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getVersion = (): number => this.version;

  /**
   * The changes being announced all came from the server (a bootstrap streaming in, pulls,
   * timelines), not from the specialist's own edits nor the cache loaded at a start: nobody
   * waits on them, so the UI renders them in interruptible slices (see useStoreVersion).
   */
  get inBackground(): boolean {
    return this.backgroundOnly;
  }

  /**
   * The data changes at once; the UI hears of it in the next task, and during a burst (a
   * bootstrap streaming pages) at most every NOTIFY_INTERVAL_MS, so the queue is not filtered
   * and rendered again for every message.
   */
  private changed(inBackground = false): void {
    this.version++;
    this.backgroundOnly = (this.notifyTimer ? this.backgroundOnly : true) && inBackground;
    if (this.notifyTimer) return;
    const wait = Math.max(0, this.lastNotified + NOTIFY_INTERVAL_MS - Date.now());
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      this.lastNotified = Date.now();
      for (const l of this.listeners) l();
    }, wait);
  }

  officeOf = (customerId: string): Office => this.customers.get(customerId)?.country ?? 'SE';

  get size(): number {
    let local = 0;
    for (const id of this.overlaid.keys()) if (!this.server.has(id)) local++;
    return this.serverCount() + local;
  }

  /** How many cases the server's copies are, without filling `byId`. */
  private serverCount(): number {
    return this.byId.size + this.unfiled.waiting;
  }

  get contacts(): ReadonlyMap<string, Contact> {
    this.fileContacts(Infinity);
    return this.contactById;
  }

  get contactsByCustomer(): ReadonlyMap<string, readonly Contact[]> {
    this.fileContacts(Infinity);
    return this.contactsOfCustomer;
  }

  get contactByPhone(): ReadonlyMap<string, Contact> {
    this.fileContacts(Infinity);
    return this.contactOfPhone;
  }

  /** Ingests what a cold start left in `unfiledContacts`, until `until`; true when done. */
  private fileContacts(until: number): boolean {
    while (this.unfiledContactsFrom < this.unfiledContacts.length) {
      this.ingestContacts(this.unfiledContacts[this.unfiledContactsFrom++] as readonly Contact[]);
      if (performance.now() >= until) break;
    }
    if (this.unfiledContactsFrom < this.unfiledContacts.length) return false;
    this.unfiledContacts = [];
    this.unfiledContactsFrom = 0;
    return true;
  }

  /** Every case as the server has it, by id (see `byId`). */
  private get server(): ShardedMap<string, CaseRow> {
    this.unfiled.fill(Infinity);
    return this.byId;
  }

  get(id: string): DisplayRow | undefined {
    return this.overlaid.get(id) ?? this.server.get(id);
  }

  byNumber(n: number): DisplayRow | undefined {
    const id = this.numbers().get(n);
    return id === undefined ? undefined : this.get(id);
  }

  /**
   * Fills what a cold start leaves for after the queue's first paint: the map by id (see
   * `byId`), the contacts (see `contactById`), the map by number (see `idByNumber`) and the
   * queue's own (QueueIndex.catchUp). Works until `until` (a `performance.now()` time; at
   * least one step) and says whether everything is filled; the session calls it slice by slice
   * once the queue is painted, so that a click then never waits for all of it.
   */
  catchUpIndexes(until = Infinity): boolean {
    if (!this.unfiled.fill(until) || !this.fileContacts(until)) return false;
    while (this.numbersFrom !== null) {
      this.fillNumbers(this.numbersFrom);
      if (performance.now() >= until) return false;
    }
    return this.queue.catchUp(until);
  }

  private fillNumbers(part: number): void {
    this.server.forEachIn(part, (row, id) => this.idByNumber.set(row.number, id));
    if (part + 1 < this.server.parts) {
      this.numbersFrom = part + 1;
      return;
    }
    this.numbersFrom = null;
    for (const [id, row] of this.overlaid) this.idByNumber.set(row.number, id);
  }

  private numbers(): ShardedMap<number, string> {
    while (this.numbersFrom !== null) this.fillNumbers(this.numbersFrom);
    return this.idByNumber;
  }

  private noteNumber(n: number, id: string): void {
    if (this.numbersFrom === null || this.byId.partOf(id) < this.numbersFrom) this.idByNumber.set(n, id);
  }

  /** The server's version of a case, without local edits (for the conflict view). */
  serverRow(id: string): CaseRow | undefined {
    return this.server.get(id);
  }

  /** Every case as shown, one array per store version (the queue filters and sorts copies). */
  rows(): DisplayRow[] {
    if (this.rowsCache?.version !== this.version) {
      const rows: DisplayRow[] = [];
      this.server.forEach((row, id) => rows.push(this.overlaid.get(id) ?? row));
      for (const [id, row] of this.overlaid) if (!this.server.has(id)) rows.push(row);
      this.rowsCache = { version: this.version, rows };
    }
    return this.rowsCache.rows;
  }

  get outbox(): readonly OutboxEntry[] {
    return this.outboxEntries;
  }

  outboxOf(caseId: string): readonly OutboxEntry[] {
    return this.outboxByCase.get(caseId) ?? [];
  }

  timelineVersion(caseId: string): number {
    return this.timelineVersions.get(caseId) ?? 0;
  }

  touchTimeline(caseId: string): void {
    this.timelineVersions.set(caseId, this.timelineVersion(caseId) + 1);
    this.changed(true);
  }

  /** Applies what the sync worker or a push answer delivered, and merges it into the queue. */
  ingest(delta: Delta): void {
    this.drain(Number.POSITIVE_INFINITY);
    this.apply(delta);
    this.queue.flush();
    this.changed(true);
  }

  /**
   * Like `ingest`, a little later and a slice at a time: for a bootstrap, whose pages arrive
   * faster than a frame. Each task applies rows for at most SLICE_BUDGET_MS and merges them
   * into the queue, so input and painting get turns in between. Whatever `ingest` meets still
   * queued is applied first, in order.
   */
  ingestSoon(delta: Delta): void {
    const idle = this.incoming.length === 0;
    // In slices of SLICE_ITEMS, reference data as well as rows: thousands of contacts are a long task too.
    for (const part of chunkDelta(delta, SLICE_ITEMS)) this.incoming.push(part);
    if (idle && this.incoming.length > 0) this.scheduleDrain();
  }

  /**
   * Resolves once everything `ingestSoon` queued is applied, slice by slice as usual (the end
   * of a bootstrap: applying the rest at once would be one long task).
   */
  drained(): Promise<void> {
    if (this.incoming.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private scheduleDrain(): void {
    // A message to ourselves is a task of its own (setTimeout would add its 4 ms clamp).
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      this.drain(SLICE_BUDGET_MS);
      if (this.incoming.length > 0) this.scheduleDrain();
      else for (const resolve of this.drainWaiters.splice(0)) resolve();
    };
    channel.port2.postMessage(null);
  }

  private drain(budgetMs: number): void {
    if (this.incoming.length === 0) return;
    const started = performance.now();
    const end = started + budgetMs;
    let rows = 0;
    // Applying a row is a few Map writes; merging it into the queue's sorted lists afterwards
    // costs ten times that and more (a sort per list, then the moves). So the task stops
    // applying when what it applied would take the rest of the budget to merge, by the cost
    // per row the last merges took. At least one slice per task, however busy the thread:
    // the bootstrap always moves on.
    do {
      const next = this.incoming.shift() as Delta;
      this.apply(next);
      rows += next.rows.length;
    } while (this.incoming.length > 0 && performance.now() + (rows + SLICE_ITEMS) * this.mergeMsPerRow < end);
    const mergeFrom = performance.now();
    this.queue.flush();
    if (rows > 0) {
      const perRow = (performance.now() - mergeFrom) / rows;
      // Smoothed: one task interrupted by a GC should not halve the next ones.
      this.mergeMsPerRow = 0.7 * this.mergeMsPerRow + 0.3 * perRow;
    }
    this.changed(true);
  }

  /**
   * A cold start: everything the cache holds at once. With the order of every sort key as
   * the cache stored it (`sorted`, positions into the rows of the deltas up to and including
   * `through`, in delivery order), the queue takes those lists instead of sorting 100,000 rows;
   * rows that changed after them are merged on top.
   */
  load(deltas: readonly Delta[], sorted?: { through: number; positions: Record<SortKey, Uint32Array> }): void {
    // The chunks the orders cover: those up to `through`, read first (chunks are read in id order).
    const covered = sorted ? deltas.findIndex((d) => d.chunk === null || d.chunk > sorted.through) : 0;
    const ordered = sorted && (covered === -1 || deltas.slice(covered).every((d) => d.chunk === null || d.chunk > sorted.through));
    const head = ordered ? deltas.slice(0, covered === -1 ? deltas.length : covered) : [];
    const flat: CaseRow[] = [];
    for (const delta of head) flat.push(...delta.rows);
    this.idByNumber.clear();
    this.numbersFrom = 0;
    // Contacts wait for the catch-up after the first paint too (see `contactById`).
    this.loading = true;
    try {
      if (sorted && ordered && this.serverCount() === 0) {
        // The rows the orders name are each case's newest version in those chunks: 100,000 rows
        // go straight into the map by id, without looking up and comparing an older version
        // first — after the first paint, unless something needs the map before (see `server`).
        for (const delta of head) this.apply({ ...delta, rows: [] }, false);
        const newest = new Array<CaseRow>(sorted.positions.number.length);
        for (let i = 0; i < newest.length; i++) newest[i] = flat[sorted.positions.number[i] as number] as CaseRow;
        this.unfiled.start(newest);
        for (const delta of deltas.slice(head.length)) this.apply(delta, false);
      } else for (const delta of deltas) this.apply(delta, false);
    } finally {
      this.loading = false;
    }
    for (const id of this.outboxByCase.keys()) this.refresh(id);
    let seeded: CaseRow[] = [];
    if (sorted && ordered) {
      // A row shown with other content than the stored one (newer, or with an edit on top) is
      // merged instead. Usually there is none (nothing learnt after the orders, no edit on its
      // way): then every row the orders name is shown as stored, and 100,000 lookups are saved.
      const edited = this.overlaid.size > 0;
      const newer = deltas.slice(head.length).some((d) => d.rows.length > 0);
      const shown = edited || newer ? flat.map((row) => this.server.get(row.id) === row && !this.overlaid.has(row.id)) : null;
      const lists = {} as Record<SortKey, CaseRow[]>;
      for (const key of SORT_KEYS) {
        const list: CaseRow[] = [];
        if (shown) {
          for (const position of sorted.positions[key]) if (shown[position]) list.push(flat[position] as CaseRow);
        } else for (const position of sorted.positions[key]) list.push(flat[position] as CaseRow);
        lists[key] = list;
      }
      this.queue.seed(lists);
      seeded = lists.number;
    }
    if (seeded.length < this.serverCount()) {
      const done = new Set(seeded);
      this.server.forEach((row, id) => {
        if (!done.has(row) && !this.overlaid.has(id)) this.queue.update(id, row);
      });
    }
    this.queue.flush();
    this.changed();
  }

  /** `refresh`: false while loading, where the queue is filled afterwards. */
  private apply(delta: Delta, refresh = true): void {
    for (const c of delta.customers) this.customers.set(c.id, c);
    if (delta.contacts.length > 0) {
      if (this.loading) this.unfiledContacts.push(delta.contacts);
      else {
        this.fileContacts(Infinity);
        this.ingestContacts(delta.contacts);
      }
    }
    for (const s of delta.specialists) this.specialists.set(s.id, s);
    if (delta.grants.length > 0) this.ingestGrants(delta.grants);
    for (const row of delta.rows) {
      const known = this.server.get(row.id);
      // Versions only grow; an older copy (a page read before a push answer) is ignored.
      if (known && known.version > row.version) continue;
      this.server.set(row.id, row);
      if (known?.number !== row.number) this.noteNumber(row.number, row.id);
      if (!refresh) continue;
      // Most cases have no edit on its way: shown as the server has them.
      if (this.outboxByCase.has(row.id)) this.refresh(row.id);
      else this.queue.update(row.id, row);
    }
    for (const id of delta.eventCaseIds) {
      this.timelineVersions.set(id, this.timelineVersion(id) + 1);
      if (delta.eventSlice !== null) {
        const slices = this.eventSlices.get(id);
        if (!slices) this.eventSlices.set(id, [delta.eventSlice]);
        else if (!slices.includes(delta.eventSlice)) slices.push(delta.eventSlice);
      }
    }
  }

  /** The cache slices with events of this case's timeline. */
  eventSlicesOf(caseId: string): readonly number[] {
    return this.eventSlices.get(caseId) ?? [];
  }

  private ingestContacts(contacts: readonly Contact[]): void {
    const byCustomer = new Map<string, Contact[]>();
    for (const c of contacts) {
      const old = this.contactById.get(c.id);
      if (old?.phone) this.contactOfPhone.delete(old.phone);
      if (old && old.customerId !== c.customerId) this.dropFromCustomer(old);
      this.contactById.set(c.id, c);
      if (c.phone && c.anonymisedAt === null) this.contactOfPhone.set(c.phone, c);
      const list = byCustomer.get(c.customerId);
      if (list) list.push(c);
      else byCustomer.set(c.customerId, [c]);
    }
    for (const [customerId, incoming] of byCustomer) {
      const known = this.contactsOfCustomer.get(customerId);
      // A cold start meets most customers once: their contacts as they come, nothing to replace.
      if (!known) {
        this.contactsOfCustomer.set(customerId, incoming);
        continue;
      }
      const ids = new Set(incoming.map((c) => c.id));
      this.contactsOfCustomer.set(customerId, [...known.filter((c) => !ids.has(c.id)), ...incoming]);
    }
  }

  private dropFromCustomer(contact: Contact): void {
    const list = this.contactsOfCustomer.get(contact.customerId);
    if (list) this.contactsOfCustomer.set(contact.customerId, list.filter((c) => c.id !== contact.id));
  }

  private ingestGrants(grants: readonly AccessGrant[]): void {
    for (const g of grants) {
      const list = (this.grantsByCustomer.get(g.customerId) ?? []).filter((x) => x.id !== g.id);
      list.push(g);
      this.grantsByCustomer.set(g.customerId, list);
    }
  }

  setOutbox(entries: readonly OutboxEntry[]): void {
    const touched = new Set<string>(this.outboxByCase.keys());
    this.outboxEntries = [...entries].sort((a, b) => a.mutationId - b.mutationId);
    this.outboxByCase.clear();
    for (const e of this.outboxEntries) {
      const caseId = mutationCaseId(e.envelope);
      if (caseId === null) continue;
      touched.add(caseId);
      const list = this.outboxByCase.get(caseId);
      if (list) list.push(e);
      else this.outboxByCase.set(caseId, [e]);
    }
    for (const id of touched) this.refresh(id);
    this.queue.flush();
    this.changed();
  }

  private refresh(id: string): void {
    const base = this.server.get(id);
    const entries = this.outboxByCase.get(id);
    if (!entries) {
      this.overlaid.delete(id);
      this.queue.update(id, base);
      return;
    }
    let row: CaseRow | undefined = base;
    let pending = 0;
    let conflict = false;
    for (const e of entries) {
      if (e.state === 'conflict') conflict = true;
      if (!isLive(e)) continue;
      pending++;
      // A creation already acknowledged (the server row exists) is not re-applied.
      if (e.envelope.name === 'createCase' && base) continue;
      row = applyToRow(row, e.envelope, e.createdAt, this.officeOf);
    }
    if (!row) {
      this.overlaid.delete(id);
      this.queue.update(id, undefined);
      return;
    }
    const shown: DisplayRow = { ...row, pending, conflict, local: !base };
    this.overlaid.set(id, shown);
    this.noteNumber(shown.number, id);
    this.queue.update(id, shown);
  }

  /** Drops everything (before a re-sync rebuilds the cache). */
  clear(): void {
    this.unfiled.clear();
    this.unfiledContacts = [];
    this.unfiledContactsFrom = 0;
    for (const m of [this.byId, this.overlaid, this.idByNumber, this.customers, this.contactById, this.contactsOfCustomer, this.contactOfPhone, this.specialists, this.grantsByCustomer, this.outboxByCase, this.timelineVersions, this.eventSlices]) m.clear();
    this.numbersFrom = null;
    this.outboxEntries = [];
    this.incoming.length = 0;
    this.queue.clear();
    this.changed();
  }
}

