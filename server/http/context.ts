import type { AuthService } from '../auth/auth-service';
import type { CtiOptions } from '../calls/phone-switch';
import type { ServerLimits } from './limits';
import type { LiveHub } from './live-socket';
import type { CommitGate } from '../store/checkpointer';
import type { Store } from '../store/store';
import type { MailChannel } from '../mail/channel';
import type { CentreAuth } from '../centre/centre-auth';

/** What every route works with. */
export interface AppContext {
  store: Store;
  auth: AuthService;
  live: LiveHub;
  /** Group commits pause while the WAL checkpointer finishes (store/checkpointer.ts). */
  commits: CommitGate;
  cti: { token: string; options: CtiOptions };
  /** The softphone link template handed to desks (validated at start); null: `tel:` links. */
  softphoneUrl: string | null;
  limits: ServerLimits;
  /** The mail channel; null when no mailbox is configured. */
  mail: MailChannel | null;
  /** The customer centre's accounts and sessions. */
  centre: CentreAuth;
  /** The customer centre's public address (links in its mails), ending in `/`. */
  centreUrl: string;
  now(): Date;
}
