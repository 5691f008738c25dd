/**
 * A contact's change reaches their customer-centre account, whichever path changed it (the lead's
 * contact edit, the import, a GDPR rectification): a contact who may no longer use the centre (no
 * longer a SuperUser, anonymised, no address) has its sessions ended and its unused links expired;
 * a new address becomes the account's login address (the old one no longer logs in), and the
 * links mailed to the old address end. Runs in the caller's transaction.
 */
import type { Contact } from '../../shared/contract';
import { HttpError } from '../http/errors';
import type { Store } from '../store/store';
import { mayUseCentre } from './centre-auth';

export function applyContactToCentre(store: Store, contact: Contact, at: string): void {
  const account = store.centre.get(contact.id);
  if (!account) return;
  if (!mayUseCentre(contact)) {
    store.centre.endSessionsOf(contact.id);
    store.centre.expireLinksOf(contact.id, at);
    return;
  }
  if (account.email === contact.email) return;
  const holder = store.centre.byAddress(contact.email);
  if (holder && holder.contactId !== contact.id) {
    throw new HttpError(409, 'email_in_use', 'another SuperUser has a customer centre account with this e-mail address', 'email');
  }
  store.centre.setAddress(contact.id, contact.email);
  store.centre.expireLinksOf(contact.id, at);
}
