/** What the global setup tells the tests about the server, and small helpers on its API. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BootstrapPageSchema, CallsResponseSchema, CaseDetailSchema, MeResponseSchema, ROUTES, type Call, type Case, type Entities } from '../../shared/index';
import { api, login, type Api } from '../support/http';

export const E2E_SERVER_FILE = 'test-results/e2e-server.json';
/** What the e2e server's SMTP relay received, one JSON line (`RelayedRecord`) per mail. */
export const E2E_RELAY_FILE = 'test-results/e2e-relay.jsonl';

export interface RelayedRecord {
  to: string[];
  from: string | null;
  subject: string;
  text: string;
  messageId: string | null;
  autoSubmitted: string | null;
  attachments: Array<{ name: string; contentType: string; size: number }>;
}

/** Every mail the relay has received so far. */
export function relayed(): RelayedRecord[] {
  return readFileSync(join(process.cwd(), E2E_RELAY_FILE), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RelayedRecord);
}

export interface E2eServer {
  url: string;
  ctiToken: string;
  password: string;
  leadEmail: string;
  /** Specialists serving Team 1 only, and Team 2 only. */
  team1: string[];
  team2: string[];
  /**
   * A lead enrolled in two-factor (lead-only routes need it), added for the tests: its session's
   * token opens the lead routes, so tests make their own accounts through the API.
   */
  admin: { id: string; email: string; password: string; secret: string; token: string };
  /** The test Dovecot holding support@softone.se and tuki@softone.fi (deliver with test/support/mail.ts). */
  mail: { imapHost: string; imapPort: number };
  fixtures: Fixtures;
}

export interface Caller {
  phone: string;
  contactName: string;
  customerName: string;
}

/** Seeded data the tests work on, picked once so that no two tests edit the same case. */
export interface Fixtures {
  /** Unassigned support questions at status "new" of Team 1, one per test that edits one. */
  newSupportTeam1: number[];
  /** An order of Team 1 at the cost proposal whose customer is not yet informed of billing. */
  orderAwaitingBilling: number;
  /** A SuperUser with a phone, of a Team 1 customer with open cases. */
  callerTeam1: Caller;
  /** A customer to register new cases for (Team 1). */
  customerTeam1: string;
  /** An open bug of Team 1 with a service level, for the screenshots (SLA panel). */
  bugTeam1: number;
}

export function e2eServer(): E2eServer {
  return JSON.parse(readFileSync(join(process.cwd(), E2E_SERVER_FILE), 'utf8')) as E2eServer;
}

/** The server's own answers, to check what the desk did without trusting the desk. */
export class ServerApi {
  private constructor(private readonly http: Api) {}

  static async login(email: string): Promise<ServerApi> {
    const s = e2eServer();
    return new ServerApi(api(s, await login(s.url, email, s.password)));
  }

  private async get(path: string): Promise<unknown> {
    const reply = await this.http.get(path);
    if (reply.status !== 200) throw new Error(`GET ${path}: ${reply.status} ${reply.text.slice(0, 300)}`);
    return reply.body;
  }

  async caseByNumber(n: number): Promise<Case> {
    return CaseDetailSchema.parse(await this.get(ROUTES.caseByNumber(n))).case;
  }

  async events(n: number) {
    return CaseDetailSchema.parse(await this.get(ROUTES.caseByNumber(n))).events;
  }

  /** The id of the specialist logged in. */
  async me(): Promise<string> {
    return MeResponseSchema.parse(await this.get(ROUTES.me)).specialist.id;
  }

  /** The server's record of a call the switch announced, by the switch's own call id. */
  async callBySwitchId(callId: string): Promise<Call | undefined> {
    return CallsResponseSchema.parse(await this.get(`${ROUTES.calls}?filter=all&limit=500`)).calls.find((c) => c.callId === callId);
  }

  /** Everything a desk would cache, through the bootstrap pages. */
  async snapshot(): Promise<Entities> {
    const all: Entities = { cases: [], customers: [], contacts: [], specialists: [], grants: [], events: [], calls: [], attachments: [], templates: [], articles: [], calendarExceptions: [] };
    for (let next: string | null = null; ; ) {
      const query: string = next === null ? '' : `&page=${encodeURIComponent(next)}`;
      const page = BootstrapPageSchema.parse(await this.get(`${ROUTES.bootstrap}?teams=1,2&limit=10000${query}`));
      for (const key of Object.keys(all) as Array<keyof Entities>) (all[key] as unknown[]).push(...page[key]);
      next = page.next;
      if (next === null) return all;
    }
  }

  async cti(body: Record<string, string>): Promise<void> {
    const s = e2eServer();
    const reply = await api(s).post(ROUTES.cti(s.ctiToken), body);
    if (reply.status !== 200) throw new Error(`CTI: ${reply.status} ${reply.text}`);
  }
}
