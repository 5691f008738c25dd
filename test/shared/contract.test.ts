import { describe, expect, test } from 'vitest';
import { CtiEventSchema, MutationEnvelopeSchema, PushRequestSchema, TeamsParamSchema } from '../../shared/index';

describe('the sync and phone-switch contract', () => {
  const edit = {
    clientId: 'desk-1',
    mutationId: 1,
    baseVersion: 3,
    name: 'editFields',
    args: { caseId: 'case-1', fields: { title: 'Lönekörning stoppar' } },
  };

  test('a well-formed mutation parses', () => {
    expect(MutationEnvelopeSchema.safeParse(edit).success).toBe(true);
  });

  test('an edit with no field to change is refused, naming the field', () => {
    const result = MutationEnvelopeSchema.safeParse({ ...edit, args: { caseId: 'case-1', fields: {} } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['args', 'fields']);
  });

  test('an unknown mutation name is refused', () => {
    expect(MutationEnvelopeSchema.safeParse({ ...edit, name: 'dropTable' }).success).toBe(false);
  });

  test('a push carries 1 to 500 mutations', () => {
    expect(PushRequestSchema.safeParse({ mutations: [] }).success).toBe(false);
    expect(PushRequestSchema.safeParse({ mutations: Array(501).fill(edit) }).success).toBe(false);
    expect(PushRequestSchema.safeParse({ mutations: [edit] }).success).toBe(true);
  });

  test('Zammad-style call events parse with callId or call_id', () => {
    expect(CtiEventSchema.safeParse({ event: 'newCall', from: '0701234567', to: '0812345', direction: 'in', call_id: 'x1' }).success).toBe(true);
    expect(CtiEventSchema.safeParse({ event: 'hangup', direction: 'in', callId: 'x1', cause: 'normalClearing' }).success).toBe(true);
  });

  test('call events without a call id or with a bad direction are refused', () => {
    const noId = CtiEventSchema.safeParse({ event: 'newCall', direction: 'in' });
    expect(noId.success).toBe(false);
    expect(noId.error?.issues[0]?.path).toEqual(['callId']);
    expect(CtiEventSchema.safeParse({ event: 'newCall', direction: 'sideways', callId: 'x' }).success).toBe(false);
    expect(CtiEventSchema.safeParse({ event: 'ring', direction: 'in', callId: 'x' }).success).toBe(false);
  });

  test('team parameters name team 1, team 2 or both', () => {
    expect(TeamsParamSchema.parse('1')).toEqual([1]);
    expect(TeamsParamSchema.parse('1,2')).toEqual([1, 2]);
    expect(TeamsParamSchema.safeParse('3').success).toBe(false);
  });
});
