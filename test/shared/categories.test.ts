import { describe, expect, test } from 'vitest';
import {
  CATEGORY_LABELS,
  FLOWS,
  STATUS_LABELS,
  allowedTransitions,
  canTransition,
  checkTransition,
  isBillableCategory,
  statusWord,
} from '../../shared/index';

describe('category flows', () => {
  test('flows follow the brochures step by step', () => {
    expect(FLOWS.support.map((s) => STATUS_LABELS[s].sv)).toEqual(['Nytt', '1:a linje', '2:a linje', '3:a linje', 'Avslut']);
    expect(FLOWS.bug.map((s) => STATUS_LABELS[s].sv)).toEqual([
      'Nytt', 'Eskalerat', 'Planerat', 'För åtgärd', 'Validering', 'Levererat', 'Avslut',
    ]);
    expect(FLOWS.wish.map((s) => STATUS_LABELS[s].sv)).toEqual(['Nytt', 'Mottaget', 'Produktråd', 'Planerat', 'Levererat', 'Avslut']);
    expect(FLOWS.order.map((s) => STATUS_LABELS[s].sv)).toEqual(['Nytt', 'Mottaget', 'Kostnadsförslag', 'Planerat', 'Levererat', 'Avslut']);
    expect(FLOWS.bug.map((s) => STATUS_LABELS[s].fi)).toEqual([
      'Uusi', 'Arviointi', 'Suunnittelu', 'Toteutus', 'Validointi', 'Toimitus', 'Käsitelty',
    ]);
  });

  test('every flow reads in its category’s words, as in both brochures’ diagrams', () => {
    const words = (category: keyof typeof FLOWS, lang: 'sv' | 'fi') => FLOWS[category].map((s) => statusWord(s, lang, category));
    expect(words('support', 'sv')).toEqual(['Nytt', '1:a linje', '2:a linje', '3:a linje', 'Avslut']);
    expect(words('bug', 'sv')).toEqual(['Nytt', 'Eskalerat', 'Planerat', 'För åtgärd', 'Validering', 'Levererat', 'Avslut']);
    expect(words('wish', 'sv')).toEqual(['Nytt', 'Mottaget', 'Produktråd', 'Planerat', 'Levererat', 'Avslut']);
    expect(words('order', 'sv')).toEqual(['Nytt', 'Mottaget', 'Kostnadsförslag', 'Planerat', 'Levererat', 'Avslut']);
    expect(words('support', 'fi')).toEqual(['Uusi', '1. linja', '2. linja', '3. linja', 'Käsitelty']);
    expect(words('bug', 'fi')).toEqual(['Uusi', 'Arviointi', 'Suunnittelu', 'Toteutus', 'Validointi', 'Toimitus', 'Käsitelty']);
    expect(words('wish', 'fi')).toEqual(['Uusi', 'Otettu vastaan', 'Tuoteryhmä', 'Suunnittelu', 'Toimitus', 'Käsitelty']);
    expect(words('order', 'fi')).toEqual(['Uusi', 'Otettu vastaan', 'Tarjous', 'Toteutus', 'Toimitus', 'Käsitelty']);
    // Without a category (a status filter over every category), the common word.
    expect(statusWord('planned', 'fi')).toBe('Suunnittelu');
  });

  test('category labels are the brochures’ own words', () => {
    expect(CATEGORY_LABELS.support).toEqual({ sv: 'Supportfråga', fi: 'Tukipyyntö' });
    expect(CATEGORY_LABELS.bug).toEqual({ sv: 'Programfel', fi: 'Ohjelmointivirhe' });
    expect(CATEGORY_LABELS.wish).toEqual({ sv: 'Önskemål', fi: 'Toive' });
    expect(CATEGORY_LABELS.order).toEqual({ sv: 'Beställning', fi: 'Työtilaus' });
  });

  test.each([
    ['bug', 'new', 'escalated', 'specialist', true],
    ['bug', 'escalated', 'planned', 'specialist', true],
    ['bug', 'planned', 'escalated', 'specialist', true], // one step back
    ['bug', 'new', 'planned', 'specialist', false], // skipping a step
    ['bug', 'validation', 'new', 'specialist', false], // more than one step back
    ['bug', 'planned', 'closed', 'specialist', false],
    ['bug', 'planned', 'closed', 'lead', true], // a lead may close from any status
    ['bug', 'new', 'closed', 'lead', true],
    ['bug', 'delivered', 'closed', 'specialist', true],
    ['bug', 'closed', 'delivered', 'specialist', true], // reopening is one step back
    ['bug', 'new', 'line1', 'specialist', false], // not a status of this flow
    ['bug', 'new', 'new', 'lead', false],
    ['support', 'new', 'line1', 'specialist', true],
    ['support', 'line1', 'line2', 'specialist', true],
    ['support', 'line1', 'closed', 'specialist', true], // answered in first line
    ['support', 'new', 'closed', 'specialist', false],
    ['support', 'line3', 'line1', 'specialist', false],
    ['wish', 'received', 'product_council', 'specialist', true],
    ['wish', 'product_council', 'closed', 'specialist', false],
    ['order', 'received', 'cost_proposal', 'specialist', true],
    ['order', 'new', 'cost_proposal', 'lead', false], // a lead may close anywhere, not skip
  ] as const)('%s: %s → %s as %s is %s', (category, from, to, role, expected) => {
    expect(canTransition(category, from, to, role)).toBe(expected);
  });

  test('an order cannot leave the cost proposal before the customer is informed of billing', () => {
    expect(checkTransition('order', 'cost_proposal', 'planned', { role: 'specialist', billingInformed: false })).toEqual({
      ok: false,
      reason: 'billing_not_informed',
    });
    expect(checkTransition('order', 'cost_proposal', 'planned', { role: 'specialist', billingInformed: true })).toEqual({ ok: true });
    // Going back to "received" is not starting billed work.
    expect(checkTransition('order', 'cost_proposal', 'received', { role: 'specialist', billingInformed: false })).toEqual({ ok: true });
  });

  test('a bug is escalated only with a service level', () => {
    expect(checkTransition('bug', 'new', 'escalated', { role: 'specialist', serviceLevel: null })).toEqual({
      ok: false,
      reason: 'service_level_missing',
    });
    expect(checkTransition('bug', 'new', 'escalated', { role: 'specialist', serviceLevel: 2 })).toEqual({ ok: true });
  });

  test('allowed transitions list next and previous steps in flow order', () => {
    expect(allowedTransitions('bug', 'planned', { role: 'specialist' })).toEqual(['escalated', 'in_progress']);
    expect(allowedTransitions('bug', 'planned', { role: 'lead' })).toEqual(['escalated', 'in_progress', 'closed']);
    expect(allowedTransitions('support', 'line1', { role: 'specialist' })).toEqual(['new', 'line2', 'closed']);
  });

  test('only orders are billable; support questions are free', () => {
    expect(isBillableCategory('order')).toBe(true);
    expect(isBillableCategory('support')).toBe(false);
    expect(isBillableCategory('bug')).toBe(false);
    expect(isBillableCategory('wish')).toBe(false);
  });
});
