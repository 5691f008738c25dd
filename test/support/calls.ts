/** A logged call for store tests: an ended incoming call to the office, with the fields given. */
import { randomUUID } from 'node:crypto';
import type { Call } from '../../shared/contract';

export const storedCall = (fields: Partial<Call>): Call => ({
  id: randomUUID(),
  callId: randomUUID(),
  direction: 'in',
  fromRaw: '',
  from: null,
  to: '+46812345000',
  option: null,
  team: null,
  contactId: null,
  customerId: null,
  state: 'ended',
  missed: false,
  done: false,
  user: null,
  startedAt: '2026-01-01T08:00:00.000Z',
  answeredAt: null,
  endedAt: null,
  doneBy: null,
  doneAt: null,
  ...fields,
});
