/**
 * What the search index is built from, read from the cache in short read transactions (a few
 * records each), so the sync worker's writes never wait for a whole read: the full cases and the
 * events of the case slices, cases and timelines stored on their own, and the customers and
 * contacts of the row chunks.
 */
import type { Case, CaseEvent, Contact, Customer } from '../../../shared/index';
import { decodeDelta } from '../model/rowCodec';
import type { DeskDb } from './db';

export interface SearchSink {
  case(c: Case): void;
  event(e: CaseEvent): void;
  customer(c: Customer): void;
  contact(p: Contact): void;
}

/** Records per read: a slice holds 250 cases, so a batch is a few MB at most. */
const BATCH = 8;

/** Reads everything the index holds; `pause` runs between batches (the worker answers queries there). */
export async function readSearchSources(db: DeskDb, sink: SearchSink, pause: () => Promise<void> = async () => undefined): Promise<void> {
  let after = 0;
  for (;;) {
    const chunks = await db.rowChunks.where('id').above(after).limit(BATCH).toArray();
    if (chunks.length === 0) break;
    for (const chunk of chunks) {
      for (const part of chunk.parts) {
        const delta = decodeDelta(part);
        for (const c of delta.customers) sink.customer(c);
        for (const p of delta.contacts) sink.contact(p);
      }
    }
    after = chunks[chunks.length - 1]?.id ?? after;
    await pause();
  }
  after = 0;
  for (;;) {
    const slices = await db.caseSlices.where('id').above(after).limit(BATCH).toArray();
    if (slices.length === 0) break;
    for (const slice of slices) {
      for (const c of slice.cases) sink.case(c);
      for (const e of slice.events) sink.event(e);
    }
    after = slices[slices.length - 1]?.id ?? after;
    await pause();
  }
  for (const c of await db.cases.toArray()) sink.case(c);
  await pause();
  let afterEvent = '';
  for (;;) {
    const events = await db.events.where('id').above(afterEvent).limit(2_000).toArray();
    if (events.length === 0) break;
    for (const e of events) sink.event(e);
    afterEvent = events[events.length - 1]?.id ?? afterEvent;
    await pause();
  }
}

/** The cases and events of some slices (those a delta names); a slice not yet written is missing. */
export async function readSlices(db: DeskDb, ids: readonly number[]): Promise<{ found: number[]; cases: Case[]; events: CaseEvent[] }> {
  const slices = await db.caseSlices.bulkGet([...ids]);
  const found: number[] = [];
  const cases: Case[] = [];
  const events: CaseEvent[] = [];
  for (const s of slices) {
    if (!s) continue;
    found.push(s.id);
    cases.push(...s.cases);
    events.push(...s.events);
  }
  return { found, cases, events };
}

/** Cases stored on their own (a push answer, a case fetched by number). */
export async function readSingleCases(db: DeskDb, ids: readonly string[]): Promise<Case[]> {
  return (await db.cases.bulkGet([...ids])).filter((c): c is Case => c !== undefined);
}
