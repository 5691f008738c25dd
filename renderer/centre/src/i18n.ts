/**
 * i18next for the centre: its own namespaces (`centre`, and `qa`, `grants`, `files`, `account` for
 * the questions and answers, support logins, attachments and the account's page) in Swedish and Finnish. Before login the
 * language is the one chosen (or the browser's); after it, the customer's.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import fi from '../locales/fi/centre.json';
import fiAccount from '../locales/fi/account.json';
import fiQa from '../locales/fi/qa.json';
import fiFiles from '../locales/fi/files.json';
import fiGrants from '../locales/fi/grants.json';
import sv from '../locales/sv/centre.json';
import svAccount from '../locales/sv/account.json';
import svQa from '../locales/sv/qa.json';
import svFiles from '../locales/sv/files.json';
import svGrants from '../locales/sv/grants.json';
import type { Language } from '../../../shared/teams';

export const resources = {
  sv: { centre: sv, qa: svQa, grants: svGrants, files: svFiles, account: svAccount },
  fi: { centre: fi, qa: fiQa, grants: fiGrants, files: fiFiles, account: fiAccount },
} as const;

const LANG_KEY = 'desk-centre-lang';

export function initialLanguage(): Language {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'sv' || asked === 'fi') return asked;
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'sv' || saved === 'fi') return saved;
  return navigator.language.toLowerCase().startsWith('fi') ? 'fi' : 'sv';
}

export async function initI18n(lang: Language): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: lang,
    fallbackLng: 'sv',
    supportedLngs: ['sv', 'fi'],
    ns: ['centre', 'qa', 'grants', 'files', 'account'],
    defaultNS: 'centre',
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = lang;
  document.title = i18next.t('title');
}

export async function setLanguage(lang: Language): Promise<void> {
  localStorage.setItem(LANG_KEY, lang);
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
  document.title = i18next.t('title');
}
