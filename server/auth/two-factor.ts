/**
 * TOTP (RFC 6238, the authenticator apps' defaults: SHA-1, 6 digits, 30 s) with otplib, the
 * enrolment's QR code, and the one-time codes (recovery codes, reset codes) as random strings
 * stored only as hashes.
 */
import { randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { sha256 } from './passwords';

export const TOTP_PERIOD_S = 30;
/** A code of the previous or the next period is accepted too (clocks drift, people type slowly). */
const TOLERANCE_S = TOTP_PERIOD_S;
export const RECOVERY_CODE_COUNT = 10;

export const newTotpSecret = (): string => generateSecret({ length: 20 });

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: 'Desk', label: account, secret });
}

export function qrDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/** Six digits after spaces are dropped; anything else is not a TOTP code. */
export const asTotpCode = (code: string): string | null => {
  const compact = code.replace(/\s+/g, '');
  return /^\d{6}$/.test(compact) ? compact : null;
};

/**
 * The time step the code belongs to, or null when it is wrong or not after `afterTimeStep`
 * (the last step already used: a code is never accepted twice).
 */
export async function verifyTotp(secret: string, code: string, now: Date, afterTimeStep: number): Promise<number | null> {
  const epoch = Math.floor(now.getTime() / 1000);
  try {
    const result = await verify({
      secret,
      token: code,
      epoch,
      epochTolerance: TOLERANCE_S,
      ...(afterTimeStep > 0 ? { afterTimeStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    // otplib refuses an afterTimeStep beyond the window (a clock set back): no code is valid then.
    return null;
  }
}

/** Unambiguous letters and digits (no 0/o, 1/l/i). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function randomCode(groups: number, size: number): string {
  const parts: string[] = [];
  for (let g = 0; g < groups; g += 1) {
    let part = '';
    for (let i = 0; i < size; i += 1) part += ALPHABET[randomInt(ALPHABET.length)];
    parts.push(part);
  }
  return parts.join('-');
}

/** A recovery code, `xxxx-xxxx-xxxx` (about 59 bits; used once, and only after the password). */
export const newRecoveryCode = (): string => randomCode(3, 4);
/** A one-time reset code, `xxxx-xxxx-xxxx-xxxx` (about 79 bits). */
export const newResetCode = (): string => randomCode(4, 4);

/** What the specialist typed, without dashes, spaces or capitals, as stored: its SHA-256. */
export const oneTimeCodeHash = (typed: string): string => sha256(typed.toLowerCase().replace(/[^a-z0-9]/g, ''));
