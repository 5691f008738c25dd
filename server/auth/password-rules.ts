/**
 * The server's half of the password rule: the length is `NewPasswordSchema` (shared/, so the
 * desk shows it as the specialist types); here common and easily guessed passwords are
 * refused, with zxcvbn-ts and its common-password dictionary (kept off the desk's bundle).
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { HttpError } from '../http/errors';

/** zxcvbn's 0–4: 3 means about 10^8 guesses or more, beyond a password list and its variations. */
export const MIN_PASSWORD_SCORE = 3;

let factory: ZxcvbnFactory | null = null;
const zxcvbn = (): ZxcvbnFactory => (factory ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs }));

/** Words of the account's own name and e-mail, which a password should not lean on. */
function personalWords(inputs: readonly string[]): string[] {
  const words = new Set<string>();
  for (const input of inputs) {
    const lower = input.toLowerCase();
    words.add(lower);
    for (const part of lower.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part);
  }
  return [...words];
}

/** True when the password is strong enough (the length is checked by the schema). */
export function isStrongPassword(password: string, personal: readonly string[] = []): boolean {
  return zxcvbn().check(password, personalWords(personal)).score >= MIN_PASSWORD_SCORE;
}

/** Refuses a common or easily guessed password with a 400 naming the field. */
export function assertStrongPassword(password: string, field: string, personal: readonly string[] = []): void {
  if (!isStrongPassword(password, personal)) {
    throw new HttpError(400, 'weak_password', 'this password is too common or too easy to guess: choose a longer or less predictable one', field);
  }
}
