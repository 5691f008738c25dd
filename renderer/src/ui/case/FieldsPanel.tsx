/** Every field of the case; the editable ones change through `editFields` edits. */
import { useState } from 'react';
import { useT } from '../../i18n/typing';
import { MODULE_IDS, PRODUCT_IDS, SERVICE_LEVELS, type Case, type ModuleId, type ProductId, type ServiceLevel } from '../../../../shared/index';
import { useFormat, useLanguage, useSession } from '../hooks';
import type { DisplayRow } from '../../model/rows';
import { moduleLabel, productLabel } from '../../i18n/labels';
import { useAct } from './act';

export function FieldsPanel({ row, full, description }: { row: DisplayRow; full: Case | null; description: string }) {
  const { t } = useT();
  const lang = useLanguage();
  const fmt = useFormat();
  const session = useSession();
  const { act, error } = useAct();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(row.title);
  const [text, setText] = useState(description);
  const contacts = session.store.directory.contactsByCustomer.get(row.customerId) ?? [];
  const edit = (fields: Parameters<typeof editOf>[1]) => void act(editOf(row.id, fields));

  const saveText = async () => {
    const fields: Parameters<typeof editOf>[1] = {};
    if (title.trim() !== row.title) fields.title = title.trim();
    if (text !== description) fields.description = text;
    if (Object.keys(fields).length === 0 || (await act(editOf(row.id, fields)))) setEditing(false);
  };

  const time = (ms: number | null) => (ms === null ? '—' : fmt.dateTime(ms));
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>{t('case:fields.heading')}</h2>
        {!editing && (
          <button
            type="button"
            id="edit-open"
            className="ghost"
            title="e"
            onClick={() => {
              setTitle(row.title);
              setText(description);
              setEditing(true);
            }}
            data-testid="edit-open"
          >
            {t('case:fields.edit')}
          </button>
        )}
      </div>
      {editing && (
        <form
          className="edit-form"
          onSubmit={(e) => {
            e.preventDefault();
            void saveText();
          }}
        >
          <label>
            <span>{t('case:fields.title')}</span>
            <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} data-testid="edit-title" autoFocus />
          </label>
          <label>
            <span>{t('case:fields.description')}</span>
            <textarea value={text} onChange={(e) => setText(e.target.value)} rows={5} maxLength={20_000} data-testid="edit-description" />
          </label>
          <div className="row-actions">
            <button type="submit" className="primary" data-testid="edit-save">
              {t('common:save')}
            </button>
            <button type="button" className="ghost" onClick={() => setEditing(false)}>
              {t('common:cancel')}
            </button>
          </div>
        </form>
      )}
      <dl className="facts">
        <dt>{t('case:fields.product')}</dt>
        <dd>
          <select value={row.product} onChange={(e) => edit({ product: e.target.value as ProductId })} aria-label={t('case:fields.product')}>
            {PRODUCT_IDS.map((p) => (
              <option key={p} value={p}>
                {productLabel(p, lang)}
              </option>
            ))}
          </select>
        </dd>
        <dt>{t('case:fields.module')}</dt>
        <dd>
          <select value={row.module} onChange={(e) => edit({ module: e.target.value as ModuleId })} aria-label={t('case:fields.module')} data-testid="field-module">
            {MODULE_IDS.map((m) => (
              <option key={m} value={m}>
                {moduleLabel(m, lang)}
              </option>
            ))}
          </select>
        </dd>
        {row.category === 'bug' && (
          <>
            <dt>{t('case:fields.serviceLevel')}</dt>
            <dd>
              <select
                value={row.serviceLevel ?? ''}
                onChange={(e) => edit({ serviceLevel: e.target.value === '' ? null : (Number(e.target.value) as ServiceLevel) })}
                aria-label={t('case:fields.serviceLevel')}
                data-testid="field-level"
              >
                <option value="" disabled={row.status !== 'new'}>
                  —
                </option>
                {SERVICE_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {t('case:levelOption', { level: l })}
                  </option>
                ))}
              </select>
            </dd>
          </>
        )}
        <dt>{t('case:fields.contactId')}</dt>
        <dd>
          <select value={row.contactId ?? ''} onChange={(e) => edit({ contactId: e.target.value === '' ? null : e.target.value })} aria-label={t('case:fields.contactId')}>
            <option value="">—</option>
            {contacts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </dd>
        <dt>{t('case:fields.channel')}</dt>
        <dd>{t(`case:channel.${row.channel}`)}</dd>
        <dt>{t('case:fields.registeredAt')}</dt>
        <dd>{time(row.registeredAt)}</dd>
        <dt>{t('case:fields.handlingStartedAt')}</dt>
        <dd>{time(row.handlingStartedAt)}</dd>
        <dt>{t('case:fields.resolvedAt')}</dt>
        <dd>{time(row.resolvedAt)}</dd>
        <dt>{t('case:fields.updatedAt')}</dt>
        <dd>{time(row.updatedAt)}</dd>
        <dt>{t('case:fields.version')}</dt>
        <dd className="muted">{full ? full.version : row.version || '—'}</dd>
      </dl>
      {error && <p className="error">{error}</p>}
    </section>
  );
}

function editOf(caseId: string, fields: { title?: string; description?: string; module?: ModuleId; product?: ProductId; serviceLevel?: ServiceLevel | null; contactId?: string | null }) {
  return { name: 'editFields' as const, args: { caseId, fields } };
}
