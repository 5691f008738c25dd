/**
 * The specialist's own account on the server: password, two-factor, sessions, and (leads) a
 * colleague's one-time reset. Online only: nothing of it is cached or queued.
 */
import { z } from 'zod';
import {
  AccountResponseSchema,
  MeResponseSchema,
  PasswordResetResponseSchema,
  RecoveryCodesResponseSchema,
  ROUTES,
  SessionsResponseSchema,
  SpecialistResponseSchema,
  type Specialist,
  TwoFactorSetupResponseSchema,
  type AccountState,
  type SessionInfo,
} from '../../../shared/index';
import type { ApiClient } from '../api/client';

export type AccountInfo = z.infer<typeof AccountResponseSchema>;
export type TwoFactorSetup = z.infer<typeof TwoFactorSetupResponseSchema>;

export class Account {
  constructor(private readonly api: ApiClient) {}

  info(): Promise<AccountInfo> {
    return this.api.get(ROUTES.account, AccountResponseSchema);
  }

  /** Sets a new password; the server ends this account's other sessions. */
  async changePassword(currentPassword: string | undefined, newPassword: string): Promise<AccountState> {
    return (await this.api.post(ROUTES.password, { currentPassword, newPassword }, MeResponseSchema)).account;
  }

  startTwoFactor(): Promise<TwoFactorSetup> {
    return this.api.post(ROUTES.twoFactorSetup, {}, TwoFactorSetupResponseSchema);
  }

  /** The current password confirms the enrolment (the account's other sessions end); answers the ten recovery codes, shown once. */
  async confirmTwoFactor(password: string, code: string): Promise<string[]> {
    return (await this.api.post(ROUTES.twoFactorConfirm, { password, code }, RecoveryCodesResponseSchema)).recoveryCodes;
  }

  async disableTwoFactor(password: string, code: string): Promise<void> {
    await this.api.post(ROUTES.twoFactorDisable, { password, code }, z.unknown());
  }

  async sessions(): Promise<SessionInfo[]> {
    return (await this.api.get(ROUTES.sessions, SessionsResponseSchema)).sessions;
  }

  async revokeSession(id: string): Promise<void> {
    await this.api.post(ROUTES.sessionRevoke(id), {}, z.unknown());
  }

  /** The specialist's own extension on the phone switch (null clears it). */
  async setExtension(extension: string | null): Promise<Specialist> {
    return (await this.api.post(ROUTES.profile, { extension }, SpecialistResponseSchema)).specialist;
  }

  /** A lead's one-time reset of a colleague's password: the code to pass on. */
  resetPassword(specialistId: string): Promise<z.infer<typeof PasswordResetResponseSchema>> {
    return this.api.post(ROUTES.passwordReset(specialistId), {}, PasswordResetResponseSchema);
  }
}
