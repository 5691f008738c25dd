/** The customer centre's words: Finnish has exactly the Swedish keys, and no text is empty. */
import { describe, expect, it } from 'vitest';
import fi from '../../renderer/centre/locales/fi/centre.json';
import sv from '../../renderer/centre/locales/sv/centre.json';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix === '' ? k : `${prefix}.${k}`));
}

function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(leaves);
}

describe('the customer centre\'s locales', () => {
  it('has the same keys in Finnish as in Swedish', () => {
    expect(keys(fi).sort()).toEqual(keys(sv).sort());
  });

  it('has no empty text and keeps the same placeholders in both languages', () => {
    for (const text of [...leaves(sv), ...leaves(fi)]) expect(text.trim()).not.toBe('');
    const placeholders = (o: unknown, key: string): string[] => {
      let node: unknown = o;
      for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
      return [...String(node).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '').sort();
    };
    for (const key of keys(sv)) expect(placeholders(fi, key), key).toEqual(placeholders(sv, key));
  });
});
