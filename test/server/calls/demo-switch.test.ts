import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/api';
import type { Contact } from '../../../shared/contract';
import { INDUSTRY_IDS, switchMismatch, teamOfIndustry } from '../../../shared/teams';
import { loadConfig } from '../../../server/cli/config';
import { startTestServer, type TestServer } from '../../support/server';
import { api } from '../../support/http';
import { connectLive, type LiveClient } from '../../support/live';

const TEAM1 = 'erik.johansson@softone.se';

describe('the demo (npm run web, npm start) configures the phone switch', () => {
  let server: TestServer;
  let team2Contact: Contact;
  let client: LiveClient;

  beforeAll(async () => {
    // As `npm run web` starts the server: DESK_DEMO=1 and no DESK_CTI_OPTIONS.
    const config = loadConfig({ DESK_DEMO: '1' });
    server = await startTestServer({ cases: 50, server: { ctiOptions: config.ctiOptions } });
    const team2Industries = INDUSTRY_IDS.filter((i) => teamOfIndustry(i) === 2);
    const id = server.store.db
      .prepare(
        `SELECT co.id FROM contacts co JOIN customers cu ON cu.id = co.customer_id
         WHERE co.phone IS NOT NULL AND cu.country = 'SE' AND cu.industry IN (SELECT value FROM json_each(?)) LIMIT 1`,
      )
      .pluck()
      .get(JSON.stringify(team2Industries)) as string;
    team2Contact = server.store.contacts.get(id) as Contact;
    client = await connectLive(server.url, await server.login(TEAM1));
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  it("flags the README's call example (queue=hantverk) from a Team 2 customer as a wrong-team call", async () => {
    // The README's curl, form-encoded, from a caller whose company Team 2 serves.
    const callId = `readme-${randomUUID()}`;
    const params = new URLSearchParams({ event: 'newCall', direction: 'in', from: team2Contact.phone?.replace('+46', '0') ?? '', to: '0812345001', callId, queue: 'hantverk' });
    const reply = await api(server).raw('POST', ROUTES.cti(server.ctiToken), params.toString(), 'application/x-www-form-urlencoded');
    expect(reply.status).toBe(200);
    await client.until(() => client.of('call').some((m) => m.call.callId === callId));
    const message = client.of('call').find((m) => m.call.callId === callId);
    // Option 1 rings Team 1; the caller's company is Team 2's: the desk is told to transfer it.
    expect(message?.call).toMatchObject({ option: 1, team: 1 });
    expect(message?.caller.customer).not.toBeNull();
    expect(switchMismatch(1, message?.caller.customer?.industry ?? 'construction')).toEqual({ mismatch: true, chosenTeam: 1, customerTeam: 2 });
  });

  it('keeps options set explicitly, and none outside demo mode', () => {
    expect(loadConfig({ DESK_DEMO: '1', DESK_CTI_OPTIONS: '1=bygg' }).ctiOptions).toBe('1=bygg');
    expect(loadConfig({}).ctiOptions).toBe('');
  });
});
