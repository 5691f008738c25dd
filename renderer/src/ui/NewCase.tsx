/**
 * Registering a case, also straight from a call. Works offline: the number comes from the
 * block this desk has leased (session/newCases.ts), the creation goes to the outbox. With no number
 * left and no network, the draft is kept and the specialist is told why.
 */
import { useEffect, useMemo, useState } from 'react';
import { useT } from '../i18n/typing';
import {
  CATEGORY_IDS,
  entitlement,
  likelyModule,
  MODULE_IDS,
  PRODUCT_IDS,
  SERVICE_LEVELS,
  teamOfIndustry,
  type CategoryId,
  type ModuleId,
  type ProductId,
  type ServiceLevel,
  type TeamId,
} from '../../../shared/index';
import { useLanguage, useSession, useSignal } from './hooks';
import type { NewCaseDraft } from '../model/edits';
import type { DisplayRow } from '../model/rows';
import type { IncomingCall } from '../model/caller';
import { searchCustomers, type SearchHit } from '../model/search';
import { categoryLabel, moduleLabel, productLabel, teamName } from '../i18n/labels';
import { EntitlementBadge } from './case/Entitlement';
import { errorMessage } from './errors';

function emptyDraft(team: TeamId): NewCaseDraft {
  return { customerId: null, contactId: null, product: 'go', module: null, category: 'support', serviceLevel: null, team, title: '', description: '', channel: 'phone', callId: null };
}

