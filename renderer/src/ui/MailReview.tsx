/**
 * The office's unmatched mail (key `u`, the top bar's count, the lookup's actions): mail to the
 * support mailbox that did not become (part of) a case by itself, each with its sender, subject,
 * the start of its text, when it came and why it waits. A specialist links the sender to a
 * contact (the sender's domain's customers first), creates the contact, or dismisses the mail
 * after confirming. Linking answers with the case the mail is now on, which opens. Online only:
 * offline the view says so and fetches once the desk is back; a live `mailReview` message (another
 * desk, new mail) fetches the list again.
 */
import { useEffect, useMemo, useState } from 'react';
import { foldText, type Contact, type Customer, type MailReviewItem } from '../../../shared/index';
import { useT } from '../i18n/typing';
import type { DisplayRow } from '../model/rows';
import { errorMessage } from './errors';
import { useFormat, useSession, useSignal } from './hooks';
import { MailIcon } from './case/MailEvent';

type Panel = { id: string; kind: 'link' | 'create' | 'dismiss' } | null;

const domainOf = (address: string | null | undefined): string | null => {
  const at = address?.lastIndexOf('@') ?? -1;
  return address && at > 0 ? address.slice(at + 1).toLowerCase() : null;
};
const words = (s: string): string[] => foldText(s).split(/[^\p{L}\p{N}@.]+/u).filter(Boolean);
const matches = (query: string, ...fields: Array<string | null>): boolean => {
  const typed = words(query);
  const own = fields.flatMap((f) => (f ? words(f) : []));
  return typed.every((w) => own.some((o) => o.startsWith(w) || o.includes(w)));
};

