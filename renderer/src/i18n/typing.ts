/**
 * Keys typed from the source language: a t() call with a key Swedish lacks does not compile.
 * A .ts file rather than a .d.ts, so skipLibCheck cannot hide a mistake in it.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { sv } from './resources';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: typeof sv;
  }
}

/** Every namespace, so any component may use "ns:key" keys (all are bundled, none is lazy). */
export const ALL_NAMESPACES = ['common', 'login', 'queue', 'case', 'call', 'lookup', 'sync', 'errors', 'newCase', 'shortcuts'] as const satisfies ReadonlyArray<keyof typeof sv>;
// Fails to compile when a namespace is added to the resources but not listed above.
type Missing = Exclude<keyof typeof sv, (typeof ALL_NAMESPACES)[number]>;
const _namespacesComplete: [Missing] extends [never] ? true : never = true;
export type DeskT = TFunction<typeof ALL_NAMESPACES>;

export function useT(): { t: DeskT } {
  const { t } = useTranslation(ALL_NAMESPACES);
  return { t };
}
