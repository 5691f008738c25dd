/**
 * What registering a case needs from the cache: a case number from the block this desk has
 * leased (sync/numbers.ts), and the draft kept while none is to be had.
 */
import type { ApiClient } from '../api/client';
import type { DeskDb } from '../cache/db';
import type { NewCaseDraft } from '../model/edits';
import { ensureNumbers, takeCaseNumber } from '../sync/numbers';

export class NewCases {
  constructor(
    private readonly db: DeskDb,
    private readonly api: ApiClient,
    private readonly clientId: string,
  ) {}

  /** The next leased number; online, a new block is leased first when none is left. Null: none to be had. */
  async takeNumber(online: boolean): Promise<number | null> {
    const number = await takeCaseNumber(this.db);
    if (number !== null || !online) return number;
    await ensureNumbers(this.db, this.api, this.clientId).catch(() => undefined);
    return takeCaseNumber(this.db);
  }

  savedDraft(): Promise<NewCaseDraft | undefined> {
    return this.db.getMeta('newCaseDraft');
  }

  saveDraft(draft: NewCaseDraft): Promise<void> {
    return this.db.setMeta('newCaseDraft', draft);
  }

  async dropDraft(): Promise<void> {
    await this.db.meta.delete('newCaseDraft');
  }
}
