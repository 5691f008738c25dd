/** The centre's keys are typed from its Swedish file (Finnish must have the same keys: test/renderer/centre-locales.test.ts). */
import type sv from '../locales/sv/centre.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'centre';
    resources: { centre: typeof sv };
  }
}
