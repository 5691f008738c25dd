/**
 * The customer's support login: whether a SuperUser's grant is active and when it ends, who
 * granted it, and recording or revoking one. SE: 8 working hours, or 24/72 h granted on a
 * Friday; consultant access 24 h; FI: the SuperUser chooses how long.
 */
import { useState } from 'react';
import { useT } from '../../i18n/typing';
import { FI_GRANT_HOURS_MAX, FI_GRANT_HOURS_MIN, DEFAULT_FRIDAY_GRANT_HOURS, FRIDAY_GRANT_HOURS, activeGrant, fridayChoiceApplies, grantExpiry, nextGrantChange, type Customer, type FridayGrantHours } from '../../../../shared/index';
import { useFormat, useRenderAt, useSession, useStoreVersion } from '../hooks';
import { isLive } from '../../model/overlay';
import { useAct } from './act';

export function GrantPanel({ customer }: { customer: Customer }) {
  const { t } = useT();
  const fmt = useFormat();
  const session = useSession();
  useStoreVersion();
  // Read at every render: a grant recorded or revoked shows at once (the store's change renders
  // the panel), and the next start or end of a grant renders it again at that instant.
  const now = Date.now();
  const { act, error } = useAct();
  const [recording, setRecording] = useState(false);
  const [kind, setKind] = useState<'support' | 'consultant'>('support');
  const superUsers = (session.store.directory.contactsByCustomer.get(customer.id) ?? []).filter((c) => c.superUser && c.anonymisedAt === null);
  const [grantedBy, setGrantedBy] = useState('');
  const [hours, setHours] = useState('8');
  const [fridayHours, setFridayHours] = useState<FridayGrantHours>(24);

  const grants = session.store.directory.grantsByCustomer.get(customer.id) ?? [];
  const active = activeGrant(grants, new Date(now));
  useRenderAt(nextGrantChange(grants, new Date(now))?.getTime() ?? null);
  const pendingRecord = session.store.cases.outbox.some((e) => isLive(e) && e.envelope.name === 'recordGrant' && e.envelope.args.customerId === customer.id);
  const pendingRevoke = active !== null && session.store.cases.outbox.some((e) => isLive(e) && e.envelope.name === 'revokeGrant' && e.envelope.args.grantId === active.id);
  const finnish = customer.country === 'FI';
  const swedishFriday = fridayChoiceApplies(customer.country, kind, new Date(now));
  const by = grantedBy || superUsers[0]?.id || '';

  const record = async () => {
    const grantedAt = new Date();
    const durationHours = finnish && kind === 'support' ? Number(hours) : undefined;
    const friday = swedishFriday ? fridayHours : undefined;
    // The shared rules check the input before it is queued; the server applies the same rules.
    try {
      grantExpiry({ office: customer.country, kind, grantedAt, durationHours, fridayHours: friday });
    } catch {
      return;
    }
    const ok = await act({
      name: 'recordGrant',
      args: {
        grantId: crypto.randomUUID(),
        customerId: customer.id,
        kind,
        grantedByContactId: by,
        grantedAt: grantedAt.toISOString(),
        ...(durationHours === undefined ? {} : { durationHours }),
        ...(friday === undefined ? {} : { fridayHours: friday }),
      },
    });
    if (ok) setRecording(false);
  };

  return (
    <div className="grant" data-testid="grant-panel">
      <h3>{t('case:grant.title')}</h3>
      {active ? (
        <p className="ok" data-testid="grant-active">
          {t('case:grant.activeUntil', { time: fmt.dateTime(Date.parse(active.expiresAt)) })}
          <br />
          <span className="muted small">
            {t(`case:grant.kind.${active.kind}`)} · {t('case:grant.grantedBy', { name: session.store.directory.contacts.get(active.grantedByContactId)?.name ?? '?' })}
          </span>
        </p>
      ) : (
        <p className="muted">{t('case:grant.none')}</p>
      )}
      {pendingRecord && <p className="chip pending">{t('case:grant.pendingRecord')}</p>}
      {active && !pendingRevoke && (
        <button type="button" className="ghost" onClick={() => void act({ name: 'revokeGrant', args: { grantId: active.id } })}>
          {t('case:grant.revoke')}
        </button>
      )}
      {!recording ? (
        <button type="button" className="ghost" onClick={() => setRecording(true)} disabled={superUsers.length === 0}>
          {t('case:grant.record')}
        </button>
      ) : (
        <form
          className="grant-form"
          onSubmit={(e) => {
            e.preventDefault();
            void record();
          }}
        >
          <label>
            <span>{t('case:grant.kindLabel')}</span>
            <select value={kind} onChange={(e) => setKind(e.target.value === 'consultant' ? 'consultant' : 'support')}>
              <option value="support">{t('case:grant.kind.support')}</option>
              <option value="consultant">{t('case:grant.kind.consultant')}</option>
            </select>
          </label>
          <label>
            <span>{t('case:grant.grantedByLabel')}</span>
            <select value={by} onChange={(e) => setGrantedBy(e.target.value)}>
              {superUsers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          {finnish && kind === 'support' && (
            <label>
              <span>{t('case:grant.hours')}</span>
              <input type="number" min={FI_GRANT_HOURS_MIN} max={FI_GRANT_HOURS_MAX} value={hours} onChange={(e) => setHours(e.target.value)} required />
            </label>
          )}
          {swedishFriday && (
            <label>
              <span>{t('case:grant.friday')}</span>
              <select value={fridayHours} onChange={(e) => setFridayHours(FRIDAY_GRANT_HOURS.find((h) => String(h) === e.target.value) ?? DEFAULT_FRIDAY_GRANT_HOURS)}>
                {FRIDAY_GRANT_HOURS.map((h) => (
                  <option key={h} value={h}>
                    {h} h
                  </option>
                ))}
              </select>
            </label>
          )}
          <p className="muted small">{t(finnish ? 'case:grant.ruleFI' : 'case:grant.ruleSE')}</p>
          <div className="row-actions">
            <button type="submit" className="primary">
              {t('case:grant.save')}
            </button>
            <button type="button" className="ghost" onClick={() => setRecording(false)}>
              {t('common:cancel')}
            </button>
          </div>
        </form>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
