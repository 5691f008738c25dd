/**
 * The desk's online-only part of the e-mail channel: a mail's HTML (fetched when the specialist
 * asks for the formatted view) and the office's mail review (mail that became no case by itself).
 * The review's count follows the live `mailReview` message (sync/live.ts → session); the list is
 * fetched again whenever the count moves while it is shown.
 */
import { z } from 'zod';
import {
  MailReviewLinkResponseSchema,
  MailReviewResponseSchema,
  ROUTES,
  type MailReviewItem,
  type Office,
} from '../../../shared/index';
import type { ApiClient } from '../api/client';
import { Signal } from '../lib/signal';

const MailHtmlSchema = z.object({ html: z.string() });
const AnySchema = z.unknown();

export type LinkResult = z.infer<typeof MailReviewLinkResponseSchema>;

export class MailDesk {
  /** Items waiting in my office's review: the top bar's count. */
  readonly reviewCount = new Signal(0);
  /** Moves on every live `mailReview` message of my office: a shown list fetches again. */
  readonly reviewVersion = new Signal(0);

  constructor(
    private readonly api: ApiClient,
    readonly office: Office,
  ) {}

  /** The mail's HTML as the server stored it (sanitised by the UI before it is shown). */
  async html(eventId: string): Promise<string> {
    return (await this.api.get(ROUTES.mailHtml(eventId), MailHtmlSchema)).html;
  }

  async review(): Promise<MailReviewItem[]> {
    const { items } = await this.api.get(ROUTES.mailReview, MailReviewResponseSchema, { office: this.office });
    this.reviewCount.set(items.length);
    return items;
  }

  /** The count at start (and after a reconnect); quiet when the server has no review yet. */
  refreshCount(): void {
    this.review().then(
      () => undefined,
      () => undefined,
    );
  }

  /** The live message: another desk, or the intake, changed my office's review. */
  changed(msg: { office: Office; count: number }): void {
    if (msg.office !== this.office) return;
    this.reviewCount.set(msg.count);
    this.reviewVersion.set(this.reviewVersion.get() + 1);
  }

  async link(id: string, contactId: string): Promise<LinkResult> {
    const done = await this.api.post(ROUTES.mailReviewLink(id), { contactId }, MailReviewLinkResponseSchema);
    this.gone();
    return done;
  }

  async createContact(id: string, body: { customerId: string; name: string; phone: string | null }): Promise<LinkResult> {
    const done = await this.api.post(ROUTES.mailReviewContact(id), body, MailReviewLinkResponseSchema);
    this.gone();
    return done;
  }

  async dismiss(id: string): Promise<void> {
    await this.api.post(ROUTES.mailReviewDismiss(id), {}, AnySchema);
    this.gone();
  }

  private gone(): void {
    this.reviewCount.set(Math.max(0, this.reviewCount.get() - 1));
  }
}
