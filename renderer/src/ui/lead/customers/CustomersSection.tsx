/**
 * The lead's customer register: a searchable list of customers from this desk's cache, a
 * customer's form (every field of the record), its contacts with SuperUser toggles and trained
 * modules, and the SuperUser quota (shared/entitlement.ts) with a clear message when it is full.
 * Saving goes to the lead-only routes, online only; every desk's entitlement follows through the
 * change feed. Alt F finds a customer, Alt N starts a new one.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  effectiveQuota,
  foldText,
  INDUSTRY_IDS,
  MAX_SUPERUSER_QUOTA,
  MODULE_IDS,
  orgNumberKey,
  rankedSuperUsers,
  superUserQuotaRefusal,
  type Contact,
  type Customer,
  type IndustryId,
  type ModuleId,
} from '../../../../../shared/index';
import { ApiError } from '../../../api/client';
import { useT, type DeskT } from '../../../i18n/typing';
import { industryLabel, moduleLabel } from '../../../i18n/labels';
import { codeMessage, errorMessage } from '../../errors';
import { useLanguage, useSession, useSignal, useStoreVersion } from '../../hooks';
import type { LeadSectionProps } from '../sections';

const LIST_LIMIT = 60;

type Draft = Omit<Customer, 'id'>;
const EMPTY_DRAFT: Draft = { name: '', orgNumber: '', country: 'SE', language: 'sv', industry: 'construction', licensedModules: [], paymentStatus: 'ok', superUserQuota: 2 };

/** A refusal shown at its field (the server's field name), or for the whole form. */
interface Failure {
  field: string | null;
  text: string;
}

function failureOf(t: DeskT, e: unknown): Failure {
  if (e instanceof ApiError) {
    if (e.code === 'superuser_quota') return { field: e.field ?? null, text: t('customers:quota.refused') };
    return { field: e.field ?? null, text: codeMessage(t, e.code) };
  }
  return { field: null, text: errorMessage(t, e) };
}

export default function CustomersSection(_props: LeadSectionProps) {
  const { t } = useT();
  const session = useSession();
  const version = useStoreVersion();
  const online = useSignal(session.status).connection === 'online';
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const { customers } = session.store.directory;

  const hits = useMemo(() => {
    const q = foldText(query.trim());
    const key = orgNumberKey(query.trim());
    const all = [...customers.values()].filter((c) => q === '' || foldText(c.name).includes(q) || (key !== '' && orgNumberKey(c.orgNumber).startsWith(key)));
    return all.sort((a, b) => a.name.localeCompare(b.name)).slice(0, LIST_LIMIT);
    // The store's version moves on every change of the cache.
  }, [customers, query, version]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.code === 'KeyF') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.code === 'KeyN') {
        e.preventDefault();
        setSelected('new');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const customer = selected && selected !== 'new' ? (customers.get(selected) ?? null) : null;
  return (
    <div className="customers-admin" data-testid="customers-section">
      <h2>{t('customers:title')}</h2>
      {!online && (
        <p className="banner warn" role="status" data-testid="customers-offline">
          {t('customers:offline')}
        </p>
      )}
      <div className="customers-layout">
        <div className="customers-list">
          <label>
            <span>{t('customers:search')}</span>
            <input ref={searchRef} type="search" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="customer-search" aria-keyshortcuts="Alt+F" />
          </label>
          <button type="button" onClick={() => setSelected('new')} aria-keyshortcuts="Alt+N" data-testid="customer-new">
            {t('customers:new')}
          </button>
          <p className="muted small" aria-live="polite">
            {t('customers:shown', { count: hits.length, total: customers.size })}
          </p>
          <ul className="customer-hits">
            {hits.map((c) => (
              <li key={c.id}>
                <button type="button" className={c.id === selected ? 'hit current' : 'hit'} aria-current={c.id === selected ? 'true' : undefined} onClick={() => setSelected(c.id)} data-testid="customer-hit">
                  <strong>{c.name}</strong> <span className="muted">{c.orgNumber}</span>
                  {c.paymentStatus === 'overdue' && <span className="chip tiny warn">{t('customers:overdue')}</span>}
                </button>
              </li>
            ))}
          </ul>
        </div>
        <div className="customer-detail">
          {selected === 'new' ? (
            <CustomerForm key="new" customer={null} online={online} onSaved={(c) => setSelected(c.id)} />
          ) : customer ? (
            <>
              <CustomerForm key={customer.id} customer={customer} online={online} onSaved={() => undefined} />
              <Contacts key={`contacts-${customer.id}`} customer={customer} online={online} />
            </>
          ) : (
            <p className="muted">{t('customers:choose')}</p>
          )}
        </div>
      </div>
    </div>
  );
}

