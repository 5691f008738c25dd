/**
 * Every entity is rendered to its API JSON by SQLite itself (`json_object`), in one place per
 * table. A page of the bootstrap or of the change feed is then the concatenation of strings
 * straight from the database — no per-row object building or re-validation in JavaScript, which
 * is what lets a full pull stream at well over 50k rows/s. Single records are `JSON.parse`d from
 * the same SQL, so the API shape is defined exactly once.
 */

/** A 0/1 column as a JSON boolean. */
const bool = (column: string): string => `json(CASE WHEN ${column} THEN 'true' ELSE 'false' END)`;

export const SPECIALIST_JSON = `json_object(
  'id', s.id, 'email', s.email, 'name', s.name, 'role', s.role, 'teams', json(s.teams),
  'office', s.office, 'language', s.language, 'active', ${bool('s.active')}, 'extension', s.extension)`;

export const CUSTOMER_JSON = `json_object(
  'id', cu.id, 'name', cu.name, 'orgNumber', cu.org_number, 'country', cu.country,
  'language', cu.language, 'industry', cu.industry, 'licensedModules', json(cu.licensed_modules),
  'paymentStatus', cu.payment_status, 'superUserQuota', cu.superuser_quota)`;

export const CONTACT_JSON = `json_object(
  'id', co.id, 'customerId', co.customer_id, 'name', co.name, 'email', co.email, 'phone', co.phone,
  'superUser', ${bool('co.superuser')}, 'superUserSince', co.superuser_since,
  'trainedModules', json(co.trained_modules), 'anonymisedAt', co.anonymised_at)`;

export const CASE_JSON = `json_object(
  'id', c.id, 'number', c.number, 'customerId', c.customer_id, 'contactId', c.contact_id,
  'product', c.product, 'module', c.module, 'category', c.category, 'serviceLevel', c.service_level,
  'status', c.status, 'team', c.team, 'assigneeId', c.assignee_id, 'title', c.title,
  'description', c.description, 'channel', c.channel, 'billableMinutes', c.billable_minutes,
  'billingInformed', ${bool('c.billing_informed')}, 'registeredAt', c.registered_at,
  'handlingStartedAt', c.handling_started_at, 'resolvedAt', c.resolved_at, 'updatedAt', c.updated_at,
  'version', c.version, 'fieldVersions', json(c.field_versions))`;

export const EVENT_JSON = `json_object(
  'id', e.id, 'caseId', e.case_id, 'at', e.at, 'receivedAt', coalesce(e.received_at, e.at), 'actorId', e.actor_id, 'kind', e.kind,
  'text', e.text, 'data', json(e.data))`;

export const CALL_JSON = `json_object(
  'id', ca.id, 'callId', ca.call_id, 'direction', ca.direction, 'fromRaw', ca.from_raw,
  'from', ca.from_e164, 'to', ca.to_number, 'option', ca.option, 'team', ca.team,
  'contactId', ca.contact_id, 'customerId', ca.customer_id, 'state', ca.state,
  'missed', ${bool('ca.missed')}, 'done', ${bool('ca.done')}, 'user', ca.user,
  'startedAt', ca.started_at, 'answeredAt', ca.answered_at, 'endedAt', ca.ended_at,
  'doneBy', ca.done_by, 'doneAt', ca.done_at)`;

export const GRANT_JSON = `json_object(
  'id', g.id, 'customerId', g.customer_id, 'kind', g.kind,
  'grantedByContactId', g.granted_by_contact_id, 'recordedBy', g.recorded_by,
  'grantedAt', g.granted_at, 'expiresAt', g.expires_at, 'revokedAt', g.revoked_at)`;

/** A rendered row together with its id (for audit rows and paging). */
export type IdJson = [id: string, json: string];

/** Rows the database rendered are trusted: they were validated on the way in. */
export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

export function fromJsonOrNull<T>(text: string | undefined): T | null {
  return text === undefined ? null : fromJson<T>(text);
}

/** `[a,b]` → `'["a","b"]'`, the parameter for `IN (SELECT value FROM json_each(?))`. */
export function idList(ids: readonly string[]): string {
  return JSON.stringify(ids);
}

/** A `LIKE ... ESCAPE '\'` pattern for text starting with what the user typed (taken literally). */
export function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
