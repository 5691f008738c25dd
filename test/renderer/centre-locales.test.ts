/** The customer centre's words: Finnish has exactly the Swedish keys, and no text is empty. */
import { describe, expect, it } from 'vitest';
import fiAccount from '../../renderer/centre/locales/fi/account.json';
import fiCentre from '../../renderer/centre/locales/fi/centre.json';
import fiFiles from '../../renderer/centre/locales/fi/files.json';
import fiGrants from '../../renderer/centre/locales/fi/grants.json';
import fiQa from '../../renderer/centre/locales/fi/qa.json';
import svAccount from '../../renderer/centre/locales/sv/account.json';
import svCentre from '../../renderer/centre/locales/sv/centre.json';
import svFiles from '../../renderer/centre/locales/sv/files.json';
import svGrants from '../../renderer/centre/locales/sv/grants.json';
import svQa from '../../renderer/centre/locales/sv/qa.json';

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
  // Every namespace the centre registers (renderer/centre/src/i18n.ts), keyed by its name.
  const sv = { centre: svCentre, qa: svQa, grants: svGrants, files: svFiles, account: svAccount };
  const fi = { centre: fiCentre, qa: fiQa, grants: fiGrants, files: fiFiles, account: fiAccount };

  it('has the same namespaces and keys in Finnish as in Swedish', () => {
    expect(Object.keys(fi).sort()).toEqual(Object.keys(sv).sort());
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
