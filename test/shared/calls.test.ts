import { describe, expect, it } from 'vitest';
import { callbackLink, isOpenMissed, markCallDone, parseSoftphoneTemplate } from '../../shared/calls';
import { storedCall } from '../support/calls';

describe('shared: the caller log rules', () => {
  it('marks a call done by whom and when, once: the first mark stays on record', () => {
    const call = storedCall({ missed: true });
    const first = markCallDone(call, 'anna', '2026-01-01T09:00:00.000Z');
    expect(first).toEqual({ kind: 'changed', call: { ...call, done: true, doneBy: 'anna', doneAt: '2026-01-01T09:00:00.000Z' } });
    if (first.kind !== 'changed') throw new Error('unreachable');
    expect(markCallDone(first.call, 'bo', '2026-01-01T10:00:00.000Z')).toEqual({ kind: 'unchanged' });
    expect(isOpenMissed(call)).toBe(true);
    expect(isOpenMissed(first.call)).toBe(false);
    expect(isOpenMissed(storedCall({ missed: false }))).toBe(false);
  });

  it('calls back with tel: by default, or the softphone template, and not without a number', () => {
    expect(callbackLink('+46701234567', null)).toBe('tel:+46701234567');
    expect(callbackLink('070-123 45 67', null)).toBe('tel:0701234567');
    expect(callbackLink('+358401234567', 'sip:{number}')).toBe('sip:%2B358401234567');
    expect(callbackLink('+358401234567', 'softphone://dial?n={number}&x={number}')).toBe('softphone://dial?n=%2B358401234567&x=%2B358401234567');
    expect(callbackLink(null, null)).toBeNull();
    expect(callbackLink('anonymous', null)).toBeNull();
  });

  it('accepts a softphone template with a scheme and {number}, and says what is wrong otherwise', () => {
    expect(parseSoftphoneTemplate(' sip:{number} ')).toBe('sip:{number}');
    expect(() => parseSoftphoneTemplate('{number}')).toThrow(/URL scheme/);
    expect(() => parseSoftphoneTemplate('sip:0701234567')).toThrow(/\{number\}/);
    expect(() => parseSoftphoneTemplate('javascript:alert({number})')).toThrow(/cannot place a call/);
    expect(() => parseSoftphoneTemplate('sip:{number} x')).toThrow(/spaces/);
  });
});
