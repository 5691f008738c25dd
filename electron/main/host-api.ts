/**
 * The main-process side of `DeskHost` (shared/host.ts): one validated IPC handler per method.
 * The preload (electron/preload/index.ts) is the other side.
 */
import { z } from 'zod';
import { DeskNotificationSchema, type HostInfo } from '../../shared/host';
import type { Badge } from './badge';
import { INVOKE } from './channels';
import { handleFromApp, type SenderPolicy } from './ipc';
import type { Notifier } from './notifications';
import { openExternalSafely } from './security';
import type { TokenStore } from './token';

export interface HostServices {
  info: HostInfo;
  tokens: TokenStore;
  notifier: Notifier;
  badge: Badge;
}

/** Longer than any session token the server issues, short enough to refuse junk. */
const TokenSchema = z.string().min(1).max(4096);

export function registerHostApi(services: HostServices, policy: SenderPolicy): void {
  handleFromApp(INVOKE.info, z.tuple([]), () => services.info, policy);
  handleFromApp(INVOKE.loadToken, z.tuple([]), () => services.tokens.load(), policy);
  handleFromApp(INVOKE.saveToken, z.tuple([TokenSchema.nullable()]), (token) => services.tokens.save(token), policy);
  handleFromApp(INVOKE.notify, z.tuple([DeskNotificationSchema]), (notification) => services.notifier.show(notification), policy);
  handleFromApp(INVOKE.setBadge, z.tuple([z.number().int().min(0).max(1_000_000)]), (count) => services.badge.setCount(count), policy);
  handleFromApp(
    INVOKE.setProgress,
    z.tuple([z.number().min(0).max(1).nullable()]),
    (fraction) => services.badge.setProgress(fraction),
    policy,
  );
  handleFromApp(
    INVOKE.openExternal,
    z.tuple([z.string().max(2048)]),
    async (url) => {
      if (!(await openExternalSafely(url))) throw new Error('This link cannot be opened outside Desk.');
    },
    policy,
  );
}
