/**
 * The centre's HTTP client: same origin, the customer's bearer token, every answer parsed with
 * the shared zod contract; a refusal becomes an `ApiFailure` with the server's code and field.
 */
import type { z } from 'zod';
import { ApiErrorSchema } from '../../../shared/api';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'desk-centre-token';

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

export async function call<S extends z.ZodType>(method: 'GET' | 'POST' | 'DELETE', path: string, schema: S, body?: unknown): Promise<z.output<S>> {
  const headers: Record<string, string> = {};
  const token = tokenStore.get();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiFailure(0, 'network', 'no connection');
  }
  const text = await response.text();
  const json: unknown = text === '' ? null : JSON.parse(text);
  if (!response.ok) {
    const error = ApiErrorSchema.safeParse(json);
    if (response.status === 401 && token) tokenStore.clear();
    if (error.success) throw new ApiFailure(response.status, error.data.error.code, error.data.error.message, error.data.error.field);
    throw new ApiFailure(response.status, 'generic', text.slice(0, 200));
  }
  return schema.parse(json);
}
