// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceEntry, PresenceState } from '../../shared/api';
import { EDIT_IDLE_MS, MyPresence, mergePresence } from '../../renderer/src/session/presence';
import { initialsOf, PresenceBoard } from '../../renderer/src/store/presence';

const entry = (specialistId: string, name: string, fields: Partial<PresenceEntry> = {}): PresenceEntry => ({
  specialistId,
  name,
  viewing: [],
  editing: [],
  onCall: false,
  ...fields,
});

describe("colleagues' presence on the desk", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('tells only the rows of the cases a message is about, once per burst', () => {
    const board = new PresenceBoard();
    const heard = { a: 0, b: 0, c: 0 };
    board.subscribeCase('case-a', () => heard.a++);
    board.subscribeCase('case-b', () => heard.b++);
    board.subscribeCase('case-c', () => heard.c++);
    board.apply([entry('anna', 'Anna Lindqvist', { viewing: ['case-a'] })]);
    board.apply([entry('anna', 'Anna Lindqvist', { viewing: ['case-a'], editing: ['case-a'] })]);
    board.apply([entry('erik', 'Erik Johansson', { viewing: ['case-b'] })]);
    expect(heard).toEqual({ a: 0, b: 0, c: 0 });
    vi.advanceTimersByTime(150);
    expect(heard).toEqual({ a: 1, b: 1, c: 0 });
    // Writers first, and the same array while nothing changes (what useSyncExternalStore needs).
    board.apply([entry('erik', 'Erik Johansson', { viewing: ['case-a', 'case-b'] })]);
    vi.advanceTimersByTime(150);
    const inA = board.ofCase('case-a');
    expect(inA.map((p) => [p.name, p.editing])).toEqual([
      ['Anna Lindqvist', true],
      ['Erik Johansson', false],
    ]);
    // The same presence again changes nothing and tells nobody.
    board.apply([entry('erik', 'Erik Johansson', { viewing: ['case-a', 'case-b'] })]);
    vi.advanceTimersByTime(150);
    expect(board.ofCase('case-a')).toBe(inA);
    expect(heard).toEqual({ a: 2, b: 1, c: 0 });
  });

  it('forgets a colleague who left, and everyone when the link goes', () => {
    const board = new PresenceBoard();
    const heard: string[] = [];
    board.subscribeSpecialist('anna', () => heard.push('anna'));
    board.apply([entry('anna', 'Anna Lindqvist', { viewing: ['case-a'], onCall: true }), entry('erik', 'Erik Johansson', { viewing: ['case-b'] })]);
    board.flush();
    expect(board.onCall('anna')).toBe(true);
    expect(heard).toEqual(['anna']);
    board.apply([entry('erik', 'Erik Johansson')]);
    board.flush();
    expect(board.ofCase('case-b')).toEqual([]);
    board.reset();
    board.flush();
    expect(board.ofCase('case-a')).toEqual([]);
    expect(board.onCall('anna')).toBe(false);
    expect(heard).toEqual(['anna', 'anna']);
  });

  it('sends its own state throttled: viewing, writing until idle or leaving, and gone', () => {
    const sent: PresenceState[] = [];
    const mine = new MyPresence((s) => sent.push(s));
    mine.view('case-a');
    mine.typing('case-a');
    vi.advanceTimersByTime(0);
    expect(sent).toEqual([{ viewing: ['case-a'], editing: ['case-a'] }]);
    // Every keystroke keeps it writing, without a message each.
    for (let i = 0; i < 20; i++) mine.typing('case-a');
    vi.advanceTimersByTime(1_000);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(EDIT_IDLE_MS);
    expect(sent.at(-1)).toEqual({ viewing: ['case-a'], editing: [] });
    mine.typing('case-a');
    mine.leave('case-a');
    vi.advanceTimersByTime(300);
    expect(sent.at(-1)).toEqual({ viewing: [], editing: [] });
    mine.close();
  });

  it('merges the tabs of one desk, and shows initials', () => {
    expect(mergePresence([{ viewing: ['a'], editing: [] }, { viewing: ['a', 'b'], editing: ['b'] }])).toEqual({ viewing: ['a', 'b'], editing: ['b'] });
    expect(initialsOf('Anna Lindqvist')).toBe('AL');
    expect(initialsOf('Timo')).toBe('T');
    expect(initialsOf('Anna Maria von Essen')).toBe('AE');
  });
});

