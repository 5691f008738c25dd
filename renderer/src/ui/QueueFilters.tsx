import { memo } from 'react';
import { useT } from '../i18n/typing';
import { CATEGORY_IDS, MODULE_IDS, OFFICES, SERVICE_LEVELS, STATUS_IDS, type CategoryId, type ModuleId, type Office, type ServiceLevel, type StatusId } from '../../../shared/index';
import { useLanguage } from './hooks';
import { DEFAULT_FILTERS, type AssigneeFilter, type QueueFilters, type StatusFilter } from '../model/queue';
import { categoryLabel, moduleLabel, statusLabel } from '../i18n/labels';

/** Select values are strings; "" means "any". */
function pick<T extends string | number>(value: string, all: readonly T[]): T | null {
  return all.find((v) => String(v) === value) ?? null;
}

/** Memoised: the queue re-renders with every change of the cache, the filters only when they change. */
export const QueueFilterBar = memo(function QueueFilterBar({ filters, onChange }: { filters: QueueFilters; onChange: (f: QueueFilters) => void }) {
  const { t } = useT();
  const lang = useLanguage();
  const set = <K extends keyof QueueFilters>(key: K, value: QueueFilters[K]) => onChange({ ...filters, [key]: value });
  const changed = JSON.stringify(filters) !== JSON.stringify(DEFAULT_FILTERS);
  return (
    <div className="filters" role="group" aria-label={t('queue:filters.label')}>
      <label>
        <span>{t('queue:filters.category')}</span>
        <select data-testid="filter-category" value={filters.category ?? ''} onChange={(e) => set('category', pick<CategoryId>(e.target.value, CATEGORY_IDS))}>
          <option value="">{t('queue:filters.any')}</option>
          {CATEGORY_IDS.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('queue:filters.status')}</span>
        <select
          data-testid="filter-status"
          value={filters.status}
          onChange={(e) => set('status', (pick<StatusId | 'open' | 'all'>(e.target.value, ['open', 'all', ...STATUS_IDS]) ?? 'open') as StatusFilter)}
        >
          <option value="open">{t('queue:filters.open')}</option>
          <option value="all">{t('queue:filters.allStatuses')}</option>
          {STATUS_IDS.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('queue:filters.level')}</span>
        <select data-testid="filter-level" value={filters.level ?? ''} onChange={(e) => set('level', pick<ServiceLevel>(e.target.value, SERVICE_LEVELS))}>
          <option value="">{t('queue:filters.any')}</option>
          {SERVICE_LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('queue:filters.assignee')}</span>
        <select
          data-testid="filter-assignee"
          value={filters.assignee}
          onChange={(e) => set('assignee', pick<AssigneeFilter>(e.target.value, ['anyone', 'me', 'unassigned']) ?? 'anyone')}
        >
          <option value="anyone">{t('queue:filters.anyone')}</option>
          <option value="me">{t('queue:filters.me')}</option>
          <option value="unassigned">{t('queue:filters.unassigned')}</option>
        </select>
      </label>
      <label>
        <span>{t('queue:filters.module')}</span>
        <select data-testid="filter-module" value={filters.module ?? ''} onChange={(e) => set('module', pick<ModuleId>(e.target.value, MODULE_IDS))}>
          <option value="">{t('queue:filters.any')}</option>
          {MODULE_IDS.map((m) => (
            <option key={m} value={m}>
              {moduleLabel(m, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('queue:filters.office')}</span>
        <select data-testid="filter-office" value={filters.office ?? ''} onChange={(e) => set('office', pick<Office>(e.target.value, OFFICES))}>
          <option value="">{t('queue:filters.any')}</option>
          {OFFICES.map((o) => (
            <option key={o} value={o}>
              {t(`common:office.${o}`)}
            </option>
          ))}
        </select>
      </label>
      {changed && (
        <button type="button" className="ghost" onClick={() => onChange(DEFAULT_FILTERS)} data-testid="filters-reset">
          {t('queue:filters.reset')}
        </button>
      )}
    </div>
  );
});
