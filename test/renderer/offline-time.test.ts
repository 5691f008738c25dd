/**
 * An edit keeps the time it was made. A desk works offline; its edit reaches the server an hour
 * later (the server's clock runs an hour ahead of the desk's here, which is the same thing seen
 * from the server), and the history and the SLA clock say when the specialist acted, not when the
 * server heard of it.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseDetailSchema, ROUTES } from '../../shared/index';
import { startTestServer, type TestServer } from '../support/server';
import { openDesk, settle, until } from './desk';

const HOUR = 3_600_000;

describe('an edit made offline an hour before it syncs', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ cases: 200, seed: 7, now: new Date('2026-11-24T09:30:00Z'), server: { now: () => new Date(Date.now() + HOUR) } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('is recorded at the time it was made, with the time it was received beside it', async () => {
    const desk = await openDesk(server.url, await server.login(server.specialistEmails[0]), { live: false });
    try {
      await desk.engine.start();
      await until(() => desk.engine.status.bootstrap.complete, 'bootstrap');
      await desk.engine.idle();
      const row = desk.store.cases.rows().find((r) => r.category === 'support' && r.status === 'new' && r.handlingStartedAt === null && desk.me.teams.includes(r.team));
      if (!row) throw new Error('the seed has no new support question');

      desk.engine.stop();
      const entry = await desk.outbox.enqueue({ name: 'transition', args: { caseId: row.id, to: 'line1' } });
      const madeAt = entry.envelope.occurredAt!;
      // Offline, the desk shows the handling start the server will record.
      expect(desk.store.cases.get(row.id)).toMatchObject({ status: 'line1', handlingStartedAt: Date.parse(madeAt), pending: 1 });

      await desk.engine.start();
      await settle(desk);
      const detail = await desk.api.get(ROUTES.caseByNumber(row.number), CaseDetailSchema);
      expect(detail.case.status).toBe('line1');
      expect(detail.case.handlingStartedAt).toBe(madeAt);
      const event = detail.events.find((e) => e.kind === 'status' && e.data.to === 'line1');
      expect(event?.at).toBe(madeAt);
      expect(Date.parse(event!.receivedAt!) - Date.parse(madeAt)).toBeGreaterThanOrEqual(HOUR);
      // The server's answer replaces the overlay with the same values.
      await until(() => desk.store.cases.get(row.id)?.pending === undefined || desk.store.cases.get(row.id)?.pending === 0, 'the edit to be acknowledged');
      expect(desk.store.cases.get(row.id)?.handlingStartedAt).toBe(Date.parse(madeAt));
    } finally {
      desk.close();
    }
  });
});
