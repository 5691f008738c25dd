/**
 * Case numbers for cases registered at this desk, online or offline, without collisions
 * between desks: hi/lo allocation. The server leases each desk a block of consecutive numbers
 * from its one global counter (POST numbers); the desk hands them out locally, so a case
 * registered during a network outage gets its final number at once, and the customer can be
 * told it on the phone. Unused numbers of a lost cache are simply gaps.
 */
import { NumberBlockSchema, ROUTES } from '../../../shared/index';
import type { ApiClient } from '../api/client';
import type { DeskDb } from '../cache/db';

/** Ask for more while online when fewer than this are left, so an outage rarely runs dry. */
export const LOW_WATER = 5;
export const BLOCK_SIZE = 20;

export async function numbersLeft(db: DeskDb): Promise<number> {
  const blocks = (await db.getMeta('numberBlocks')) ?? [];
  return blocks.reduce((n, b) => n + (b.to - b.from + 1), 0);
}

/** Takes the lowest leased number, or null when the desk has none left. */
export async function takeCaseNumber(db: DeskDb): Promise<number | null> {
  return db.transaction('rw', db.meta, async () => {
    const blocks = (await db.getMeta('numberBlocks')) ?? [];
    const first = blocks[0];
    if (!first) return null;
    const number = first.from;
    const rest = first.from < first.to ? [{ from: first.from + 1, to: first.to }, ...blocks.slice(1)] : blocks.slice(1);
    await db.setMeta('numberBlocks', rest);
    return number;
  });
}

/** Leases another block when running low. Network errors propagate (the caller is offline). */
export async function ensureNumbers(db: DeskDb, api: ApiClient, clientId: string): Promise<void> {
  if ((await numbersLeft(db)) >= LOW_WATER) return;
  const block = await api.post(ROUTES.numbers, { clientId, size: BLOCK_SIZE }, NumberBlockSchema);
  await db.transaction('rw', db.meta, async () => {
    const blocks = (await db.getMeta('numberBlocks')) ?? [];
    if (!blocks.some((b) => b.from === block.from)) blocks.push(block);
    blocks.sort((a, b) => a.from - b.from);
    await db.setMeta('numberBlocks', blocks);
  });
}
