/**
 * The call shown in the banner: from the live socket (the leading tab hears it and passes it
 * on to the others) or from a softphone link.
 */
import { CallerInfoSchema, ROUTES, type TeamId } from '../../../shared/index';
import type { ApiClient } from '../api/client';
import { Signal } from '../lib/signal';
import { callerFromCache, callerFromServer, teamOfCall, type CallerSources, type IncomingCall } from '../model/caller';
import { host } from '../platform/index';
import type { DeskStore } from '../store/store';
import type { CallMessage, TeamMessage } from '../sync/engine';

type AnsweredMessage = Extract<TeamMessage, { type: 'answered' }>;

/** A call of my team someone else answered: who, and whether it has ended since. */
export interface AnsweredElsewhere {
  callId: string;
  name: string;
  ended: boolean;
}

export class Calls {
  readonly current = new Signal<IncomingCall | null>(null);
  /** "Answered by Anna Lindqvist": the light notice the rest of the team sees instead of the pop. */
  readonly answered = new Signal<AnsweredElsewhere | null>(null);

  constructor(
    private readonly store: DeskStore,
    private readonly api: ApiClient,
    private readonly teams: Signal<TeamId[]>,
  ) {}

  /**
   * A call event for my team (the server routes calls by team; the desk additionally hides a
   * call for a team I have switched away from). Only the leading tab raises a notification.
   */
  receive(msg: CallMessage, notify: boolean): void {
    const incoming: IncomingCall = {
      callId: msg.call.id,
      key: msg.call.id,
      from: msg.call.from ?? msg.call.fromRaw,
      option: msg.call.option,
      state: msg.call.state,
      caller: callerFromServer(msg.caller),
    };
    // `yours`: the switch says this desk answered, so the pop is here whatever team is shown and
    // whatever was shown before; its hangup only updates a banner still showing it.
    const mine = msg.yours === true && msg.call.state === 'answered';
    const team = msg.call.team ?? teamOfCall(incoming);
    if (!mine && msg.yours !== true && team !== null && !this.teams.get().includes(team)) return;
    const shown = this.current.get();
    if (msg.call.state === 'ringing' || mine || shown?.key === incoming.key) this.current.set(incoming);
    if (msg.yours === true && this.answered.get()?.callId === incoming.key) this.answered.set(null);
    if (notify && msg.call.state === 'ringing') {
      const who = incoming.caller.contact?.name ?? incoming.from;
      void host.notify({ title: who, body: incoming.caller.customer?.name ?? '', tag: `call:${incoming.key}` });
    }
  }

  /**
   * Someone else in my team answered: my ringing banner for that call closes and the notice says
   * who answered; the notice goes when the call ends.
   */
  answeredElsewhere(msg: AnsweredMessage): void {
    if (this.current.get()?.key === msg.callId) this.current.set(null);
    const shown = this.answered.get();
    if (msg.ended) {
      if (shown?.callId === msg.callId) this.answered.set(null);
      return;
    }
    this.answered.set({ callId: msg.callId, name: msg.by.name, ended: false });
  }

  dismissAnswered(): void {
    this.answered.set(null);
  }

  /** A softphone link (`?call=` / softone-desk://call): identify from the cache, then ask the server. */
  showFromLink(from: string, option: 1 | 2 | null): void {
    const key = `link:${from}:${Date.now()}`;
    const call: IncomingCall = { callId: null, key, from, option, state: 'ringing', caller: callerFromCache(this.sources(), from) };
    this.current.set(call);
    this.api.get(ROUTES.phoneLookup, CallerInfoSchema, { number: from }).then(
      (info) => {
        if (this.current.get()?.key === key) this.current.set({ ...call, caller: callerFromServer(info) });
      },
      () => undefined, // offline: the cache's answer stands
    );
  }

  /** The store's directory and cases, each read only if asked for (reading contacts files what a cold start set aside). */
  private sources(): CallerSources {
    const { directory, cases } = this.store;
    return {
      get customers() {
        return directory.customers;
      },
      get contactByPhone() {
        return directory.contactByPhone;
      },
      get contactsByCustomer() {
        return directory.contactsByCustomer;
      },
      rows: () => cases.rows(),
    };
  }

  dismiss(): void {
    this.current.set(null);
  }
}
