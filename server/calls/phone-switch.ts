/**
 * The phone switch webhook, compatible with Zammad's Generic CTI: `newCall`, `answer` and
 * `hangup` events, JSON or form-encoded, keyed by the switch's call id.
 */
import { randomUUID } from 'node:crypto';
import type { CtiEvent } from '../../shared/api';
import type { Call } from '../../shared/contract';
import { phoneCandidates } from '../../shared/numbers';
import { teamOfIndustry, teamOfSwitchOption, type TeamId } from '../../shared/teams';
import { findCaller } from './caller-info';
import type { Store } from '../store/store';

type SwitchOption = 1 | 2;

/** Which queue names and dialled numbers mean phone-switch option 1 or 2. */
export interface CtiOptions {
  queues: Map<string, SwitchOption>;
  numbers: Map<string, SwitchOption>;
}

const numberKey = (raw: string): string | null => phoneCandidates(raw)[0] ?? null;

/**
 * Reads `DESK_CTI_OPTIONS`: `1=hantverk,+46812345001;2=handel,+46812345002`. An entry that
 * reads as a phone number is a dialled number, anything else a queue name (case-insensitive).
 */
export function parseCtiOptions(spec: string): CtiOptions {
  const options: CtiOptions = { queues: new Map(), numbers: new Map() };
  for (const part of spec.split(';').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([12])\s*=\s*(.+)$/.exec(part);
    if (!m?.[1] || !m[2]) throw new Error(`DESK_CTI_OPTIONS: "${part}" is not "<1|2>=<queue or number>,…"`);
    const option = Number(m[1]) as SwitchOption;
    for (const entry of m[2].split(',').map((e) => e.trim()).filter(Boolean)) {
      const phone = /^[+\d\s\-().]+$/.test(entry) ? numberKey(entry) : null;
      if (phone) options.numbers.set(phone, option);
      else options.queues.set(entry.toLowerCase(), option);
    }
  }
  return options;
}

export function switchOptionOf(options: CtiOptions, queue: string | undefined, to: string): SwitchOption | null {
  const byQueue = queue === undefined ? undefined : options.queues.get(queue.trim().toLowerCase());
  if (byQueue !== undefined) return byQueue;
  const dialled = numberKey(to);
  return (dialled === null ? undefined : options.numbers.get(dialled)) ?? null;
}

/**
 * Zammad's form posts send agents as `user[]`; JSON may carry `user` as a string or a list.
 * Everything else is taken as sent and validated by `CtiEventSchema`.
 */
export function normaliseCtiBody(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const record = { ...(body as Record<string, unknown>) };
  if ('user[]' in record) {
    record.user ??= record['user[]'];
    delete record['user[]'];
  }
  return record;
}

const userOf = (event: CtiEvent): string | null => {
  const user = Array.isArray(event.user) ? event.user.join(', ') : event.user;
  return user === undefined || user === '' ? null : user;
};

function newCall(store: Store, options: CtiOptions, event: CtiEvent, callId: string, now: string): Call {
  // The party outside SoftOne: the caller of an incoming call, the callee of an outgoing one.
  const external = event.direction === 'in' ? event.from : event.to;
  const { contact } = findCaller(store, external);
  const customer = contact ? store.customers.get(contact.customerId) : null;
  const option = event.direction === 'in' ? switchOptionOf(options, event.queue, event.to) : null;
  // The call goes to the team the caller chose; the desk flags a customer of the other team.
  const team: TeamId | null = option !== null ? teamOfSwitchOption(option) : customer ? teamOfIndustry(customer.industry) : null;
  return {
    id: randomUUID(),
    callId,
    direction: event.direction,
    fromRaw: event.from,
    from: numberKey(event.from),
    to: event.to,
    option,
    team,
    contactId: contact?.id ?? null,
    customerId: customer?.id ?? null,
    state: 'ringing',
    missed: false,
    done: false,
    user: userOf(event),
    startedAt: now,
    answeredAt: null,
    endedAt: null,
    doneBy: null,
    doneAt: null,
  };
}

export interface CtiOutcome {
  /** The call as it now stands. */
  call: Call;
  /**
   * The call already had this event (the same call id and event, whatever else the body says):
   * nothing changed, and nothing is announced or audited again.
   */
  replayed: boolean;
}

/** Whether the call already went through this event: each event happens once per call. */
function hadEvent(call: Call, event: CtiEvent['event']): boolean {
  if (event === 'newCall') return true;
  if (event === 'answer') return call.answeredAt !== null;
  return call.endedAt !== null;
}

/**
 * Records the event in the caller log. Idempotent by call id and event: a repeated event
 * (a switch's retry, or a replay by whoever holds the webhook URL) changes nothing and says so.
 * An `answer` or `hangup` for a call never announced starts its record there, so no call goes
 * missing from the log.
 */
export function applyCtiEvent(store: Store, options: CtiOptions, event: CtiEvent, now: Date): CtiOutcome {
  const callId = event.callId ?? event.call_id ?? '';
  const at = now.toISOString();
  return store.transaction(() => {
    const existing = store.calls.getBySwitchId(callId);
    if (existing && hadEvent(existing, event.event)) return { call: existing, replayed: true };
    if (event.event === 'newCall') {
      const call = newCall(store, options, event, callId, at);
      store.calls.insert(call);
      // In the change feed too: the caller log of every desk of the team is kept by the cursor.
      store.changes.record('calls', call.id);
      return { call, replayed: false };
    }
    const call = existing ?? newCall(store, options, event, callId, at);
    if (!existing) store.calls.insert(call);
    const updated: Call =
      event.event === 'answer'
        ? { ...call, state: call.state === 'ended' ? 'ended' : 'answered', answeredAt: call.answeredAt ?? at, user: userOf(event) ?? call.user }
        : {
            ...call,
            state: 'ended',
            endedAt: call.endedAt ?? at,
            // Missed: an incoming call nobody answered, whatever the cause (cancel, noAnswer, busy…).
            missed: call.direction === 'in' && call.answeredAt === null,
          };
    store.calls.update(updated);
    store.changes.record('calls', updated.id);
    return { call: updated, replayed: false };
  });
}