export function MailReview({ onOpen }: { onOpen: (row: DisplayRow) => void }) {
  const { t } = useT();
  const fmt = useFormat();
  const session = useSession();
  const status = useSignal(session.status);
  const version = useSignal(session.mail.reviewVersion);
  const online = status.connection === 'online';
  const [items, setItems] = useState<MailReviewItem[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    if (!online) return;
    let live = true;
    session.mail.review().then(
      (list) => {
        if (!live) return;
        setItems(list);
        setLoadError(null);
      },
      (e: unknown) => live && setLoadError(t('case:mailReview.loadError', { error: errorMessage(t, e) })),
    );
    return () => {
      live = false;
    };
  }, [session, online, version, t]);

  const linked = async (item: MailReviewItem, result: { caseId: string; caseNumber: number }) => {
    setItems((list) => list?.filter((i) => i.id !== item.id) ?? null);
    setPanel(null);
    setDone(t('case:mailReview.linked', { number: result.caseNumber }));
    const row = session.store.cases.get(result.caseId) ?? (await session.details.fetchByNumber(result.caseNumber).catch(() => null));
    if (row) onOpen(row);
  };

  return (
    <div className="mail-review-layer">
      <section className="mail-review panel" aria-labelledby="mail-review-title" data-testid="mail-review">
        <div className="panel-head">
          <h1 id="mail-review-title">
            <MailIcon /> {t('case:mailReview.title')}
          </h1>
          {items !== null && online && (
            <span className="muted" data-testid="mail-review-count">
              {t('case:mailReview.count', { count: items.length })}
            </span>
          )}
        </div>
        <p className="muted hint">{t('case:mailReview.intro')}</p>
        {!online && (
          <p className="chip warn" role="status" data-testid="mail-review-offline">
            {t('case:mailReview.offline')}
          </p>
        )}
        {loadError && online && (
          <p className="error" role="alert">
            {loadError}
          </p>
        )}
        {done && (
          <p className="ok" role="status">
            {done}
          </p>
        )}
        {online && items !== null && items.length === 0 && <p className="empty">{t('case:mailReview.empty')}</p>}
        {online && items !== null && items.length > 0 && (
          <ul className="mail-review-items">
            {items.map((item) => (
              <ReviewItem
                key={item.id}
                item={item}
                panel={panel?.id === item.id ? panel.kind : null}
                onPanel={(kind) => setPanel(kind === null ? null : { id: item.id, kind })}
                onLinked={(r) => void linked(item, r)}
                onDismissed={() => {
                  setItems((list) => list?.filter((i) => i.id !== item.id) ?? null);
                  setPanel(null);
                }}
                fmt={fmt}
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function ReviewItem({
  item,
  panel,
  onPanel,
  onLinked,
  onDismissed,
  fmt,
}: {
  item: MailReviewItem;
  panel: 'link' | 'create' | 'dismiss' | null;
  onPanel: (kind: 'link' | 'create' | 'dismiss' | null) => void;
  onLinked: (r: { caseId: string; caseNumber: number }) => void;
  onDismissed: () => void;
  fmt: ReturnType<typeof useFormat>;
}) {
  const { t } = useT();
  const session = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sender = item.from === null ? t('case:mailReview.noSender') : item.fromName ? `${item.fromName} <${item.from}>` : item.from;
  const titleId = `review-${item.id}`;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
      setError(null);
    } catch (e) {
      setError(errorMessage(t, e));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (kind: 'link' | 'create' | 'dismiss') => onPanel(panel === kind ? null : kind);

  return (
    <li className="mail-review-item" aria-labelledby={titleId} data-testid="mail-review-item" data-id={item.id}>
      <h3 id={titleId}>{item.subject || t('case:mailReview.noSubject')}</h3>
      <dl className="mail-meta">
        <div>
          <dt>{t('case:mailReview.from')}</dt>
          <dd>{sender}</dd>
        </div>
        <div>
          <dt>{t('case:mailReview.mailbox')}</dt>
          <dd>{item.mailbox}</dd>
        </div>
        <div>
          <dt>{t('case:mailReview.received')}</dt>
          <dd>
            <time dateTime={item.receivedAt}>{fmt.dateTime(Date.parse(item.receivedAt))}</time>
          </dd>
        </div>
      </dl>
      <p className="chip warn" data-testid="mail-review-reason">
        {t(`case:mailReview.reason.${item.reason}`, { number: item.caseNumber ?? '?' })}
      </p>
      {item.attachmentCount > 0 && <span className="chip tiny">{t('case:mail.attachments', { count: item.attachmentCount })}</span>}
      {item.excerpt && <p className="excerpt">{item.excerpt}</p>}
      <div className="mail-review-actions" role="group" aria-label={t('case:mailReview.actionsFor', { from: sender })}>
        {/* Without a sender's address there is nobody to link: a person reads it, then dismisses it. */}
        {item.from !== null && (
          <>
            <button type="button" className="secondary" aria-expanded={panel === 'link'} onClick={() => toggle('link')} data-testid="review-link">
              {t('case:mailReview.link')}
            </button>
            <button type="button" className="secondary" aria-expanded={panel === 'create'} onClick={() => toggle('create')} data-testid="review-create">
              {t('case:mailReview.create')}
            </button>
          </>
        )}
        <button type="button" className="ghost" aria-expanded={panel === 'dismiss'} onClick={() => toggle('dismiss')} data-testid="review-dismiss">
          {t('case:mailReview.dismiss')}
        </button>
      </div>
      {panel === 'link' && <LinkPanel item={item} busy={busy} onLink={(contactId) => void run(async () => onLinked(await session.mail.link(item.id, contactId)))} />}
      {panel === 'create' && (
        <CreatePanel item={item} busy={busy} onCreate={(body) => void run(async () => onLinked(await session.mail.createContact(item.id, body)))} />
      )}
      {panel === 'dismiss' && (
        <div className="mail-review-form" role="group" aria-label={t('case:mailReview.dismiss')}>
          <p>{t('case:mailReview.confirmDismiss', { from: sender })}</p>
          <div className="mail-review-actions">
            <button
              type="button"
              className="primary"
              disabled={busy}
              autoFocus
              onClick={() =>
                void run(async () => {
                  await session.mail.dismiss(item.id);
                  onDismissed();
                })
              }
              data-testid="review-dismiss-confirm"
            >
              {t('case:mailReview.confirm')}
            </button>
            <button type="button" className="ghost" onClick={() => onPanel(null)}>
              {t('case:mailReview.cancel')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** The directory's customers whose contacts write from the sender's domain (a company's own domain). */
function useDomainCustomers(from: string | null): Set<string> {
  const session = useSession();
  return useMemo(() => {
    const domain = domainOf(from);
    const out = new Set<string>();
    if (domain === null) return out;
    for (const c of session.store.directory.contacts.values()) if (domainOf(c.email) === domain) out.add(c.customerId);
    return out;
  }, [session, from]);
}

function LinkPanel({ item, busy, onLink }: { item: MailReviewItem; busy: boolean; onLink: (contactId: string) => void }) {
  const { t } = useT();
  const session = useSession();
  const [query, setQuery] = useState('');
  const near = useDomainCustomers(item.from);
  const customers = session.store.directory.customers;
  const found = useMemo(() => {
    const out: Contact[] = [];
    for (const c of session.store.directory.contacts.values()) {
      if (c.anonymisedAt !== null) continue;
      if (query.trim() === '' ? !near.has(c.customerId) : !matches(query, c.name, c.email, customers.get(c.customerId)?.name ?? null)) continue;
      out.push(c);
    }
    out.sort((a, b) => Number(near.has(b.customerId)) - Number(near.has(a.customerId)) || a.name.localeCompare(b.name));
    return out.slice(0, 12);
  }, [session, query, near, customers]);
  const inputId = `review-contact-${item.id}`;
  return (
    <div className="mail-review-form">
      <label htmlFor={inputId}>{t('case:mailReview.searchContact')}</label>
      <input id={inputId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus data-testid="review-contact-search" />
      {found.length === 0 ? (
        query.trim() !== '' && <p className="muted">{t('case:mailReview.noContacts')}</p>
      ) : (
        <ul>
          {found.map((c) => (
            <li key={c.id}>
              <button type="button" className="ghost" disabled={busy} onClick={() => onLink(c.id)} aria-label={t('case:mailReview.chooseContact', { name: c.name })} data-testid="review-contact">
                {c.name}
                {c.email && <span className="muted"> · {c.email}</span>}
                <span className="muted"> · {customers.get(c.customerId)?.name ?? '?'}</span>
                {near.has(c.customerId) && <span className="chip tiny ok">{t('case:mailReview.sameDomain')}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CreatePanel({ item, busy, onCreate }: { item: MailReviewItem; busy: boolean; onCreate: (body: { customerId: string; name: string; phone: string | null }) => void }) {
  const { t } = useT();
  const session = useSession();
  const near = useDomainCustomers(item.from);
  const [query, setQuery] = useState('');
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [name, setName] = useState(item.fromName ?? '');
  const [phone, setPhone] = useState('');
  const [missing, setMissing] = useState(false);
  const found = useMemo(() => {
    const out: Customer[] = [];
    for (const c of session.store.directory.customers.values()) {
      if (query.trim() === '' ? !near.has(c.id) : !matches(query, c.name)) continue;
      out.push(c);
    }
    out.sort((a, b) => Number(near.has(b.id)) - Number(near.has(a.id)) || a.name.localeCompare(b.name));
    return out.slice(0, 8);
  }, [session, query, near]);
  const id = (s: string) => `review-${s}-${item.id}`;
  return (
    <form
      className="mail-review-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (customer === null) {
          setMissing(true);
          return;
        }
        onCreate({ customerId: customer.id, name: name.trim(), phone: phone.trim() === '' ? null : phone.trim() });
      }}
    >
      <label htmlFor={id('customer')}>{t('case:mailReview.searchCustomer')}</label>
      <input id={id('customer')} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus data-testid="review-customer-search" />
      <ul aria-label={t('case:mailReview.customer')}>
        {found.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="ghost"
              aria-pressed={customer?.id === c.id}
              onClick={() => {
                setCustomer(c);
                setMissing(false);
              }}
              data-testid="review-customer"
            >
              {c.name}
              {near.has(c.id) && <span className="chip tiny ok">{t('case:mailReview.sameDomain')}</span>}
            </button>
          </li>
        ))}
      </ul>
      {customer && (
        <p data-testid="review-chosen-customer">
          {t('case:mailReview.customer')}: <strong>{customer.name}</strong>
        </p>
      )}
      {missing && (
        <p className="error" role="alert">
          {t('case:mailReview.chooseCustomer')}
        </p>
      )}
      <label htmlFor={id('name')}>{t('case:mailReview.name')}</label>
      <input id={id('name')} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} data-testid="review-contact-name" />
      <label htmlFor={id('phone')}>{t('case:mailReview.phone')}</label>
      <input id={id('phone')} type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} maxLength={40} data-testid="review-contact-phone" />
      <div className="mail-review-actions">
        <button type="submit" className="primary" disabled={busy || name.trim() === ''} data-testid="review-create-submit">
          {t('case:mailReview.createAndLink')}
        </button>
      </div>
    </form>
  );
}
