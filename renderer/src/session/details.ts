/**
 * The parts of a case that are not in the in-memory row: the full record and the timeline,
 * read from the cache and fetched from the server (and kept in the cache for next time).
 */
import { CaseDetailSchema, keptCopy, ROUTES, type Case, type CaseDetail, type CaseEvent } from '../../../shared/index';
import { ApiError, type ApiClient } from '../api/client';
import { prepareChunk, readFullCase, readTimeline, writeChunk } from '../cache/chunks';
import type { DeskDb } from '../cache/db';
import { storeAttachments } from '../cache/uploads';
import type { CaseRow, Delta, DisplayRow } from '../model/rows';
import type { DeskStore } from '../store/store';

export class CaseDetails {
  constructor(
    private readonly db: DeskDb,
    private readonly api: ApiClient,
    private readonly store: DeskStore,
    /** Tells the other tabs what this one stored. */
    private readonly share: (delta: Delta) => void,
    /** Tells the search what was stored outside the sync (a fetched timeline). */
    private readonly eventsStored: (events: readonly CaseEvent[]) => void = () => undefined,
  ) {}

  /** The full case as cached for this row's version. */
  fullCase(row: Pick<CaseRow, 'id' | 'version' | 'slice'>): Promise<Case | undefined> {
    return readFullCase(this.db, row);
  }

  /** The timeline as far as the cache has it. */
  cachedTimeline(caseId: string): Promise<CaseEvent[]> {
    return readTimeline(this.db, caseId, this.store.timelines.slicesOf(caseId));
  }

  /** The server's full timeline, kept in the cache; open timelines read it again. */
  async fetchTimeline(caseId: string): Promise<void> {
    const { events, attachments } = await this.api.get(ROUTES.caseEvents(caseId), CaseDetailSchema.pick({ events: true, attachments: true }));
    let kept = events;
    await this.db.transaction('rw', this.db.events, this.db.attachments, async () => {
      // A reply the feed already told us was sent stays sent (this answer may be older).
      const stored = await this.db.events.bulkGet(events.map((e) => e.id));
      kept = events.map((e, i) => keptCopy(stored[i], e));
      await this.db.events.bulkPut(kept);
      await storeAttachments(this.db, attachments);
    });
    this.store.timelines.touch(caseId);
    this.eventsStored(kept);
  }

  /**
   * A case not in the cache (or not yet): ask the server, keep the answer in the cache, and
   * return it. Null when the server does not know the number.
   */
  async fetchByNumber(n: number): Promise<DisplayRow | null> {
    let detail: CaseDetail;
    try {
      detail = await this.api.get(ROUTES.caseByNumber(n), CaseDetailSchema);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
    await this.keep(detail);
    return this.store.cases.get(detail.case.id) ?? null;
  }

  /** Writes a case's detail (from a lookup or a timeline fetch) into the cache and the store. */
  async keep(detail: Pick<CaseDetail, 'case'> & Partial<CaseDetail>): Promise<void> {
    const db = this.db;
    const page = {
      cases: [detail.case],
      customers: detail.customer ? [detail.customer] : [],
      contacts: detail.contact ? [detail.contact] : [],
      specialists: [],
      grants: detail.grants ?? [],
      events: detail.events ?? [],
    };
    // The row's office (its SLA calendar) is its customer's country.
    const prepared = await prepareChunk(db, page, (id) => (detail.customer?.id === id ? detail.customer.country : this.store.directory.officeOf(id)));
    await db.transaction('rw', [db.rowChunks, db.caseSlices, db.events, db.attachments], async () => {
      await writeChunk(db, prepared);
      await storeAttachments(db, detail.attachments ?? []);
    });
    for (const delta of [prepared.delta, ...prepared.eventDeltas]) {
      this.store.ingest(delta);
      this.share(delta);
    }
  }
}
