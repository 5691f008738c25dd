/** Entitled or not, and every reason why not — a warning, never a block: the specialist decides. */
import { useT } from '../../i18n/typing';
import type { Entitlement as EntitlementResult, EntitlementReason } from '../../../../shared/index';
import { useLanguage } from '../hooks';
import { moduleLabel } from '../../i18n/labels';

export function EntitlementBadge({ result }: { result: EntitlementResult }) {
  const { t } = useT();
  const lang = useLanguage();
  const reason = (r: EntitlementReason): string => {
    switch (r.code) {
      case 'not_trained':
      case 'module_not_licensed':
        return t(`case:entitlement.reasons.${r.code}`, { module: moduleLabel(r.module, lang) });
      case 'over_quota':
        return t('case:entitlement.reasons.over_quota', { quota: r.quota, rank: r.rank });
      default:
        return t(`case:entitlement.reasons.${r.code}`);
    }
  };
  return (
    <div className={`entitlement ${result.entitled ? 'ok' : 'warn'}`} data-testid="entitlement" data-entitled={result.entitled}>
      <strong>{result.entitled ? `✓ ${t('case:entitlement.entitled')}` : `⚠ ${t('case:entitlement.notEntitled')}`}</strong>
      {result.reasons.length > 0 && (
        <ul>
          {result.reasons.map((r) => (
            <li key={JSON.stringify(r)}>{reason(r)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
