/**
 * The lead's accounts, GDPR and audit screens' calls to the server (lead-only routes; the server
 * refuses a specialist). Online only: nothing of it is cached or queued.
 */
import { z } from 'zod';
import {
  AnonymisePreviewSchema,
  AuditPageSchema,
  ContactResponseSchema,
  GdprOverviewSchema,
  GdprSearchResultSchema,
  PasswordResetResponseSchema,
  ROUTES,
  SpecialistResponseSchema,
  SpecialistsResponseSchema,
  type AnonymisePreview,
  type AuditEntry,
  type Contact,
  type GdprOverview,
  type GdprSearchResult,
  type Specialist,
} from '../../../shared/index';
import type { ApiClient } from '../api/client';

export type NewAccount = Omit<Specialist, 'id' | 'active'> & { password: string };
export type AccountPatch = Partial<Omit<Specialist, 'id' | 'email'>>;
export interface AuditFilter {
  specialistId?: string;
  action?: string;
  from?: string;
  to?: string;
  before?: number;
}

export class LeadAdmin {
  constructor(private readonly api: ApiClient) {}

  async accounts(): Promise<Specialist[]> {
    return (await this.api.get(ROUTES.specialists, SpecialistsResponseSchema)).specialists;
  }

  async createAccount(account: NewAccount): Promise<Specialist> {
    return (await this.api.post(ROUTES.specialists, account, SpecialistResponseSchema)).specialist;
  }

  async updateAccount(id: string, patch: AccountPatch): Promise<Specialist> {
    return (await this.api.patch(ROUTES.specialist(id), patch, SpecialistResponseSchema)).specialist;
  }

  /** A one-time code to pass on to the account's owner, valid once until it expires. */
  resetPassword(id: string): Promise<z.infer<typeof PasswordResetResponseSchema>> {
    return this.api.post(ROUTES.passwordReset(id), {}, PasswordResetResponseSchema);
  }

  searchPeople(q: string): Promise<GdprSearchResult> {
    return this.api.get(ROUTES.gdprSearch, GdprSearchResultSchema, { q });
  }

  overview(contactId: string): Promise<GdprOverview> {
    return this.api.get(ROUTES.gdprContact(contactId), GdprOverviewSchema);
  }

  anonymisePreview(contactId: string): Promise<AnonymisePreview> {
    return this.api.get(ROUTES.gdprAnonymisePreview(contactId), AnonymisePreviewSchema);
  }

  async anonymise(contactId: string): Promise<Contact> {
    return (await this.api.post(ROUTES.gdprAnonymise(contactId), {}, ContactResponseSchema)).contact;
  }

  /** The export as a ZIP: the JSON and the person's files. */
  exportZip(contactId: string): Promise<Blob> {
    return this.api.getBlob(ROUTES.gdprExportZip(contactId));
  }

  async accessLog(contactId: string): Promise<AuditEntry[]> {
    return (await this.api.get(ROUTES.gdprAccessLog(contactId), z.object({ entries: AuditPageSchema.shape.entries }))).entries;
  }

  /** Admin actions (no plain reads), newest first, a page at a time (`next` is the following page's `before`). */
  auditPage(filter: AuditFilter, limit = 50): Promise<z.infer<typeof AuditPageSchema>> {
    return this.api.get(ROUTES.audit, AuditPageSchema, { kind: 'admin', limit, ...filter });
  }
}