describe('a call someone else in the team answered', () => {
  const caller = { phone: '+46701234567', contact: null, customer: null, team: 1 as const, entitlement: null, openCases: [] };
  const call = (state: 'ringing' | 'answered' | 'ended') => ({
    id: 'call-1',
    callId: 'switch-1',
    direction: 'in' as const,
    fromRaw: '+46701234567',
    from: '+46701234567',
    to: '+46812345001',
    option: 1 as const,
    team: 1 as const,
    contactId: null,
    customerId: null,
    state,
    missed: false,
    done: false,
    doneBy: null,
    doneAt: null,
    user: null,
    startedAt: '2026-03-02T07:00:00.000Z',
    answeredAt: state === 'ringing' ? null : '2026-03-02T07:00:05.000Z',
    endedAt: state === 'ended' ? '2026-03-02T07:03:00.000Z' : null,
  });

  it('closes the ringing banner and says who answered, until the call ends; the answering desk gets the pop', async () => {
    const { Calls } = await import('../../renderer/src/session/calls');
    const { Signal } = await import('../../renderer/src/lib/signal');
    const deps = [{} as never, {} as never, new Signal<Array<1 | 2>>([1])] as const;
    const rest = new Calls(...deps);
    rest.receive({ type: 'call', call: call('ringing'), caller }, false);
    expect(rest.current.get()?.key).toBe('call-1');
    rest.answeredElsewhere({ type: 'answered', callId: 'call-1', by: { id: 'anna', name: 'Anna Lindqvist' }, ended: false });
    expect(rest.current.get()).toBeNull();
    expect(rest.answered.get()).toEqual({ callId: 'call-1', name: 'Anna Lindqvist', ended: false });
    rest.answeredElsewhere({ type: 'answered', callId: 'call-1', by: { id: 'anna', name: 'Anna Lindqvist' }, ended: true });
    expect(rest.answered.get()).toBeNull();

    // The answering desk had dismissed the ringing banner: the answered call pops again there.
    const answering = new Calls(...deps);
    answering.receive({ type: 'call', call: call('ringing'), caller }, false);
    answering.dismiss();
    answering.receive({ type: 'call', call: call('answered'), caller }, false);
    expect(answering.current.get()).toBeNull();
    answering.receive({ type: 'call', call: call('answered'), caller, yours: true }, false);
    expect(answering.current.get()?.state).toBe('answered');
    // Closed after the call; its hangup (also "yours") does not bring it back.
    answering.dismiss();
    answering.receive({ type: 'call', call: call('ended'), caller, yours: true }, false);
    expect(answering.current.get()).toBeNull();
  });

  it('pops a call I answered though my desk shows the other team, and its hangup never replaces another call', async () => {
    const { Calls } = await import('../../renderer/src/session/calls');
    const { Signal } = await import('../../renderer/src/lib/signal');
    // My desk shows team 2 only; the switch says I answered a team-1 call.
    const desk = new Calls({} as never, {} as never, new Signal<Array<1 | 2>>([2]));
    desk.receive({ type: 'call', call: call('answered'), caller, yours: true }, false);
    expect(desk.current.get()?.key).toBe('call-1');
    // A second call rings while the first is shown and then the first ends: the banner follows the
    // ringing call, and the first call's hangup does not take its place.
    const ringing = { ...call('ringing'), id: 'call-2', callId: 'sw-2', team: 2 as const, option: 2 as const };
    desk.receive({ type: 'call', call: ringing, caller }, false);
    expect(desk.current.get()?.key).toBe('call-2');
    desk.receive({ type: 'call', call: call('ended'), caller, yours: true }, false);
    expect(desk.current.get()?.key).toBe('call-2');
  });
});
