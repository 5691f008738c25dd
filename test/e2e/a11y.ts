/**
 * The accessibility check every screen passes: axe-core in the page, against WCAG 2.2 A and AA.
 * Call it on each screen a test shows (in Finnish and in Swedish); a violation fails the test and
 * names the rule, the element and axe's help text.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export async function expectAccessible(page: Page, screen: string, options: { only?: string } = {}): Promise<void> {
  const started = Date.now();
  // `only`: a CSS selector of the part that changed since the whole page was checked (a queue view).
  const builder = new AxeBuilder({ page }).withTags(WCAG_22_AA);
  const { violations } = await (options.only ? builder.include(options.only) : builder).analyze();
  if (process.env.A11Y_TIMES) console.log(`axe ${screen}: ${Date.now() - started} ms`);
  const found = violations.flatMap((v) =>
    v.nodes.map((node) => `${v.id} (${v.impact ?? 'n/a'}): ${node.target.join(' ')} — ${node.failureSummary ?? v.help}`),
  );
  // Soft: one run reports every screen's violations; the test still fails at its end.
  expect.soft(found, `accessibility violations on ${screen}`).toEqual([]);
}
