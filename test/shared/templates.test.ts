import { describe, expect, it } from 'vitest';
import { articleLink, fillTemplate, firstName, mayWriteTemplate, seesTemplate, type TemplateContext } from '../../shared/templates';

const bug: TemplateContext = {
  contact: { name: 'Anna-Lena Berg' },
  // Registered Monday 2 March 2026 10:00 Stockholm; service level 2 (same week): Friday's closing.
  case: { number: 12345, title: 'Lönekörningen stannar', office: 'SE', category: 'bug', serviceLevel: 2, registeredAt: '2026-03-02T09:00:00.000Z' },
  specialist: { name: 'Erik Johansson' },
};
const support: TemplateContext = { ...bug, case: { ...bug.case!, category: 'support', serviceLevel: null } };
const none: TemplateContext = { contact: null, case: null, specialist: null };

describe('fillTemplate', () => {
  it.each<[string, string, TemplateContext, 'sv' | 'fi', string, string[], string[]]>([
    ['first name and number', 'Hej {contact.firstName}, ärende {case.number}.', bug, 'sv', 'Hej Anna-Lena, ärende 12345.', [], []],
    ['full name and title', '{contact.name}: {case.title}', bug, 'sv', 'Anna-Lena Berg: Lönekörningen stannar', [], []],
    ['specialist', 'Terveisin {specialist.name}', bug, 'fi', 'Terveisin Erik Johansson', [], []],
    ['a field twice is reported once', '{contact.firstName} {contact.firstName}', none, 'sv', ' ', ['contact.firstName'], []],
    ['no contact: empty, reported', 'Hej {contact.firstName}!', none, 'sv', 'Hej !', ['contact.firstName'], []],
    ['no SLA on a support case: empty, reported', 'Senast {sla.resolveBy}.', support, 'sv', 'Senast .', ['sla.resolveBy'], []],
    ['unknown field left as typed', 'Hej {kund.namn} {case.number}', bug, 'sv', 'Hej {kund.namn} 12345', [], ['kund.namn']],
    ['braces that are no field stay', 'a {} b { case.number } c', bug, 'sv', 'a {} b { case.number } c', [], []],
    ['no fields at all', 'Tack!', none, 'fi', 'Tack!', [], []],
  ])('%s', (_name, body, ctx, lang, text, missing, unknown) => {
    expect(fillTemplate(body, ctx, lang)).toEqual({ text, missing, unknown });
  });

  it('writes the resolution deadline in the template\'s language and the office\'s time', () => {
    // Same week: Friday 6 March 2026 at the office's closing (16:00 Stockholm).
    const sv = fillTemplate('{sla.resolveBy}', bug, 'sv');
    const fi = fillTemplate('{sla.resolveBy}', bug, 'fi');
    expect(sv.missing).toEqual([]);
    expect(sv.text).toMatch(/2026-03-06 1\d:\d\d/);
    expect(fi.text).toMatch(/6\.3\.2026 (klo )?1\d[.:]\d\d/);
  });
});

describe('who writes and sees templates', () => {
  const lead = { id: 'l', role: 'lead' as const };
  const me = { id: 'm', role: 'specialist' as const };
  it.each([
    [{ kind: 'team', team: 1 } as const, lead, true],
    [{ kind: 'team', team: 1 } as const, me, false],
    [{ kind: 'personal', ownerId: 'm' } as const, me, true],
    [{ kind: 'personal', ownerId: 'm' } as const, lead, false],
  ])('%j by %j: %s', (scope, actor, may) => {
    expect(mayWriteTemplate(scope, actor)).toBe(may);
  });
  it('shows a personal template to its owner only', () => {
    expect(seesTemplate({ scope: { kind: 'personal', ownerId: 'm' } }, 'm')).toBe(true);
    expect(seesTemplate({ scope: { kind: 'personal', ownerId: 'm' } }, 'x')).toBe(false);
    expect(seesTemplate({ scope: { kind: 'team', team: 2 } }, 'x')).toBe(true);
  });
});

it('names helpers plainly', () => {
  expect(firstName('  Matti  Meikäläinen ')).toBe('Matti');
  expect(articleLink('https://desk.example.com/', 'a b')).toBe('https://desk.example.com/kb/a%20b');
});
