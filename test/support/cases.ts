/**
 * Cases made the way a desk makes them: a number leased to the desk, a `createCase` with it, and
 * edits pushed under one client id with increasing mutation ids.
 */
import { randomUUID } from 'node:crypto';
import { ROUTES, type CreateCaseArgs, type Mutation, type MutationResult, type NumberBlock, type PushResponse } from '../../shared/api';
import type { Case } from '../../shared/contract';
import type { Api } from './http';

/**
 * A valid `createCase`'s arguments: a support question of Team 1 about Go payroll, by phone,
 * with no contact and no service level. Tests name only what they are about.
 */
export function caseArgs(fields: Pick<CreateCaseArgs, 'number' | 'customerId'> & Partial<CreateCaseArgs>): CreateCaseArgs {
  return {
    id: randomUUID(),
    contactId: null,
    product: 'go',
    module: 'payroll',
    category: 'support',
    serviceLevel: null,
    team: 1,
    title: 'Semesterlönen beräknas fel',
    description: '',
    channel: 'phone',
    ...fields,
  };
}

/** A desk's mutation builder over one client: one client id, increasing mutation ids. */
export class Desk {
  readonly clientId = randomUUID();
  private nextId = 1;

  constructor(readonly http: Api) {}

  /** `occurredAt`: when the specialist made the edit, by the desk's clock (left out as an older desk would). */
  mutation(name: Mutation['name'], args: object, baseVersion?: number, occurredAt?: string): Mutation {
    return {
      clientId: this.clientId,
      mutationId: this.nextId++,
      name,
      args,
      ...(baseVersion === undefined ? {} : { baseVersion }),
      ...(occurredAt === undefined ? {} : { occurredAt }),
    } as Mutation;
  }

  async push(...mutations: Mutation[]): Promise<PushResponse> {
    const reply = await this.http.post<PushResponse>(ROUTES.push, { mutations });
    if (reply.status !== 200) throw new Error(`push failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** A block of case numbers leased to this desk. */
  async leaseNumbers(size = 1): Promise<NumberBlock> {
    const reply = await this.http.post<NumberBlock>(ROUTES.numbers, { clientId: this.clientId, size });
    if (reply.status !== 200) throw new Error(`number lease failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** Registers a case on a freshly leased number; anything but `applied` is an error. */
  async createCase(fields: Pick<CreateCaseArgs, 'customerId'> & Partial<CreateCaseArgs>): Promise<Case> {
    const number = fields.number ?? (await this.leaseNumbers()).from;
    const result: MutationResult | undefined = (await this.push(this.mutation('createCase', caseArgs({ ...fields, number })))).results[0];
    if (result?.status !== 'applied' || !result.case) throw new Error(`could not create a case: ${JSON.stringify(result)}`);
    return result.case;
  }
}
