/**
 * GDPR (lead's desk): find a person by name, e-mail or phone (contacts, anonymised ones marked,
 * and numbers in the call log no contact has); everything Desk holds about them; the export as a
 * ZIP (the JSON and their files); the anonymisation, after a dialog that names what will go as
 * the server's anonymiser counted it and asks for the person's name; and who saw their data, when.
 * Every step is a lead-only, audited server route.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AnonymisePreview, AuditEntry, Call, GdprOverview, GdprSearchResult } from '../../../../../shared/index';
import { useT } from '../../../i18n/typing';
import { errorMessage } from '../../errors';
import { useFormat, useSession } from '../../hooks';
import type { LeadSectionProps } from '../sections';
import { FormError } from './shared';
import { actionLabel, useActorName } from './auditText';

export default function GdprSection({ onOpenCase }: LeadSectionProps) {
  const { t } = useT();
  const session = useSession();
  const [q, setQ] = useState('');
  const [result, setResult] = useState<GdprSearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const [number, setNumber] = useState<{ number: string; calls: Call[] } | null>(null);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await session.admin.searchPeople(q.trim()));
      setChosen(null);
      setNumber(null);
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="admin-section" data-testid="admin-gdpr">
      <h2>{t('admin:gdpr.title')}</h2>
      <p className="muted">{t('admin:gdpr.intro')}</p>
      <form className="admin-search" role="search" onSubmit={(e) => void search(e)}>
        <label>
          <span>{t('admin:gdpr.searchLabel')}</span>
          <input type="search" name="gdpr-q" value={q} onChange={(e) => setQ(e.target.value)} minLength={2} maxLength={100} required autoFocus data-testid="gdpr-q" />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="gdpr-search">
          {t('admin:gdpr.search')}
        </button>
      </form>
      <FormError text={error} />
      {result !== null && (
        <div className="admin-results" data-testid="gdpr-results">
          {result.contacts.length === 0 && result.numbers.length === 0 && <p className="muted">{t('admin:gdpr.none')}</p>}
          {result.contacts.length > 0 && (
            <ul className="admin-list" aria-label={t('admin:gdpr.contacts')}>
              {result.contacts.map(({ contact, customerName }) => (
                <li key={contact.id}>
                  <button
                    type="button"
                    className={chosen === contact.id ? 'admin-pick current' : 'admin-pick'}
                    aria-pressed={chosen === contact.id}
                    onClick={() => {
                      setChosen(contact.id);
                      setNumber(null);
                    }}
                    data-testid="gdpr-contact"
                  >
                    <strong>{contact.name}</strong> <span className="muted">· {customerName}</span>
                    {contact.email !== null && <span className="muted"> · {contact.email}</span>}
                    {contact.phone !== null && <span className="muted"> · {contact.phone}</span>}
                    {contact.anonymisedAt !== null && <span className="chip warn">{t('admin:gdpr.anonymised')}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {result.numbers.length > 0 && (
            <>
              <h3>{t('admin:gdpr.numbers')}</h3>
              <ul className="admin-list">
                {result.numbers.map((n) => (
                  <li key={n.number}>
                    <button
                      type="button"
                      className={number?.number === n.number ? 'admin-pick current' : 'admin-pick'}
                      aria-pressed={number?.number === n.number}
                      onClick={() => {
                        setNumber(n);
                        setChosen(null);
                      }}
                      data-testid="gdpr-number"
                    >
                      <strong>{n.number}</strong> <span className="muted">· {t('admin:gdpr.callCount', { count: n.calls.length })}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {chosen !== null && <Person key={chosen} contactId={chosen} onOpenCase={onOpenCase} onAnonymised={(name) => setResult((r) => r && { ...r, contacts: r.contacts.map((c) => (c.contact.id === chosen ? { ...c, contact: { ...c.contact, name } } : c)) })} />}
      {number !== null && <NumberCalls number={number.number} calls={number.calls} />}
    </div>
  );
}

function Person({ contactId, onOpenCase, onAnonymised }: { contactId: string; onOpenCase: LeadSectionProps['onOpenCase']; onAnonymised: (name: string) => void }) {
  const { t } = useT();
  const session = useSession();
  const format = useFormat();
  const [overview, setOverview] = useState<GdprOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [preview, setPreview] = useState<AnonymisePreview | null>(null);
  const [log, setLog] = useState<AuditEntry[] | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    session.admin.overview(contactId).then(
      (o) => live && setOverview(o),
      (err: unknown) => live && setError(errorMessage(t, err)),
    );
    return () => {
      live = false;
    };
  }, [session, contactId, t, reload]);

  const download = async () => {
    setExporting(true);
    setError(null);
    try {
      const blob = await session.admin.exportZip(contactId);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `contact-${contactId}.zip`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setExported(t('admin:gdpr.exported', { size: format.number(Math.ceil(blob.size / 1024)) }));
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setExporting(false);
    }
  };

  const askAnonymise = async () => {
    setError(null);
    try {
      setPreview(await session.admin.anonymisePreview(contactId));
    } catch (err) {
      setError(errorMessage(t, err));
    }
  };

  const showLog = async () => {
    setError(null);
    try {
      setLog(await session.admin.accessLog(contactId));
    } catch (err) {
      setError(errorMessage(t, err));
    }
  };

  if (overview === null) return error !== null ? <FormError text={error} /> : <p className="muted">{t('lead:loading')}</p>;
  const { contact, customer } = overview;
  const anonymised = contact.anonymisedAt !== null;
  return (
    <section className="admin-person panel" aria-labelledby="gdpr-person-title" data-testid="gdpr-person">
      <h3 id="gdpr-person-title">
        {contact.name} {anonymised && <span className="chip warn">{t('admin:gdpr.anonymisedAt', { time: format.dateTime(Date.parse(contact.anonymisedAt ?? '')) })}</span>}
      </h3>
      <dl className="admin-facts">
        <dt>{t('admin:gdpr.customer')}</dt>
        <dd>
          {customer.name} ({customer.orgNumber})
        </dd>
        <dt>{t('admin:gdpr.email')}</dt>
        <dd>{contact.email ?? '—'}</dd>
        <dt>{t('admin:gdpr.phone')}</dt>
        <dd>{contact.phone ?? '—'}</dd>
        <dt>{t('admin:gdpr.superUser')}</dt>
        <dd>{contact.superUser ? t('admin:yes') : t('admin:no')}</dd>
        <dt>{t('admin:gdpr.centre')}</dt>
        <dd data-testid="gdpr-centre">
          {overview.centreAccount
            ? t('admin:gdpr.centreAccount', { date: format.date(Date.parse(overview.centreAccount.createdAt)), email: overview.centreAccount.email, sessions: overview.centreSessions.length })
            : t('admin:gdpr.centreNone')}
        </dd>
      </dl>
      <p data-testid="gdpr-counts">
        {t('admin:gdpr.held', {
          cases: overview.cases.length,
          events: overview.events.length,
          calls: overview.calls.length,
          grants: overview.grants.length,
          attachments: overview.attachments.length,
        })}
      </p>
      {overview.cases.length > 0 && (
        <details>
          <summary>{t('admin:gdpr.casesList', { count: overview.cases.length })}</summary>
          <ul className="admin-plain">
            {overview.cases.map((c) => (
              <li key={c.id}>
                {/* The case from the desk's cache, as the queue shows it (every case of the person is there). */}
                <button type="button" className="link" data-testid="gdpr-case" onClick={() => {
                  const row = session.store.cases.get(c.id);
                  if (row) onOpenCase(row);
                }} aria-label={t('call:log.openCase', { number: c.number })}>
                  #{c.number}
                </button>{' '}
                {c.title} <span className="muted">· {format.date(Date.parse(c.registeredAt))}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {overview.attachments.length > 0 && (
        <details>
          <summary>{t('admin:gdpr.filesList', { count: overview.attachments.length })}</summary>
          <ul className="admin-plain">
            {overview.attachments.map((a) => (
              <li key={a.id}>{a.name}</li>
            ))}
          </ul>
        </details>
      )}
      <FormError text={error} />
      {exported !== null && (
        <p className="ok-text" role="status">
          {exported}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={() => void download()} disabled={exporting} data-testid="gdpr-export">
          {t('admin:gdpr.export')}
        </button>
        <button type="button" onClick={() => void showLog()} data-testid="gdpr-access-log">
          {t('admin:gdpr.accessLog')}
        </button>
        {!anonymised && (
          <button type="button" className="warn-button" onClick={() => void askAnonymise()} data-testid="gdpr-anonymise">
            {t('admin:gdpr.anonymise')}
          </button>
        )}
      </div>
      {log !== null && <AccessLog entries={log} />}
      {preview !== null && (
        <AnonymiseDialog
          name={contact.name}
          preview={preview}
          onClose={() => setPreview(null)}
          onDone={(name) => {
            setPreview(null);
            onAnonymised(name);
            setReload((n) => n + 1);
            setLog(null);
          }}
        />
      )}
    </section>
  );
}

