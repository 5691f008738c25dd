/**
 * Mail on cases for the desk's mail UI tests (mail.spec.ts), written into the e2e server's store
 * by the global setup: one case of Team 1 with a thread (the customer's mail with an HTML part,
 * the automatic reply, a reply the relay refused), and a case per office whose contact has an
 * address, to reply to. Written as the server's intake and outgoing queue will write them (a
 * `mail` event per message, recorded in the change log), until the intake itself (the server's
 * mail channel) can be driven by the tests; the integrator may then seed through a real mailbox.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { CaseEvent } from '../../shared/index';
import { subjectTag, caseSubject } from '../../shared/index';
import type { Store } from '../../server/store/store';

export const E2E_MAIL_FILE = 'test-results/e2e-mail.json';

/** A customer's HTML mail as a forger might write it (the thread's first mail; served by the real route). */
export const HOSTILE_HTML =
  '<div style="position:fixed;inset:0;z-index:9999;background:red">Peitto</div><p>Hej, <b>momsen</b> blir fel på <a href="https://softone.se/faq">fakturan</a>.</p>' +
  '<img src="https://tracker.example/open.gif" alt="logo" width="120" height="40"><script>window.__pwned = true</script>' +
  '<img src="x" onerror="window.__pwned = true"><form action="https://phish.example"><input name="pw"><button>Logga in</button></form>' +
  '<iframe src="https://phish.example"></iframe><a href="javascript:window.__pwned=true">klicka</a>';

export interface MailFixtures {
  /** A case whose thread holds mail in and out (read only: no test writes on it). */
  thread: number;
  /** Cases to reply to: the contact has an address; one of a Swedish, one of a Finnish customer. */
  replySv: number;
  replyFi: number;
  /** The thread's contact's address. */
  threadFrom: string;
}

interface Candidate {
  id: string;
  number: number;
  title: string;
  email: string;
  name: string;
  country: 'SE' | 'FI';
}

export function seedMail(store: Store, file: string): MailFixtures {
  // Open support questions past "new" (the other tests take the new ones), of Team 1, whose contact has an address.
  const candidates = store.db
    .prepare<[], Candidate>(
      `SELECT c.id, c.number, c.title, k.email, k.name, u.country FROM cases c
         JOIN contacts k ON k.id = c.contact_id JOIN customers u ON u.id = c.customer_id
        WHERE c.team = 1 AND c.category = 'support' AND c.status NOT IN ('new', 'closed')
          AND k.email IS NOT NULL AND k.anonymised_at IS NULL
        ORDER BY c.number DESC LIMIT 200`,
    )
    .all();
  const se = candidates.filter((c) => c.country === 'SE');
  const fi = candidates.filter((c) => c.country === 'FI');
  const thread = se[0] ?? candidates[0];
  const replySv = se[1] ?? candidates[1];
  const replyFi = fi[0] ?? candidates[2];
  if (!thread || !replySv || !replyFi) throw new Error('the seed lacks open support cases with a contact address for the mail tests');

  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  const subject = caseSubject(thread.number, thread.title, 'sv');
  const firstMail = randomUUID();
  const events: CaseEvent[] = [
    {
      id: randomUUID(),
      caseId: thread.id,
      at: at(50),
      receivedAt: at(50),
      actorId: null,
      kind: 'mail',
      text: `Hej!\n\nNär jag skriver ut fakturan blir momsen fel. Skärmbild bifogad.\n\nMvh\n${thread.name}`,
      data: { direction: 'in', status: 'received', mailId: firstMail, from: thread.email, fromName: thread.name, to: 'support@softone.se', subject: thread.title, html: true, attachments: 1 },
    },
    {
      id: randomUUID(),
      caseId: thread.id,
      at: at(49),
      receivedAt: at(49),
      actorId: null,
      kind: 'mail',
      text: `Tack för ditt meddelande. Ditt ärende har fått nummer ${thread.number}; ange ${subjectTag(thread.number, 'sv')} när du skriver till oss igen.`,
      data: { direction: 'out', status: 'sent', mailId: randomUUID(), from: 'support@softone.se', to: thread.email, subject, auto: true, sentAt: at(49) },
    },
    {
      id: randomUUID(),
      caseId: thread.id,
      at: at(20),
      receivedAt: at(20),
      actorId: null,
      kind: 'mail',
      text: 'Hej! Kan du skicka fakturanumret, så tittar vi på det?',
      data: { direction: 'out', status: 'failed', mailId: randomUUID(), from: 'support@softone.se', to: thread.email, subject, error: '452 4.2.2 Mailbox full' },
    },
  ];
  const first = events[0] as CaseEvent;
  store.transaction(() => {
    // The stored mail behind the first event: the server's HTML route reads it from here.
    store.mail.insertMessage({
      id: firstMail,
      messageId: `${firstMail}@kund.example`,
      direction: 'in',
      office: 'SE',
      mailbox: 'support@softone.se',
      caseId: thread.id,
      eventId: first.id,
      fromAddress: thread.email,
      fromName: thread.name,
      toAddress: 'support@softone.se',
      subject: thread.title,
      text: first.text ?? '',
      html: HOSTILE_HTML,
      inReplyTo: null,
      refs: [],
      autoKind: null,
      rawHash: null,
      size: HOSTILE_HTML.length,
      attachmentCount: 1,
      at: first.at,
    });
    for (const e of events) {
      store.events.insert(e);
      store.changes.record('events', e.id);
    }
  });
  const fixtures: MailFixtures = { thread: thread.number, replySv: replySv.number, replyFi: replyFi.number, threadFrom: thread.email };
  writeFileSync(file, JSON.stringify(fixtures, null, 2));
  return fixtures;
}
