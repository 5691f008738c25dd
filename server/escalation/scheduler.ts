/**
 * SLA escalation on the server. A due-time index (a min-heap of each open case's next points)
 * says when to wake; the server sleeps until the soonest point instead of scanning the cases.
 *
 * - At start the index is built from the open cases with a service level (one indexed query).
 * - It follows the change log: every poke (a commit of any kind) makes it read the log after its
 *   cursor; a case that changed is indexed again (its old entries are left stale by a generation
 *   number and skipped when met), an exception or new settings rebuild the index.
 * - At a point (shared/escalation.ts `escalationPoints`) the case is read fresh; per deadline
 *   only the latest due point is sent (a server that was down for two points sends one), the
 *   earlier ones are recorded as passed over. The key (case, deadline kind, point, deadline
 *   instant) is written in the same transaction as the `escalation` event, so nothing is sent
 *   twice, also across a restart; a deadline that moved is a new key.
 * - Points due before escalation began on this database, or before the settings in force were
 *   saved, are not sent: they were not configured when they came due.
 */
import { randomUUID } from 'node:crypto';
import type { CaseEvent } from '../../shared/contract';
import { applyCalendarExceptions } from '../../shared/calendar';
import { escalationPoints, type DeadlineKind, type DuePoint, type EscalationEventData, type EscalationSubject } from '../../shared/escalation';
import type { ServiceLevel } from '../../shared/sla';
import type { LiveHub } from '../http/live-socket';
import type { EscalationCaseRow, StoredEscalationSettings } from '../store/escalations';
import type { Store } from '../store/store';

/** The longest sleep: a wall-clock jump (or a missed timer) is caught up within this. */
const MAX_SLEEP_MS = 10 * 60_000;
/** Change-log rows read per catch-up step. */
const LOG_PAGE = 5_000;

type Entry = readonly [dueAt: number, caseId: string, generation: number];

/** A binary min-heap by due time. */
class DueHeap {
  private readonly items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Entry | undefined {
    return this.items[0];
  }

  push(entry: Entry): void {
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as Entry)[0] <= entry[0]) break;
      a[i] = a[parent] as Entry;
      i = parent;
    }
    a[i] = entry;
  }

  pop(): Entry | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      const at = (k: number): number => (k === i ? last[0] : (a[k] as Entry)[0]);
      if (l < a.length && at(l) < at(m)) m = l;
      if (r < a.length && at(r) < at(m)) m = r;
      if (m === i) break;
      a[i] = a[m] as Entry;
      i = m;
    }
    a[i] = last;
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

export interface EscalationDeps {
  store: Store;
  live: LiveHub;
  now(): Date;
}

export interface SentEscalation {
  caseId: string;
  deadline: DeadlineKind;
  point: string;
  deadlineAt: string;
  notified: string[];
}

export class EscalationScheduler {
  private readonly heap = new DueHeap();
  private readonly generation = new Map<string, number>();
  private cursor = 0;
  private state: StoredEscalationSettings | null = null;
  private timer: NodeJS.Timeout | null = null;
  private catchUpQueued = false;
  private stopped = false;

  constructor(private readonly deps: EscalationDeps) {}

  /** Builds the index from the open cases and sends whatever is due already. */
  start(): void {
    const { store } = this.deps;
    this.cursor = store.changes.latestSeq();
    this.state = store.escalations.settings(this.deps.now());
    this.rebuild();
    this.deps.live.onPoke(() => this.changedSoon());
    this.runDue();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** How many index entries there are (stale ones included): for tests and the benchmark. */
  get indexSize(): number {
    return this.heap.size;
  }

  /** The soonest due time in the index (ms), or null. */
  nextDueAt(): number | null {
    this.dropStale();
    return this.heap.peek()?.[0] ?? null;
  }

  /** New settings (the route saved them): every case is indexed again under them. */
  settingsChanged(): void {
    this.state = this.deps.store.escalations.settings(this.deps.now());
    this.rebuild();
    this.runDue();
  }

  /** The calendar exceptions changed: they are installed again and every deadline recomputed. */
  calendarChanged(): void {
    this.reloadCalendar();
    this.runDue();
  }

  private reloadCalendar(): void {
    applyCalendarExceptions(this.deps.store.calendarExceptions.all(), { replace: true });
    this.rebuild();
  }

  private changedSoon(): void {
    if (this.catchUpQueued || this.stopped) return;
    this.catchUpQueued = true;
    setImmediate(() => {
      this.catchUpQueued = false;
      if (this.stopped) return;
      this.runDue();
    });
  }

  /** Reads the change log after the cursor and indexes again the cases that changed. */
  catchUp(): void {
    const { store } = this.deps;
    let calendar = false;
    for (;;) {
      const rows = store.changes.after(this.cursor, LOG_PAGE);
      if (rows.length === 0) break;
      const cases = new Set<string>();
      for (const [seq, entity, id] of rows) {
        this.cursor = seq;
        if (entity === 'cases') cases.add(id);
        else if (entity === 'calendarExceptions') calendar = true;
      }
      if (!calendar) for (const id of cases) this.index(store.escalations.caseOf(id));
      if (rows.length < LOG_PAGE) break;
    }
    if (calendar) this.reloadCalendar();
  }

  private get settings(): StoredEscalationSettings {
    this.state ??= this.deps.store.escalations.settings(this.deps.now());
    return this.state;
  }

  /** Points due before this are never sent: escalation had not begun, or other settings were in force. */
  private get effectiveFrom(): number {
    const { startedAt, updatedAt } = this.settings;
    return Math.max(Date.parse(startedAt), updatedAt === null ? 0 : Date.parse(updatedAt));
  }

  private rebuild(): void {
    this.heap.clear();
    this.generation.clear();
    for (const row of this.deps.store.escalations.openCases()) this.index(row);
  }

  private index(row: EscalationCaseRow | null): void {
    if (!row) return;
    const generation = (this.generation.get(row.id) ?? 0) + 1;
    this.generation.set(row.id, generation);
    const from = this.effectiveFrom;
    for (const p of escalationPoints(subjectOf(row), this.settings.settings)) {
      if (p.dueAt >= from) this.heap.push([p.dueAt, row.id, generation]);
    }
  }

  private dropStale(): void {
    for (let top = this.heap.peek(); top && this.generation.get(top[1]) !== top[2]; top = this.heap.peek()) this.heap.pop();
  }

  /**
   * Sends every point due at the server's clock now, then sleeps until the next. Tests call it
   * after moving the clock (`now`), instead of waiting.
   */
  runDue(): SentEscalation[] {
    if (this.stopped) return [];
    this.catchUp();
    const now = this.deps.now().getTime();
    const due = new Set<string>();
    for (let top = this.heap.peek(); top && top[0] <= now; top = this.heap.peek()) {
      this.heap.pop();
      if (this.generation.get(top[1]) === top[2]) due.add(top[1]);
    }
    const sent: SentEscalation[] = [];
    for (const caseId of due) sent.push(...this.escalate(caseId, now));
    if (sent.length > 0) this.deps.live.poke(this.deps.store.changes.latestSeq());
    this.sleep();
    return sent;
  }

  private sleep(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    const next = this.nextDueAt();
    const wait = next === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(0, next - this.deps.now().getTime()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runDue();
    }, wait);
    this.timer.unref();
  }