function AnonymiseDialog({ name, preview, onClose, onDone }: { name: string; preview: AnonymisePreview; onClose: () => void; onDone: (name: string) => void }) {
  const { t } = useT();
  const session = useSession();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const matches = typed.trim().toLocaleLowerCase() === name.trim().toLocaleLowerCase();
  const go = async (e: FormEvent) => {
    e.preventDefault();
    if (!matches) return;
    setBusy(true);
    setError(null);
    try {
      onDone((await session.admin.anonymise(preview.contactId)).name);
    } catch (err) {
      setError(errorMessage(t, err));
      setBusy(false);
    }
  };
  // What the anonymiser found to remove (a count of none is not listed).
  const goes = [
    ...preview.fields.map((f) => t(`admin:gdpr.field.${f}`)),
    ...(preview.events > 0 ? [t('admin:gdpr.goes.events', { count: preview.events })] : []),
    ...(preview.casesChanged > 0 ? [t('admin:gdpr.goes.casesChanged', { count: preview.casesChanged })] : []),
    ...(preview.calls > 0 ? [t('admin:gdpr.goes.calls', { count: preview.calls })] : []),
    ...(preview.attachments > 0 ? [t('admin:gdpr.goes.attachments', { count: preview.attachments })] : []),
    ...(preview.mails > 0 ? [t('admin:gdpr.goes.mails', { count: preview.mails })] : []),
  ];
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="anonymise-title" aria-describedby="anonymise-text" data-testid="anonymise-dialog" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}>
      <form className="overlay-card admin-dialog" onSubmit={(e) => void go(e)}>
        <h2 id="anonymise-title">{t('admin:gdpr.confirmTitle', { name })}</h2>
        <div id="anonymise-text">
          <p>{t('admin:gdpr.keeps', { count: preview.casesKept })}</p>
          <p>{t('admin:gdpr.goesTitle')}</p>
          <ul data-testid="anonymise-goes">
            {goes.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className="warn-text">{t('admin:gdpr.irreversible')}</p>
        </div>
        <label>
          <span>{t('admin:gdpr.typeName', { name })}</span>
          <input ref={input} name="confirm-name" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus autoComplete="off" data-testid="anonymise-name" />
        </label>
        <FormError text={error} />
        <div className="dialog-actions">
          <button type="submit" className="warn-button" disabled={!matches || busy} data-testid="anonymise-confirm">
            {t('admin:gdpr.anonymiseNow')}
          </button>
          <button type="button" className="ghost" onClick={onClose}>
            {t('admin:cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}

function AccessLog({ entries }: { entries: AuditEntry[] }) {
  const { t } = useT();
  const format = useFormat();
  const actorName = useActorName();
  return (
    <div data-testid="gdpr-log">
      <h4>{t('admin:gdpr.accessLogTitle')}</h4>
      {entries.length === 0 ? (
        <p className="muted">{t('admin:gdpr.noAccess')}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin:audit.when')}</th>
              <th scope="col">{t('admin:audit.who')}</th>
              <th scope="col">{t('admin:audit.what')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{format.dateTime(Date.parse(e.at))}</td>
                <td>{actorName(e)}</td>
                <td>{actionLabel(t, e.action)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function NumberCalls({ number, calls }: { number: string; calls: Call[] }) {
  const { t } = useT();
  const format = useFormat();
  return (
    <section className="admin-person panel" aria-labelledby="gdpr-number-title" data-testid="gdpr-number-calls">
      <h3 id="gdpr-number-title">{number}</h3>
      <p className="muted">{t('admin:gdpr.numberHelp')}</p>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('admin:audit.when')}</th>
            <th scope="col">{t('admin:gdpr.direction')}</th>
            <th scope="col">{t('admin:gdpr.callState')}</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((c) => (
            <tr key={c.id}>
              <td>{format.dateTime(Date.parse(c.startedAt))}</td>
              <td>{t(c.direction === 'in' ? 'admin:gdpr.in' : 'admin:gdpr.out')}</td>
              <td>{c.missed ? t('admin:gdpr.missed') : t('admin:gdpr.answered')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
