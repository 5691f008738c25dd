import { describe, expect, it } from 'vitest';
import { callbackLink, isCallLink, isOpenMissed, markCallDone, parseSoftphoneTemplate } from '../../shared/calls';
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

  it('accepts a softphone template that makes a call link or an https address, and says what is wrong otherwise', () => {
    expect(parseSoftphoneTemplate(' sip:{number} ')).toBe('sip:{number}');
    expect(parseSoftphoneTemplate('sip:{number}@pbx.example:5061;transport=tls')).toBe('sip:{number}@pbx.example:5061;transport=tls');
    expect(parseSoftphoneTemplate('callto:{number}')).toBe('callto:{number}');
    expect(parseSoftphoneTemplate('https://pbx.example/dial?n={number}')).toBe('https://pbx.example/dial?n={number}');
    expect(() => parseSoftphoneTemplate('{number}')).toThrow(/must be a tel:/);
    expect(() => parseSoftphoneTemplate('sip:0701234567')).toThrow(/\{number\}/);
    expect(() => parseSoftphoneTemplate('sip:{number} x')).toThrow(/spaces/);
    // Schemes that run code, read files or start programs instead of calling: refused, so the
    // desk never logs a call back that its shell would not open.
    for (const bad of ['javascript:alert({number})', 'softphone://dial?n={number}', 'smb://host/{number}', 'ms-msdt:{number}', 'http://pbx.example/{number}', 'sip:{number}?x=1']) {
      expect(() => parseSoftphoneTemplate(bad), bad).toThrow(/must be a tel:/);
    }
  });

  it('knows a call link: a number, or a SIP address with port and parameters, and nothing else', () => {
    const ok = ['tel:+46701234567', 'callto:0701234567', 'sip:%2B46701234567', 'sips:0701234567@pbx.example:5061;transport=tls'];
    for (const link of ok) expect(isCallLink(new URL(link)), link).toBe(true);
    const bad = ['tel:12', 'tel:+4670@evil', 'sip:user@pbx.example', 'mailto:0701234567', 'tel:0701234567?x=1', 'sip:a:b@0701234567'];
    for (const link of bad) expect(isCallLink(new URL(link)), link).toBe(false);
  });
});