export function NewCase({ call, onCreated, onCancel }: { call: IncomingCall | null; onCreated: (row: DisplayRow) => void; onCancel: () => void }) {
  const { t } = useT();
  const lang = useLanguage();
  const session = useSession();
  const status = useSignal(session.status);
  const teams = useSignal(session.teams);
  const [draft, setDraft] = useState<NewCaseDraft>(() => {
    const base = emptyDraft(teams[0] ?? session.me.teams[0] ?? 1);
    if (!call?.caller.customer) return { ...base, callId: call?.callId ?? null };
    return {
      ...base,
      customerId: call.caller.customer.id,
      contactId: call.caller.contact?.id ?? null,
      module: likelyModule(call.caller.customer, call.caller.contact),
      team: teamOfIndustry(call.caller.customer.industry),
      callId: call.callId,
    };
  });
  // The specialist's own choice of module is kept; until then it follows the chosen customer and contact.
  const [moduleChosen, setModuleChosen] = useState(false);
  const [query, setQuery] = useState('');
  const [serverHits, setServerHits] = useState<SearchHit[]>([]);
  const [message, setMessage] = useState<{ tone: 'error' | 'warn'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  // A draft kept from an earlier offline attempt comes back (unless this is a new call).
  useEffect(() => {
    if (call) return;
    void session.newCases.savedDraft().then((saved) => {
      if (!saved) return;
      setDraft(saved);
      setModuleChosen(saved.module !== null);
    });
  }, [session, call]);

  const localHits = useMemo(() => searchCustomers(session.store.directory, query), [session, query]);
  useEffect(() => {
    setServerHits([]);
    if (query.trim().length < 2 || status.connection !== 'online' || localHits.length >= 5) return;
    const timer = setTimeout(() => {
      session.newCases.searchCustomers(query.trim()).then(setServerHits, () => undefined);
    }, 300);
    return () => clearTimeout(timer);
  }, [session, query, status.connection, localHits.length]);

  const hits = [...localHits, ...serverHits.filter((h) => !localHits.some((l) => l.customer.id === h.customer.id && l.contact?.id === h.contact?.id))].slice(0, 12);
  const customer = draft.customerId ? (session.store.directory.customers.get(draft.customerId) ?? serverHits.find((h) => h.customer.id === draft.customerId)?.customer) : undefined;
  const contacts = customer ? (session.store.directory.contactsByCustomer.get(customer.id) ?? []) : [];
  const contact = draft.contactId ? (contacts.find((c) => c.id === draft.contactId) ?? null) : null;
  const set = <K extends keyof NewCaseDraft>(key: K, value: NewCaseDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const choose = (hit: SearchHit) => {
    setDraft((d) => ({
      ...d,
      customerId: hit.customer.id,
      contactId: hit.contact?.id ?? null,
      module: moduleChosen ? d.module : likelyModule(hit.customer, hit.contact ?? null),
      team: teamOfIndustry(hit.customer.industry),
    }));
    setQuery('');
  };

  const submit = async () => {
    if (!customer || draft.title.trim() === '' || draft.module === null) return;
    setBusy(true);
    setMessage(null);
    try {
      const number = await session.newCases.takeNumber(status.connection === 'online');
      if (number === null) {
        await session.newCases.saveDraft(draft);
        setMessage({ tone: 'warn', text: t('newCase:noNumbers') });
        return;
      }
      const id = crypto.randomUUID();
      await session.enqueue({
        name: 'createCase',
        args: {
          id,
          number,
          customerId: customer.id,
          contactId: draft.contactId,
          product: draft.product,
          module: draft.module,
          category: draft.category,
          serviceLevel: draft.category === 'bug' ? draft.serviceLevel : null,
          team: draft.team,
          title: draft.title.trim(),
          description: draft.description,
          channel: draft.channel,
          ...(draft.callId ? { callId: draft.callId } : {}),
        },
      });
      await session.newCases.dropDraft();
      const row = session.store.cases.get(id);
      if (row) onCreated(row);
    } catch (e) {
      setMessage({ tone: 'error', text: errorMessage(t, e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="new-case" aria-labelledby="new-case-title" data-testid="new-case-form">
      <header className="case-head">
        <button type="button" className="ghost back" onClick={onCancel} title="Esc">
          ← {t('common:nav.queue')}
        </button>
        <h1 id="new-case-title">{call ? t('newCase:fromCall', { number: call.from }) : t('newCase:title')}</h1>
      </header>
      <form
        className="new-case-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="panel">
          <h2>{t('newCase:who')}</h2>
          {customer ? (
            <div className="chosen" data-testid="chosen-customer">
              <strong>{customer.name}</strong> <span className="muted">{customer.orgNumber}</span>
              <button type="button" className="ghost" onClick={() => setDraft((d) => ({ ...d, customerId: null, contactId: null }))}>
                {t('newCase:change')}
              </button>
            </div>
          ) : (
            <label>
              <span>{t('newCase:search')}</span>
              <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('newCase:searchPlaceholder')} autoFocus data-testid="customer-search" />
            </label>
          )}
          {!customer && hits.length > 0 && (
            <ul className="hits" data-testid="customer-hits">
              {hits.map((h) => (
                <li key={`${h.customer.id}:${h.contact?.id ?? ''}`}>
                  <button type="button" className="hit" onClick={() => choose(h)}>
                    <strong>{h.contact ? h.contact.name : h.customer.name}</strong>
                    <span className="muted">{h.contact ? ` · ${h.customer.name}` : ` · ${h.customer.orgNumber}`}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {!customer && query.trim().length >= 2 && hits.length === 0 && <p className="muted">{t('newCase:noHits')}</p>}
          {customer && (
            <>
              <label>
                <span>{t('newCase:contact')}</span>
                <select
                  value={draft.contactId ?? ''}
                  onChange={(e) => {
                    const id = e.target.value || null;
                    const picked = id === null ? null : (contacts.find((c) => c.id === id) ?? null);
                    setDraft((d) => ({ ...d, contactId: id, module: moduleChosen ? d.module : likelyModule(customer, picked) }));
                  }}
                  data-testid="contact-select"
                >
                  <option value="">{t('newCase:noContact')}</option>
                  {contacts.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                      {c.superUser ? ' ★' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <EntitlementBadge result={entitlement(customer, contact, draft.module, contacts)} />
            </>
          )}
        </div>
        <div className="panel">
          <h2>{t('newCase:what')}</h2>
          <div className="form-grid">
            <label>
              <span>{t('case:fields.category')}</span>
              <select value={draft.category} onChange={(e) => set('category', e.target.value as CategoryId)} data-testid="new-category">
                {CATEGORY_IDS.map((c) => (
                  <option key={c} value={c}>
                    {categoryLabel(c, lang)}
                  </option>
                ))}
              </select>
            </label>
            {draft.category === 'bug' && (
              <label>
                <span>{t('case:fields.serviceLevel')}</span>
                <select value={draft.serviceLevel ?? ''} onChange={(e) => set('serviceLevel', e.target.value === '' ? null : (Number(e.target.value) as ServiceLevel))} data-testid="new-level">
                  <option value="">{t('newCase:levelLater')}</option>
                  {SERVICE_LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {t('case:levelOption', { level: l })}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              <span>{t('case:fields.product')}</span>
              <select value={draft.product} onChange={(e) => set('product', e.target.value as ProductId)}>
                {PRODUCT_IDS.map((p) => (
                  <option key={p} value={p}>
                    {productLabel(p, lang)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>{t('case:fields.module')}</span>
              <select
                value={draft.module ?? ''}
                onChange={(e) => {
                  setModuleChosen(e.target.value !== '');
                  set('module', e.target.value === '' ? null : (e.target.value as ModuleId));
                }}
                required
                data-testid="new-module"
              >
                <option value="">{t('newCase:chooseModule')}</option>
                {MODULE_IDS.map((m) => (
                  <option key={m} value={m}>
                    {moduleLabel(m, lang)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>{t('case:fields.team')}</span>
              <select value={draft.team} onChange={(e) => set('team', e.target.value === '2' ? 2 : 1)}>
                {([1, 2] as const).map((team) => (
                  <option key={team} value={team}>
                    {t('common:team.short', { team })} — {teamName(team, lang)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>{t('case:fields.channel')}</span>
              <select value={draft.channel} onChange={(e) => set('channel', e.target.value as NewCaseDraft['channel'])}>
                {(['phone', 'email', 'portal'] as const).map((c) => (
                  <option key={c} value={c}>
                    {t(`case:channel.${c}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label>
            <span>{t('case:fields.title')}</span>
            <input value={draft.title} onChange={(e) => set('title', e.target.value)} required maxLength={300} data-testid="new-title" />
          </label>
          <label>
            <span>{t('case:fields.description')}</span>
            <textarea value={draft.description} onChange={(e) => set('description', e.target.value)} rows={6} maxLength={20_000} data-testid="new-description" />
          </label>
          {message && (
            <p className={message.tone} role="alert" data-testid="new-case-message">
              {message.text}
            </p>
          )}
          <div className="row-actions">
            <button type="submit" className="primary" disabled={busy || !customer || draft.title.trim() === '' || draft.module === null} data-testid="new-submit">
              {t('newCase:submit')}
            </button>
            <button type="button" className="ghost" onClick={onCancel}>
              {t('common:cancel')}
            </button>
            {status.connection === 'offline' && <span className="muted small">{t('newCase:offlineNote')}</span>}
          </div>
        </div>
      </form>
    </section>
  );
}
