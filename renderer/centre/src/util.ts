/** Small shared pieces of the centre's screens: moving between them, error words, dates. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiFailure } from './api';

export const go = (path: string): void => {
  location.hash = path;
};

/** The words for a refusal, in the customer's language. */
export function useErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return useCallback(
    (error: unknown) => {
      const code = error instanceof ApiFailure ? error.code : 'generic';
      return i18n.exists(`errors.${code}`) ? t(`errors.${code}` as 'errors.generic') : t('errors.generic');
    },
    [t, i18n],
  );
}

/** A date and time in the customer's language and the office's time zone. */
export function useDate(): (iso: string, withTime?: boolean) => string {
  const { i18n } = useTranslation();
  return useCallback(
    (iso: string, withTime = true) =>
      new Intl.DateTimeFormat(i18n.language === 'fi' ? 'fi-FI' : 'sv-SE', {
        dateStyle: 'medium',
        ...(withTime ? { timeStyle: 'short' } : {}),
        timeZone: i18n.language === 'fi' ? 'Europe/Helsinki' : 'Europe/Stockholm',
      }).format(new Date(iso)),
    [i18n.language],
  );
}