function FieldError({ id, failure, field }: { id: string; failure: Failure | null; field: string }): ReactNode {
  if (!failure || failure.field !== field) return null;
  return (
    <p className="error field-error" id={id} role="alert">
      {failure.text}
    </p>
  );
}

function CustomerForm({ customer, online, onSaved }: { customer: Customer | null; online: boolean; onSaved: (c: Customer) => void }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  const [base, setBase] = useState<Customer | null>(customer);
  const [draft, setDraft] = useState<Draft>(customer ?? EMPTY_DRAFT);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const err = (field: string) => `${id}-${field}-error`;
  const invalid = (field: string) => (failure?.field === field ? { 'aria-invalid': true as const, 'aria-describedby': err(field) } : {});
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setSaved(false);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!online) return;
    setBusy(true);
    setFailure(null);
    try {
      let result: Customer;
      if (base) {
        const patch = Object.fromEntries(Object.entries(draft).filter(([k, v]) => JSON.stringify(base[k as keyof Customer]) !== JSON.stringify(v)));
        result = Object.keys(patch).length === 0 ? base : await session.customersAdmin.updateCustomer(base.id, patch);
      } else {
        result = await session.customersAdmin.createCustomer(draft);
      }
      setBase(result);
      setDraft(result);
      setSaved(true);
      onSaved(result);
    } catch (e2) {
      setFailure(failureOf(t, e2));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="customer-form" onSubmit={(e) => void submit(e)} data-testid="customer-form" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{base ? base.name : t('customers:new')}</h3>
      <div className="form-grid">
        <label>
          <span>{t('customers:fields.name')}</span>
          <input value={draft.name} onChange={(e) => set('name', e.target.value)} required maxLength={200} {...invalid('name')} data-testid="customer-name" />
          <FieldError id={err('name')} failure={failure} field="name" />
        </label>
        <label>
          <span>{t('customers:fields.orgNumber')}</span>
          <input value={draft.orgNumber} onChange={(e) => set('orgNumber', e.target.value)} required maxLength={32} {...invalid('orgNumber')} data-testid="customer-org" />
          <FieldError id={err('orgNumber')} failure={failure} field="orgNumber" />
        </label>
        <label>
          <span>{t('customers:fields.country')}</span>
          <select value={draft.country} onChange={(e) => set('country', e.target.value as Draft['country'])}>
            <option value="SE">{t('customers:countries.SE')}</option>
            <option value="FI">{t('customers:countries.FI')}</option>
          </select>
        </label>
        <label>
          <span>{t('customers:fields.language')}</span>
          <select value={draft.language} onChange={(e) => set('language', e.target.value as Draft['language'])}>
            <option value="sv">{t('customers:languages.sv')}</option>
            <option value="fi">{t('customers:languages.fi')}</option>
          </select>
        </label>
        <label>
          <span>{t('customers:fields.industry')}</span>
          <select value={draft.industry} onChange={(e) => set('industry', e.target.value as IndustryId)}>
            {INDUSTRY_IDS.map((i) => (
              <option key={i} value={i}>
                {industryLabel(i, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('customers:fields.paymentStatus')}</span>
          <select value={draft.paymentStatus} onChange={(e) => set('paymentStatus', e.target.value as Draft['paymentStatus'])} data-testid="customer-payment">
            <option value="ok">{t('customers:payment.ok')}</option>
            <option value="overdue">{t('customers:payment.overdue')}</option>
          </select>
        </label>
        <label>
          <span>{t('customers:fields.superUserQuota')}</span>
          <select value={draft.superUserQuota} onChange={(e) => set('superUserQuota', Number(e.target.value))} {...invalid('superUserQuota')} data-testid="customer-quota">
            {[2, 3, MAX_SUPERUSER_QUOTA].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <FieldError id={err('superUserQuota')} failure={failure} field="superUserQuota" />
        </label>
      </div>
      <ModulePicker legend={t('customers:fields.licensedModules')} value={draft.licensedModules} onChange={(m) => set('licensedModules', m)} />
      {failure && failure.field !== 'name' && failure.field !== 'orgNumber' && failure.field !== 'superUserQuota' && (
        <p className="error" role="alert">
          {failure.text}
        </p>
      )}
      {saved && (
        <p className="ok-text" role="status">
          {t('customers:saved')}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || !online} data-testid="customer-save">
        {base ? t('customers:save') : t('customers:create')}
      </button>
    </form>
  );
}

function ModulePicker({ legend, value, onChange }: { legend: string; value: readonly ModuleId[]; onChange: (m: ModuleId[]) => void }) {
  const lang = useLanguage();
  return (
    <fieldset className="module-picker">
      <legend>{legend}</legend>
      {MODULE_IDS.map((m) => (
        <label key={m} className="check">
          <input type="checkbox" checked={value.includes(m)} onChange={(e) => onChange(e.target.checked ? MODULE_IDS.filter((x) => x === m || value.includes(x)) : value.filter((x) => x !== m))} />
          {moduleLabel(m, lang)}
        </label>
      ))}
    </fieldset>
  );
}

function Contacts({ customer, online }: { customer: Customer; online: boolean }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  const contacts = session.store.directory.contactsByCustomer.get(customer.id) ?? [];
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [failure, setFailure] = useState<{ contactId: string; text: string } | null>(null);
  const [pending, setPending] = useState<Record<string, Contact>>({});
  const quotaId = useId();
  // What this desk saved is shown at once; the feed brings the same a moment later.
  const shown = contacts.map((c) => pending[c.id] ?? c).concat(Object.values(pending).filter((p) => !contacts.some((c) => c.id === p.id) && p.customerId === customer.id));
  const quota = effectiveQuota(customer);
  const named = rankedSuperUsers(shown).length;
  const full = named >= quota;

  const [invited, setInvited] = useState<{ contactId: string; email: string } | null>(null);
  const [inviting, setInviting] = useState<string | null>(null);

  const invite = async (contact: Contact) => {
    setFailure(null);
    setInvited(null);
    setInviting(contact.id);
    try {
      const sent = await session.customersAdmin.inviteToCentre(contact.id);
      setInvited({ contactId: contact.id, email: sent.email });
    } catch (e) {
      setFailure({ contactId: contact.id, text: failureOf(t, e).text });
    } finally {
      setInviting(null);
    }
  };

  const toggle = async (contact: Contact, on: boolean) => {
    setFailure(null);
    try {
      const saved = await session.customersAdmin.updateContact(contact.id, { superUser: on });
      setPending((p) => ({ ...p, [saved.id]: saved }));
    } catch (e) {
      setFailure({ contactId: contact.id, text: failureOf(t, e).text });
    }
  };

  return (
    <section className="customer-contacts" aria-labelledby={`${quotaId}-title`} data-testid="customer-contacts">
      <h3 id={`${quotaId}-title`}>{t('customers:contacts.title')}</h3>
      <p id={quotaId} className={full ? 'quota warn-text' : 'quota'} data-testid="superuser-quota" data-full={full}>
        {t('customers:quota.count', { named, quota })} {full && t('customers:quota.full')}
      </p>
      <table className="contacts-table">
        <thead>
          <tr>
            <th scope="col">{t('customers:contacts.name')}</th>
            <th scope="col">{t('customers:contacts.email')}</th>
            <th scope="col">{t('customers:contacts.phone')}</th>
            <th scope="col">{t('customers:contacts.superUser')}</th>
            <th scope="col">{t('customers:contacts.trained')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('customers:contacts.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => {
            const anonymised = c.anonymisedAt !== null;
            const blocked = !c.superUser && full;
            return (
              <tr key={c.id} data-testid="contact-row" data-contact={c.name}>
                <td>{anonymised ? <em>{t('customers:contacts.anonymised')}</em> : c.name}</td>
                <td>{c.email ?? '—'}</td>
                <td>{c.phone ?? '—'}</td>
                <td>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={c.superUser}
                      disabled={!online || anonymised || blocked}
                      aria-describedby={blocked ? quotaId : undefined}
                      onChange={(e) => void toggle(c, e.target.checked)}
                      data-testid="superuser-toggle"
                    />
                    <span className="visually-hidden">{t('customers:contacts.superUserOf', { name: c.name })}</span>
                  </label>
                  {failure?.contactId === c.id && (
                    <p className="error field-error" role="alert">
                      {failure.text}
                    </p>
                  )}
                </td>
                <td>{c.trainedModules.map((m) => moduleLabel(m, lang)).join(', ') || '—'}</td>
                <td>
                  {!anonymised && (
                    <button type="button" className="ghost" onClick={() => setEditing(c.id)} aria-label={t('customers:contacts.editOf', { name: c.name })}>
                      {t('customers:contacts.edit')}
                    </button>
                  )}
                  {!anonymised && c.superUser && (
                    <button
                      type="button"
                      className="ghost"
                      onClick={() => void invite(c)}
                      disabled={!online || inviting !== null}
                      aria-label={t('customers:contacts.inviteOf', { name: c.name })}
                      data-testid="contact-invite"
                    >
                      {t('customers:contacts.invite')}
                    </button>
                  )}
                  {invited?.contactId === c.id && (
                    <p className="ok-text" role="status" data-testid="contact-invited">
                      {t('customers:contacts.invited', { email: invited.email })}
                    </p>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {editing === null ? (
        <button type="button" onClick={() => setEditing('new')} disabled={!online} data-testid="contact-new">
          {t('customers:contacts.add')}
        </button>
      ) : (
        <ContactForm
          key={editing}
          customer={customer}
          contact={editing === 'new' ? null : (shown.find((c) => c.id === editing) ?? null)}
          colleagues={shown}
          online={online}
          onDone={(saved) => {
            if (saved) setPending((p) => ({ ...p, [saved.id]: saved }));
            setEditing(null);
          }}
        />
      )}
    </section>
  );
}

function ContactForm({ customer, contact, colleagues, online, onDone }: { customer: Customer; contact: Contact | null; colleagues: readonly Contact[]; online: boolean; onDone: (saved: Contact | null) => void }) {
  const { t } = useT();
  const session = useSession();
  const [name, setName] = useState(contact?.name ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [phone, setPhone] = useState(contact?.phone ?? '');
  const [superUser, setSuperUser] = useState(contact?.superUser ?? false);
  const [trained, setTrained] = useState<ModuleId[]>(contact?.trainedModules ?? []);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const err = (field: string) => `${id}-${field}-error`;
  const invalid = (field: string) => (failure?.field === field ? { 'aria-invalid': true as const, 'aria-describedby': err(field) } : {});
  // The same rule the server applies, so the lead sees it before saving.
  const preview = { ...(contact ?? { id: 'new', customerId: customer.id, superUserSince: null, anonymisedAt: null }), name, email: null, phone: null, superUser, trainedModules: trained, superUserSince: contact?.superUserSince ?? '9999' } as Contact;
  const quotaRefused = superUserQuotaRefusal(customer.superUserQuota, customer.superUserQuota, colleagues, contact ? colleagues.map((c) => (c.id === contact.id ? preview : c)) : [...colleagues, preview]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!online) return;
    setBusy(true);
    setFailure(null);
    const fields = { name: name.trim(), email: email.trim() === '' ? null : email.trim(), phone: phone.trim() === '' ? null : phone.trim(), superUser, trainedModules: trained };
    try {
      const saved = contact ? await session.customersAdmin.updateContact(contact.id, fields) : await session.customersAdmin.addContact(customer.id, fields);
      onDone(saved);
    } catch (e2) {
      setFailure(failureOf(t, e2));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="contact-form" onSubmit={(e) => void submit(e)} data-testid="contact-form" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{contact ? t('customers:contacts.editTitle', { name: contact.name }) : t('customers:contacts.add')}</h4>
      <div className="form-grid">
        <label>
          <span>{t('customers:contacts.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus {...invalid('name')} data-testid="contact-name" />
          <FieldError id={err('name')} failure={failure} field="name" />
        </label>
        <label>
          <span>{t('customers:contacts.email')}</span>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} {...invalid('email')} data-testid="contact-email" />
          <FieldError id={err('email')} failure={failure} field="email" />
        </label>
        <label>
          <span>{t('customers:contacts.phone')}</span>
          <input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} {...invalid('phone')} data-testid="contact-phone" />
          <FieldError id={err('phone')} failure={failure} field="phone" />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={superUser} onChange={(e) => setSuperUser(e.target.checked)} {...invalid('superUser')} data-testid="contact-superuser" />
        {t('customers:contacts.superUser')}
      </label>
      {(quotaRefused || failure?.field === 'superUser') && (
        <p className="error field-error" id={err('superUser')} role="alert">
          {t('customers:quota.refused')} {t('customers:quota.count', { named: rankedSuperUsers(colleagues).length, quota: effectiveQuota(customer) })}
        </p>
      )}
      <ModulePicker legend={t('customers:contacts.trained')} value={trained} onChange={setTrained} />
      {failure && !['name', 'email', 'phone', 'superUser'].includes(failure.field ?? '') && (
        <p className="error" role="alert">
          {failure.text}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !online || quotaRefused !== null} data-testid="contact-save">
          {t('customers:save')}
        </button>
        <button type="button" className="ghost" onClick={() => onDone(null)}>
          {t('customers:cancel')}
        </button>
      </div>
    </form>
  );
}
