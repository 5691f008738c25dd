/**
 * What registering a case needs besides the outbox: the customers the cache does not hold, a
 * case number from the block this desk has leased (sync/numbers.ts), and the draft kept while
 * none is to be had.
 */
import { CustomerSearchResultSchema, ROUTES } from '../../../shared/index';
import type { ApiClient } from '../api/client';
import type { DeskDb } from '../cache/db';
import type { NewCaseDraft } from '../model/edits';
import type { SearchHit } from '../model/search';
import type { DeskStore } from '../store/store';
import { ensureNumbers, takeCaseNumber } from '../sync/numbers';

export class NewCases {
  constructor(
    private readonly db: DeskDb,
    private readonly api: ApiClient,
    private readonly store: DeskStore,
    private readonly clientId: string,
  ) {}

  /** The server's customers and contacts for `query`, for what the cache's own search misses. */
  async searchCustomers(query: string): Promise<SearchHit[]> {
    const res = await this.api.get(ROUTES.customerSearch, CustomerSearchResultSchema, { q: query });
    const byId = new Map(res.customers.map((c) => [c.id, c]));
    const hits: SearchHit[] = res.customers.map((customer) => ({ customer, contact: null }));
    for (const contact of res.contacts) {
      const customer = byId.get(contact.customerId) ?? this.store.directory.customers.get(contact.customerId);
      if (customer) hits.push({ customer, contact });
    }
    return hits;
  }

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
