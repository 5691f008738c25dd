/** The centre's keys are typed from its Swedish file (Finnish must have the same keys: test/renderer/centre-locales.test.ts). */
import type svAccount from '../locales/sv/account.json';
import type svQa from '../locales/sv/qa.json';
import type sv from '../locales/sv/centre.json';
import type svFiles from '../locales/sv/files.json';
import type svGrants from '../locales/sv/grants.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'centre';
    resources: { centre: typeof sv; qa: typeof svQa; grants: typeof svGrants; files: typeof svFiles; account: typeof svAccount };
  }
}
