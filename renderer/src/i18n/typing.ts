/**
 * Keys typed from the source language: a t() call with a key Swedish lacks does not compile.
 * A .ts file rather than a .d.ts, so skipLibCheck cannot hide a mistake in it.
 */
import type { TFunction } from 'i18next';
import { createContext, createElement, useContext, useMemo, type ReactElement, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { sv } from './resources';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: typeof sv;
  }
}

/** Every namespace, so any component may use "ns:key" keys (all are bundled, none is lazy). */
export const ALL_NAMESPACES = ['common', 'account', 'login', 'queue', 'case', 'call', 'lookup', 'sync', 'errors', 'newCase', 'shortcuts', 'answers', 'lead', 'customers', 'admin', 'escalation', 'reports'] as const satisfies ReadonlyArray<keyof typeof sv>;
// Fails to compile when a namespace is added to the resources but not listed above.
type Missing = Exclude<keyof typeof sv, (typeof ALL_NAMESPACES)[number]>;
const _namespacesComplete: [Missing] extends [never] ? true : never = true;
export type DeskT = TFunction<typeof ALL_NAMESPACES>;

interface Translation {
  t: DeskT;
  language: string;
}

const TranslationContext = createContext<Translation | null>(null);

/**
 * One useTranslation for the whole tree, handed down by context. react-i18next copies the i18n
 * instance for every component the first time it calls the hook; the queue mounts rows as it
 * scrolls and as filters change, and a case detail dozens of components at once — copies that
 * cost more than the rows themselves.
 */
export function TranslationProvider({ children }: { children: ReactNode }): ReactElement {
  const { t, i18n } = useTranslation(ALL_NAMESPACES);
  const language = i18n.language;
  const value = useMemo(() => ({ t, language }), [t, language]);
  return createElement(TranslationContext.Provider, { value }, children);
}

function useTranslationContext(): Translation {
  const value = useContext(TranslationContext);
  if (!value) throw new Error('useT outside TranslationProvider');
  return value;
}

export function useT(): { t: DeskT } {
  return { t: useTranslationContext().t };
}

/** The UI language i18next resolved ("fi", "sv", …). */
export function useLanguageCode(): string {
  return useTranslationContext().language;
}
