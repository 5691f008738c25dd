/** Small HTTP and WebSocket clients for the server tests. */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { ROUTES, type LiveMessage, type Mutation, type PushResponse } from '../../shared/api';
import type { TestServer } from '../support/server';

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- replies are asserted field by field in the tests */
export interface Api {
  get<T = any>(path: string): Promise<Reply<T>>;
  post<T = any>(path: string, body?: unknown): Promise<Reply<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<Reply<T>>;
  /** Sends a raw body with the given content type. */
  raw<T = any>(method: string, path: string, body: string, contentType: string): Promise<Reply<T>>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export function api(server: Pick<TestServer, 'url'>, token?: string): Api {
  const request = async <T>(method: string, path: string, body?: string, contentType?: string): Promise<Reply<T>> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (contentType) headers['content-type'] = contentType;
    const response = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  };
  return {
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : 'application/json'),
    patch: (path, body) => request('PATCH', path, JSON.stringify(body), 'application/json'),
    raw: (method, path, body, contentType) => request(method, path, body, contentType),
  };
}

/** A desk's mutation builder: one client id, increasing mutation ids. */
export class Desk {
  readonly clientId = randomUUID();
  private nextId = 1;

  constructor(private readonly http: Api) {}

  mutation(name: Mutation['name'], args: object, baseVersion?: number): Mutation {
    return {
      clientId: this.clientId,
      mutationId: this.nextId++,
      name,
      args,
      ...(baseVersion === undefined ? {} : { baseVersion }),
    } as Mutation;
  }

  async push(...mutations: Mutation[]): Promise<PushResponse> {
    const reply = await this.http.post<PushResponse>(ROUTES.push, { mutations });
    if (reply.status !== 200) throw new Error(`push failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }
}

/** A live socket that records every message it gets. */
export class LiveClient {
  readonly messages: LiveMessage[] = [];
  readonly socket: WebSocket;
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  constructor(url: string) {
    this.socket = new WebSocket(`${url.replace(/^http/, 'ws')}${ROUTES.live}`);
    this.socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as LiveMessage);
      this.wake();
    });
    this.socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState === WebSocket.OPEN) resolve();
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Waits until `predicate` holds (checked on every message and on close), or fails after `ms`. */
  async until(predicate: () => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; messages so far: ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  of<T extends LiveMessage['type']>(type: T): Array<Extract<LiveMessage, { type: T }>> {
    return this.messages.filter((m): m is Extract<LiveMessage, { type: T }> => m.type === type);
  }

  close(): void {
    this.socket.close();
  }
}

/** Opens a socket and authenticates it; resolves after the server's hello. */
export async function connectLive(url: string, token: string): Promise<LiveClient> {
  const client = new LiveClient(url);
  await client.opened();
  client.send({ type: 'auth', token });
  await client.until(() => client.of('hello').length > 0 || client.closed !== null);
  if (client.closed) throw new Error(`socket closed: ${client.closed.code} ${client.closed.reason}`);
  return client;
}
