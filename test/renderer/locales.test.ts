/**
 * Finnish and Swedish are both complete: the same namespaces, the same keys (plural forms
 * included), the same interpolation variables, and no empty text. English is only a fallback
 * but may not drift either.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../renderer/src/i18n/locales');
const LANGS = ['sv', 'fi', 'en'] as const;

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

function load(lang: string): Map<string, Map<string, string>> {
  const dir = join(ROOT, lang);
  const namespaces = new Map<string, Map<string, string>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    namespaces.set(file.replace(/\.json$/, ''), flatten(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Tree));
  }
  return namespaces;
}

const variables = (text: string): string[] => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();

describe('locales', () => {
  const source = load('sv');

  it('has the feature namespaces', () => {
    expect([...source.keys()].sort()).toEqual(['account', 'admin', 'answers', 'call', 'case', 'common', 'customers', 'errors', 'escalation', 'lead', 'login', 'lookup', 'newCase', 'queue', 'reports', 'shortcuts', 'sync']);
  });

  for (const lang of LANGS.filter((l) => l !== 'sv')) {
    it(`${lang} has exactly the namespaces and keys of sv`, () => {
      const target = load(lang);
      expect([...target.keys()].sort()).toEqual([...source.keys()].sort());
      for (const [ns, keys] of source) {
        const theirs = target.get(ns) ?? new Map<string, string>();
        const missing = [...keys.keys()].filter((k) => !theirs.has(k)).map((k) => `${ns}:${k}`);
        const extra = [...theirs.keys()].filter((k) => !keys.has(k)).map((k) => `${ns}:${k}`);
        expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      }
    });

    it(`${lang} uses the same interpolation variables as sv`, () => {
      const target = load(lang);
      for (const [ns, keys] of source) {
        for (const [key, text] of keys) {
          expect({ key: `${ns}:${key}`, vars: variables(target.get(ns)?.get(key) ?? '') }).toEqual({ key: `${ns}:${key}`, vars: variables(text) });
        }
      }
    });
  }

  for (const lang of LANGS) {
    it(`${lang}: every plural has both _one and _other, and no text is empty`, () => {
      for (const [ns, keys] of load(lang)) {
        for (const [key, text] of keys) {
          expect(text.trim(), `${lang}/${ns}:${key}`).not.toBe('');
          const plural = /^(.*)_(one|other)$/.exec(key);
          if (!plural) continue;
          expect(keys.has(`${plural[1]}_one`), `${lang}/${ns}:${plural[1]}_one`).toBe(true);
          expect(keys.has(`${plural[1]}_other`), `${lang}/${ns}:${plural[1]}_other`).toBe(true);
        }
      }
    });
  }

  it('plural keys are used with a count: the UI has Intl plural rules for fi and sv', () => {
    for (const lang of ['sv', 'fi']) {
      const rules = new Intl.PluralRules(lang);
      expect(rules.resolvedOptions().pluralCategories.sort()).toEqual(['one', 'other']);
    }
  });
});
