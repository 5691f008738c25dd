import { useT } from '../i18n/typing';
import { useLanguage } from './hooks';
import { setLanguage } from '../i18n/index';
import type { UiLanguage } from '../i18n/format';

const LANGS: UiLanguage[] = ['sv', 'fi'];

export function LanguageSwitch() {
  const { t } = useT();
  const current = useLanguage();
  return (
    <div className="segmented small" role="group" aria-label={t('common:language.label')}>
      {LANGS.map((lang) => (
        <button
          key={lang}
          type="button"
          aria-pressed={current === lang}
          lang={lang}
          title={t(`common:language.${lang}`)}
          onClick={() => void setLanguage(lang)}
        >
          {lang.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
