/**
 * The lead's customer register, online only: customers and contacts are saved through the
 * lead-only routes, and come back to this desk (and every other) through the change feed, which
 * the server pokes at once. The import sends the chosen file as it is (CSV or JSON).
 */
import {
  AdminContactResponseSchema,
  CentreInvitationResponseSchema,
  CustomerResponseSchema,
  ImportReportSchema,
  ROUTES,
  type Contact,
  type CreateContactAdminRequest,
  type CreateCustomerRequest,
  type Customer,
  type ImportReport,
  type UpdateContactAdminRequest,
  type UpdateCustomerRequest,
} from '../../../shared/index';
import type { ApiClient } from '../api/client';

export class CustomersAdmin {
  constructor(private readonly api: ApiClient) {}

  async createCustomer(fields: CreateCustomerRequest): Promise<Customer> {
    return (await this.api.post(ROUTES.customers, fields, CustomerResponseSchema)).customer;
  }

  async updateCustomer(id: string, patch: UpdateCustomerRequest): Promise<Customer> {
    return (await this.api.patch(ROUTES.customer(id), patch, CustomerResponseSchema)).customer;
  }

  async addContact(customerId: string, fields: CreateContactAdminRequest): Promise<Contact> {
    return (await this.api.post(ROUTES.customerContacts(customerId), fields, AdminContactResponseSchema)).contact;
  }

  async updateContact(id: string, patch: UpdateContactAdminRequest): Promise<Contact> {
    return (await this.api.patch(ROUTES.contact(id), patch, AdminContactResponseSchema)).contact;
  }

  /** Invites a SuperUser to the customer centre: the mail goes to the address answered. */
  async inviteToCentre(contactId: string): Promise<{ email: string; expiresAt: string }> {
    const answer = await this.api.post(ROUTES.centreInvitations, { contactId }, CentreInvitationResponseSchema);
    return { email: answer.email, expiresAt: answer.expiresAt };
  }

  /** The file's text; JSON when its name or type says so, CSV otherwise. */
  importFile(text: string, json: boolean, dryRun: boolean): Promise<ImportReport> {
    return this.api.postText(ROUTES.customerImport, text, json ? 'application/json' : 'text/csv', ImportReportSchema, dryRun ? { dryRun: 1 } : undefined);
  }
}