  private escalate(caseId: string, now: number): SentEscalation[] {
    const { store } = this.deps;
    const row = store.escalations.caseOf(caseId);
    if (!row) return [];
    const subject = subjectOf(row);
    const from = this.effectiveFrom;
    const byDeadline = new Map<string, DuePoint[]>();
    for (const p of escalationPoints(subject, this.settings.settings)) {
      if (p.dueAt > now || p.dueAt < from) continue;
      if (store.escalations.wasSent(caseId, p.deadline, p.point, iso(p.deadlineAt))) continue;
      const list = byDeadline.get(p.deadline) ?? [];
      list.push(p);
      byDeadline.set(p.deadline, list);
    }
    const sent: SentEscalation[] = [];
    const at = new Date(now).toISOString();
    for (const points of byDeadline.values()) {
      // Sorted by due time, a breach after the points before it: only the latest is sent.
      const latest = points[points.length - 1] as DuePoint;
      const recipients = this.recipients(row);
      const event: CaseEvent = {
        id: randomUUID(),
        caseId,
        at,
        receivedAt: at,
        actorId: null,
        kind: 'escalation',
        text: null,
        data: {
          deadline: latest.deadline,
          point: latest.point,
          deadlineAt: iso(latest.deadlineAt),
          notified: [...recipients].join(','),
          level: row.serviceLevel as ServiceLevel,
        } satisfies EscalationEventData,
      };
      const written = store.transaction(() => {
        for (const p of points.slice(0, -1)) store.escalations.markSent(caseId, p.deadline, p.point, iso(p.deadlineAt), at, null);
        if (!store.escalations.markSent(caseId, latest.deadline, latest.point, iso(latest.deadlineAt), at, event.id)) return false;
        store.events.insert(event);
        store.changes.record('events', event.id);
        return true;
      });
      if (!written) continue;
      this.deps.live.sendEscalation(recipients, (specialistId) => ({
        type: 'escalation',
        caseId,
        caseNumber: row.number,
        title: row.title,
        level: row.serviceLevel as ServiceLevel,
        deadline: latest.deadline,
        point: latest.point,
        deadlineAt: iso(latest.deadlineAt),
        assignee: specialistId === row.assigneeId,
      }));
      sent.push({ caseId, deadline: latest.deadline, point: latest.point, deadlineAt: iso(latest.deadlineAt), notified: [...recipients] });
    }
    return sent;
  }

  /** The assignee (if any, and active) and, if the settings say so, the team's active leads. */
  private recipients(row: EscalationCaseRow): Set<string> {
    const out = new Set<string>();
    const { store } = this.deps;
    if (row.assigneeId !== null && store.specialists.get(row.assigneeId)?.active) out.add(row.assigneeId);
    if (this.settings.settings.notifyLeads) {
      for (const s of store.specialists.list()) if (s.active && s.role === 'lead' && s.teams.includes(row.team)) out.add(s.id);
    }
    return out;
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

function subjectOf(row: EscalationCaseRow): EscalationSubject {
  return {
    office: row.office,
    category: row.category,
    serviceLevel: row.serviceLevel,
    status: row.status,
    registeredAt: Date.parse(row.registeredAt),
    handlingStartedAt: row.handlingStartedAt === null ? null : Date.parse(row.handlingStartedAt),
    resolvedAt: row.resolvedAt === null ? null : Date.parse(row.resolvedAt),
  };
}
