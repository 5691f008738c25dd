/**
 * i18next with one namespace per feature. Swedish is the source language (the keys are typed
 * from it, see typing.ts), Finnish is complete (a test fails on any missing key), English
 * exists only as a fallback.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { prefs } from '../platform/index';
import type { UiLanguage } from './format';
import { resources } from './resources';
import { ALL_NAMESPACES } from './typing';


export function initialLanguage(): UiLanguage {
  const saved = prefs.get('lang');
  if (saved === 'sv' || saved === 'fi') return saved;
  return navigator.language.toLowerCase().startsWith('fi') ? 'fi' : 'sv';
}

export async function initI18n(lang: UiLanguage): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: lang,
    fallbackLng: 'en',
    supportedLngs: ['sv', 'fi', 'en'],
    ns: ALL_NAMESPACES,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = lang;
}

export async function setLanguage(lang: UiLanguage): Promise<void> {
  prefs.set('lang', lang);
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}
