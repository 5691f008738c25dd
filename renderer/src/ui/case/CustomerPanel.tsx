/** The customer and the contact of a case: entitlement, team, support-login grant, contact card. */
import { useT } from '../../i18n/typing';
import { entitlement, formatPhone, teamOfIndustry, type Contact } from '../../../../shared/index';
import { useLanguage, useSession } from '../hooks';
import type { DisplayRow } from '../../model/rows';
import { industryLabel, moduleLabel } from '../../i18n/labels';
import { host } from '../../platform/index';
import { EntitlementBadge } from './Entitlement';
import { GrantPanel } from './GrantPanel';

/** `grants`: the support-login panel too (it follows the first paint of a case, see CaseDetail). */
export function CustomerPanel({ row, grants = true }: { row: DisplayRow; grants?: boolean }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  const customer = session.store.directory.customers.get(row.customerId);
  const contact = row.contactId ? (session.store.directory.contacts.get(row.contactId) ?? null) : null;
  if (!customer) return null;
  const colleagues = session.store.directory.contactsByCustomer.get(customer.id) ?? [];
  const customerTeam = teamOfIndustry(customer.industry);
  return (
    <section className="panel" data-testid="customer-panel">
      <h2>{t('case:customer.title')}</h2>
      <p className="customer-name">
        <strong>{customer.name}</strong> <span className="muted">{customer.orgNumber}</span>
      </p>
      <p className="muted small">
        {industryLabel(customer.industry, lang)} · {t('common:team.short', { team: customerTeam })} · {t(`common:office.${customer.country}`)}
      </p>
      {customerTeam !== row.team && <p className="warn small">{t('case:customer.otherTeam', { team: customerTeam })}</p>}
      {customer.paymentStatus === 'overdue' && <p className="error small">{t('case:customer.overdue')}</p>}
      <EntitlementBadge result={entitlement(customer, contact, row.module, colleagues)} />
      <p className="muted small">
        {t('case:customer.modules')}: {customer.licensedModules.map((m) => moduleLabel(m, lang)).join(', ') || '—'}
      </p>
      {contact ? <ContactCard contact={contact} /> : <p className="muted">{t('case:contact.none')}</p>}
      {grants && <GrantPanel customer={customer} />}
    </section>
  );
}

export function ContactCard({ contact }: { contact: Contact }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  return (
    <div className="contact-card" data-testid="contact-card">
      <p>
        <strong>{contact.name}</strong>{' '}
        {contact.superUser ? <span className="chip ok tiny">{t('case:contact.superUser')}</span> : <span className="chip tiny">{t('case:contact.notSuperUser')}</span>}
      </p>
      {contact.phone && <p className="phone">{formatPhone(contact.phone, session.me.office)}</p>}
      {contact.email && (
        <p>
          <button type="button" className="link" onClick={() => void host.openExternal(`mailto:${contact.email ?? ''}`)}>
            {contact.email}
          </button>
        </p>
      )}
      <p className="muted small">
        {t('case:contact.trained')}: {contact.trainedModules.map((m) => moduleLabel(m, lang)).join(', ') || '—'}
      </p>
    </div>
  );
}
