/** Messages between the UI thread and the sync worker; errors cross as plain data. */
import type { TeamId } from '../../../shared/index';
import { ApiError, NetworkError, type QueuePlace } from '../api/client';
import type { Progress, WorkConfig } from './work';

export type WorkRequest =
  | { id: number; type: 'init'; config: WorkConfig }
  | { id: number; type: 'token'; token: string | null }
  | { id: number; type: 'bootstrap'; teams: TeamId[] }
  | { id: number; type: 'pull' };

export interface WorkErrorData {
  kind: 'network' | 'api' | 'other';
  name: string;
  message: string;
  status?: number;
  code?: string;
  field?: string;
  queue?: QueuePlace;
}

export type WorkResponse =
  /** A delta as text (`encodeDelta`): decoding it on the UI thread is quicker than a structured clone. */
  | { id: number; type: 'delta'; text: string; progress?: Progress }
  | { id: number; type: 'done'; result?: unknown }
  | { id: number; type: 'error'; error: WorkErrorData };

export function errorToData(e: unknown): WorkErrorData {
  if (e instanceof NetworkError) return { kind: 'network', name: e.name, message: e.message };
  if (e instanceof ApiError) return { kind: 'api', name: e.name, message: e.message, status: e.status, code: e.code, field: e.field, ...(e.queue ? { queue: e.queue } : {}) };
  const err = e instanceof Error ? e : new Error(String(e));
  // Dexie wraps the IndexedDB error; its name ("QuotaExceededError", …) is what the UI needs.
  const inner = (err as { inner?: { name?: string } }).inner;
  return { kind: 'other', name: inner?.name ?? err.name, message: err.message };
}

export function dataToError(d: WorkErrorData): Error {
  if (d.kind === 'network') return new NetworkError(d.message);
  if (d.kind === 'api') return new ApiError(d.status ?? 0, d.code ?? 'unknown', d.message, d.field, d.queue);
  const err = new Error(d.message);
  err.name = d.name;
  return err;
}
