import type { AuthService } from './auth';
import type { CtiOptions } from './cti';
import type { LiveHub } from './live';
import type { Store } from './store/store';

/** What every route works with. */
export interface AppContext {
  store: Store;
  auth: AuthService;
  live: LiveHub;
  cti: { token: string; options: CtiOptions };
  now(): Date;
}
