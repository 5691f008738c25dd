/**
 * Logging out with edits this computer still holds: they are not thrown away with the cache.
 * The dialog says how many, that they stay here for the next login, and offers to stay logged
 * in (the default) until they are sent; the count follows the sync live.
 */
import { useT } from '../i18n/typing';
import { useSession, useStoreVersion } from './hooks';

export function LogoutDialog({ onStay, onLogout }: { onStay: () => void; onLogout: () => void }) {
  const { t } = useT();
  const session = useSession();
  useStoreVersion();
  const held = session.store.cases.outbox.length;
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="logout-title" aria-describedby="logout-text" onClick={onStay} data-testid="logout-dialog">
      <div className="overlay-card logout-card" onClick={(e) => e.stopPropagation()}>
        <h2 id="logout-title">{t('common:logout.title')}</h2>
        <div id="logout-text" role="status">
          {held > 0 ? (
            <>
              <p>{t('common:logout.held', { count: held })}</p>
              <p>{t('common:logout.explain')}</p>
            </>
          ) : (
            <p>{t('common:logout.allSent')}</p>
          )}
        </div>
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onStay} autoFocus data-testid="logout-stay">
            {t('common:logout.stay')}
          </button>
          <button type="button" className="ghost" onClick={onLogout} data-testid="logout-anyway">
            {held > 0 ? t('common:logout.anyway') : t('common:nav.logout')}
          </button>
        </div>
      </div>
    </div>
  );
}
