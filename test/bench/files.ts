/**
 * The files the attachments benchmarks put on a seeded server: one on every note of the open
 * cases (the densest a desk's first sync meets: every open case's timeline is carried).
 */
import type { TestServer } from '../support/server';

/** A file on every note of an open case: the rows a desk's first sync carries. Returns how many. */
export async function addFiles(server: TestServer): Promise<number> {
  const { store } = server;
  const file = await store.attachments.prepare(Buffer.from('%PDF-1.4 bench\n'), 'faktura.pdf', 'application/pdf');
  const notes = store.db
    .prepare<[], { id: string; caseId: string }>(`SELECT e.id, e.case_id AS caseId FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.kind = 'note' AND c.status <> 'closed'`)
    .all();
  const at = new Date().toISOString();
  store.transaction(() => {
    for (const n of notes) store.attachments.insert(file, { caseId: n.caseId, eventId: n.id, createdAt: at });
  });
  return notes.length;
}

/** The Team 1 specialist both benchmarks sign in as. */
export function team1Specialist(server: TestServer): { id: string; email: string; teams: readonly (1 | 2 | 3 | 4)[] } {
  const specialist = server.store.specialists.list().find((s) => s.active && s.role === 'specialist' && s.teams.length === 1 && s.teams[0] === 1);
  if (!specialist) throw new Error('no Team 1 specialist');
  return specialist as { id: string; email: string; teams: readonly (1 | 2 | 3 | 4)[] };
}
