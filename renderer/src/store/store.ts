/**
 * The in-memory model of the cache the UI reads synchronously, one part per concern: the cases
 * (`cases`: by id, by number, with the outbox overlaid), the queue's sorted lists (`queue`),
 * the reference data (`directory`), the timelines' versions (`timelines`) and the change
 * announcements React subscribes to (`changes`). Deltas come in here and are spread over them.
 */
import { fillInSlices, inTurn, type Fill } from '../lib/deferredFill';
import type { OutboxEntry } from '../model/edits';
import { QueueIndex, SORT_KEYS, type SortKey } from '../model/queue';
import type { CaseRow, Delta } from '../model/rows';
import type { OverlayContext } from '../model/overlay';
import { Answers } from './answers';
import { CallLog } from './calls';
import { Cases } from './cases';
import { Changes } from './changes';
import { Directory } from './directory';
import { Intake } from './intake';
import { Timelines } from './timelines';
import { PresenceBoard } from './presence';
import { CalendarExceptions } from './calendar';
import { forgetRemaining } from '../model/slaView';

/** One task of the catch-up after a cold start's first paint (see `catchUpAfter`). */
const CATCH_UP_SLICE_MS = 8;

export class DeskStore {
  readonly changes = new Changes();
  readonly directory = new Directory();
  readonly timelines = new Timelines(this.changes);
  /** Colleagues' presence (ephemeral, from the live socket). */
  readonly presence = new PresenceBoard();
  /** The queue's sorted lists, merged as rows change (never rebuilt per change). */
  readonly queue = new QueueIndex();
  readonly cases: Cases;
  /** The caller log: the teams' calls, with "done" edits on their way applied. */
  readonly calls: CallLog;
  /** Reply templates and knowledge-base articles, with saves on their way applied. */
  readonly answers: Answers;
  /** Offices' calendar exceptions, installed into the shared calendar as they come. */
  readonly calendar = new CalendarExceptions();
  /** A cold start's calendar change, put right once the rows are loaded. */
  private recomputeFrom: number | null = null;
  private readonly intake = new Intake({
    apply: (delta) => this.apply(delta),
    merge: () => this.queue.flush(),
    changed: () => this.changes.changed(true),
  });
  /**
   * Fills what a cold start leaves for after the queue's first paint: the map by id, the
   * contacts, the map by number and the queue's own (see DeferredFill).
   */
  readonly catchUpIndexes: Fill;

  /** `actor`: the specialist signed in, who made every edit in the outbox the cases are shown with. */
  constructor(actor: OverlayContext['actor']) {
    const overlay: OverlayContext = { actor, officeOf: this.directory.officeOf, teamsOf: (id) => this.directory.specialists.get(id)?.teams };
    this.cases = new Cases(this.queue, this.changes, overlay);
    this.calls = new CallLog(actor.id);
    this.answers = new Answers(actor.id);
    this.catchUpIndexes = inTurn(this.cases.fileRows, this.directory.fileContacts, this.cases.fileNumbers, this.queue.catchUp);
  }

  /**
   * The catch-up of `catchUpIndexes`, a few milliseconds per task, from the task `first` runs
   * it in (after the loaded queue is painted), so a click or a key right after the queue
   * appears is answered at once. Returns a cancel.
   */
  catchUpAfter(first: (task: () => void) => () => void): () => void {
    return fillInSlices(this.catchUpIndexes, CATCH_UP_SLICE_MS, first);
  }

  /** Applies what the sync worker or a push answer delivered, and merges it into the queue. */
  ingest(delta: Delta): void {
    this.intake.drainAll();
    this.apply(delta);
    this.queue.flush();
    this.changes.changed(true);
  }

  /**
   * Like `ingest`, a little later and a slice at a time (see Intake): for a bootstrap. Whatever
   * `ingest` meets still queued is applied first, in order.
   */
  ingestSoon(delta: Delta): void {
    this.intake.add(delta);
  }

  /** Resolves once everything `ingestSoon` queued is applied. */
  drained(): Promise<void> {
    return this.intake.drained();
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
    // Contacts wait for the catch-up after the first paint too (see Directory).
    this.directory.setAside(deltas);
    if (sorted && ordered && this.cases.serverCount() === 0) {
      // The rows the orders name are each case's newest version in those chunks: 100,000 rows
      // go straight into the map by id, without looking up and comparing an older version
      // first — after the first paint, unless something needs the map before (see Cases).
      const newest = new Array<CaseRow>(sorted.positions.number.length);
      for (let i = 0; i < newest.length; i++) newest[i] = flat[sorted.positions.number[i] as number] as CaseRow;
      this.cases.startCold(newest);
      for (const delta of head) this.apply({ ...delta, rows: [] }, true);
      for (const delta of deltas.slice(head.length)) this.apply(delta, true);
    } else {
      this.cases.startCold(null);
      for (const delta of deltas) this.apply(delta, true);
    }
    this.cases.refreshEdited();
    let seeded: CaseRow[] = [];
    if (sorted && ordered) {
      // A row shown with other content than the stored one (newer, or with an edit on top) is
      // merged instead. Usually there is none (nothing learnt after the orders, no edit on its
      // way): then every row the orders name is shown as stored, and 100,000 lookups are saved.
      const newer = deltas.slice(head.length).some((d) => d.rows.length > 0);
      const shown = this.cases.edited || newer ? flat.map((row) => this.cases.shownAsStored(row)) : null;
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
    this.cases.queueUnseeded(seeded);
    if (this.recomputeFrom !== null) {
      this.cases.recomputeDeadlines(this.recomputeFrom);
      this.recomputeFrom = null;
    }
    this.queue.flush();
    this.changes.changed();
  }

  /** `loading`: a cold start, where contacts were set aside and the queue is filled afterwards. */
  private apply(delta: Delta, loading = false): void {
    this.directory.apply(delta, loading);
    this.cases.apply(delta.rows, !loading);
    this.timelines.apply(delta);
    if (delta.calls) this.calls.apply(delta.calls);
    if (delta.templates || delta.articles) this.answers.apply(delta);
    if (delta.calendarExceptions) {
      // Installed before any deadline of the queue is shown again: the rows whose deadline the
      // change can move (at or after it) get theirs anew, and the remaining times are recounted.
      const from = this.calendar.apply(delta.calendarExceptions);
      if (from !== null) {
        forgetRemaining();
        if (loading) this.recomputeFrom = Math.min(this.recomputeFrom ?? from, from);
        else this.cases.recomputeDeadlines(from);
      }
    }
  }

  setOutbox(entries: readonly OutboxEntry[]): void {
    this.cases.setOutbox(entries);
    this.calls.setOutbox(entries);
    this.answers.setOutbox(entries);
    this.queue.flush();
    this.changes.changed();
  }

  /** Drops everything (before a re-sync rebuilds the cache). */
  clear(): void {
    this.cases.clear();
    this.directory.clear();
    this.timelines.clear();
    this.calls.clear();
    this.answers.clear();
    this.calendar.clear();
    this.intake.clear();
    this.queue.clear();
    this.changes.changed();
  }
}
