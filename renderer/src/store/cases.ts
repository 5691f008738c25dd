/**
 * The cases as the desk shows them: every case as the server has it, by id and by number
 * (lookup during a call is a Map get), with the outbox's edits overlaid, and the queue's lists
 * kept in step with what is shown.
 */
import { DeferredFill, MAP_SET_STEP } from '../lib/deferredFill';
import { ShardedMap } from '../lib/shardedMap';
import type { OutboxEntry } from '../model/edits';
import { mutationCaseId } from '../../../shared/index';
import { applyEdit, isLive, type OverlayContext } from '../model/overlay';
import type { QueueIndex } from '../model/queue';
import { currentDeadline, type CaseRow, type DisplayRow } from '../model/rows';
import { inHistory, newestFirst, type HistoryOf } from '../model/history';
import type { Changes } from './changes';
import { HistoryIndex } from './history';

export class Cases {
  /**
   * By id: every case as the server has it; split (see ShardedMap), a Map this size grows in
   * one long task. Read through `server`: a cold start fills it after the queue's first paint
   * (`unfiled`), and anything that needs it before that fills the rest at once.
   */
  private readonly byId = new ShardedMap<string, CaseRow>();
  /** Rows a cold start showed without putting them in `byId` yet. */
  private readonly unfiled = new DeferredFill((row: CaseRow) => {
    this.byId.set(row.id, row);
    this.historyIndex.note(row);
  }, MAP_SET_STEP);
  /** By customer and by contact (a customer's history); filled with `byId`. */
  private readonly historyIndex = new HistoryIndex();
  /** Cases shown otherwise than the server has them (edits on their way); the rest are shown as they are. */
  private readonly overlaid = new Map<string, DisplayRow>();
  /**
   * By number. A cold start fills it once the queue is on screen, part by part from the map
   * by id (the queue does not need it, and 100,000 inserts are 50–60 ms of the start); a lookup
   * before that fills the rest at once. Meanwhile a change is written to it only if its part
   * is filled already: filling the others reads them.
   */
  private readonly idByNumber = new ShardedMap<number, string>();
  /** The parts of `server` still to be read into `idByNumber`. */
  private readonly unnumbered = new DeferredFill((part: number) => this.fillNumbers(part));
  private readonly allParts = Array.from({ length: this.byId.parts }, (_, part) => part);
  private outboxEntries: OutboxEntry[] = [];
  private readonly outboxByCase = new Map<string, OutboxEntry[]>();
  private rowsCache: { version: number; rows: DisplayRow[] } | null = null;
  /** Files the rows a cold start set aside by id, then by number (see DeferredFill). */
  readonly fileRows = this.unfiled.run;
  readonly fileNumbers = this.unnumbered.run;

  constructor(
    private readonly queue: QueueIndex,
    private readonly changes: Changes,
    /** What the shared mutators ask when the outbox is overlaid on the rows. */
    private readonly overlay: OverlayContext,
  ) {}

  get size(): number {
    let local = 0;
    for (const id of this.overlaid.keys()) if (!this.server.has(id)) local++;
    return this.serverCount() + local;
  }

  /** How many cases the server's copies are, without filling `byId`. */
  serverCount(): number {
    return this.byId.size + this.unfiled.waiting;
  }

  /** Every case as the server has it, by id (see `byId`). */
  private get server(): ShardedMap<string, CaseRow> {
    this.unfiled.run();
    return this.byId;
  }

  get(id: string): DisplayRow | undefined {
    return this.overlaid.get(id) ?? this.server.get(id);
  }

  byNumber(n: number): DisplayRow | undefined {
    this.unnumbered.run();
    const id = this.idByNumber.get(n);
    return id === undefined ? undefined : this.get(id);
  }

  /**
   * Every case of the customer and of the contact, open and closed, as shown (edits on their
   * way included), newest first. From the index by customer and contact: a few map reads.
   */
  history(of: HistoryOf): DisplayRow[] {
    // Rows a cold start set aside are noted when filed: file them first.
    this.unfiled.run();
    const rows: DisplayRow[] = [];
    for (const id of this.historyIndex.candidates(of.customerId, of.contactId)) {
      const row = this.get(id);
      if (row && inHistory(row, of)) rows.push(row);
    }
    return rows.sort(newestFirst);
  }

  /** The server's version of a case, without local edits (for the conflict view). */
  serverRow(id: string): CaseRow | undefined {
    return this.server.get(id);
  }

