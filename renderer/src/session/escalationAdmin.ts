/**
 * The lead's SLA escalation settings and the offices' calendar exceptions (online only; the
 * server refuses a specialist). An exception made or removed here is applied to this desk's
 * store at once (the feed brings the same record to every desk, this one included).
 */
import {
  CalendarExceptionResponseSchema,
  EscalationSettingsResponseSchema,
  ROUTES,
  type CalendarException,
  type EscalationSettings,
  type NewCalendarException,
} from '../../../shared/index';
import type { ApiClient } from '../api/client';
import { emptyDelta } from '../model/rows';
import type { DeskStore } from '../store/store';

export type StoredSettings = ReturnType<typeof EscalationSettingsResponseSchema.parse>;

export class EscalationAdmin {
  constructor(
    private readonly api: ApiClient,
    private readonly store: DeskStore,
  ) {}

  settings(): Promise<StoredSettings> {
    return this.api.get(ROUTES.escalationSettings, EscalationSettingsResponseSchema);
  }

  save(settings: EscalationSettings): Promise<StoredSettings> {
    return this.api.sendJson('PUT', ROUTES.escalationSettings, settings, EscalationSettingsResponseSchema);
  }

  async addException(input: NewCalendarException): Promise<CalendarException> {
    const { exception } = await this.api.post(ROUTES.calendarExceptions, input, CalendarExceptionResponseSchema);
    this.store.ingest({ ...emptyDelta(), calendarExceptions: [exception] });
    return exception;
  }

  async removeException(id: string): Promise<CalendarException> {
    const { exception } = await this.api.sendJson('DELETE', ROUTES.calendarException(id), undefined, CalendarExceptionResponseSchema);
    this.store.ingest({ ...emptyDelta(), calendarExceptions: [exception] });
    return exception;
  }
}