  /** Every case as shown, one array per store version (the queue filters and sorts copies). */
  rows(): DisplayRow[] {
    const version = this.changes.getVersion();
    if (this.rowsCache?.version !== version) {
      const rows: DisplayRow[] = [];
      this.server.forEach((row, id) => rows.push(this.overlaid.get(id) ?? row));
      for (const [id, row] of this.overlaid) if (!this.server.has(id)) rows.push(row);
      this.rowsCache = { version, rows };
    }
    return this.rowsCache.rows;
  }

  get outbox(): readonly OutboxEntry[] {
    return this.outboxEntries;
  }

  outboxOf(caseId: string): readonly OutboxEntry[] {
    return this.outboxByCase.get(caseId) ?? [];
  }

  private fillNumbers(part: number): void {
    this.server.forEachIn(part, (row, id) => this.idByNumber.set(row.number, id));
    if (part === this.allParts.length - 1) for (const [id, row] of this.overlaid) this.idByNumber.set(row.number, id);
  }

  private noteNumber(n: number, id: string): void {
    if (this.unnumbered.waiting === 0 || this.byId.partOf(id) < this.unnumbered.position) this.idByNumber.set(n, id);
  }

  /**
   * A cold start: the map by number is filled after the first paint (see `idByNumber`), and
   * `newest` (each case's newest stored row) goes into the map by id then too.
   */
  startCold(newest: readonly CaseRow[] | null): void {
    this.idByNumber.clear();
    this.unnumbered.start(this.allParts);
    if (newest) this.unfiled.start(newest);
  }

  /** `refresh`: false while a cold start loads, where the queue is filled afterwards. */
  apply(rows: readonly CaseRow[], refresh: boolean): void {
    for (const row of rows) {
      const known = this.server.get(row.id);
      // Versions only grow; an older copy (a page read before a push answer) is ignored.
      if (known && known.version > row.version) continue;
      this.server.set(row.id, row);
      this.historyIndex.note(row, known);
      if (known?.number !== row.number) this.noteNumber(row.number, row.id);
      if (!refresh) continue;
      // Most cases have no edit on its way: shown as the server has them.
      if (this.outboxByCase.has(row.id)) this.refresh(row.id);
      else this.queue.update(row.id, row);
    }
  }

  /**
   * The calendar changed from `from` on: every open row whose deadline is at or after it gets
   * its deadline anew (an exception moves no deadline before it). Returns how many moved.
   */
  recomputeDeadlines(from: number): number {
    const moved: CaseRow[] = [];
    this.server.forEach((row) => {
      if (row.deadlineAt === null || row.deadlineAt < from) return;
      const deadlineAt = currentDeadline(row);
      if (deadlineAt !== row.deadlineAt) moved.push({ ...row, deadlineAt });
    });
    this.apply(moved, true);
    return moved.length;
  }

  /** After a cold start's load: the cases with edits on their way are shown with them. */
  refreshEdited(): void {
    for (const id of this.outboxByCase.keys()) this.refresh(id);
  }

  /** Whether any case is shown otherwise than the server has it. */
  get edited(): boolean {
    return this.overlaid.size > 0;
  }

  /** Whether this stored row is what is shown for its case. */
  shownAsStored(row: CaseRow): boolean {
    return this.server.get(row.id) === row && !this.overlaid.has(row.id);
  }

  /** Puts every case the queue was not seeded with (`seeded`) into it. */
  queueUnseeded(seeded: readonly CaseRow[]): void {
    if (seeded.length >= this.serverCount()) return;
    const done = new Set(seeded);
    this.server.forEach((row, id) => {
      if (!done.has(row) && !this.overlaid.has(id)) this.queue.update(id, row);
    });
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
      row = applyEdit(row, e, this.overlay).row;
    }
    if (!row) {
      this.overlaid.delete(id);
      this.queue.update(id, undefined);
      return;
    }
    const shown: DisplayRow = { ...row, pending, conflict, local: !base };
    this.historyIndex.note(shown, this.overlaid.get(id) ?? base);
    this.overlaid.set(id, shown);
    this.noteNumber(shown.number, id);
    this.queue.update(id, shown);
  }

  clear(): void {
    this.unfiled.clear();
    this.unnumbered.clear();
    for (const m of [this.byId, this.overlaid, this.idByNumber, this.outboxByCase, this.historyIndex]) m.clear();
    this.outboxEntries = [];
  }
}
