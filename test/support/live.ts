/** A live socket that records every message it gets, and waits on them rather than on the clock. */
import WebSocket from 'ws';
import { ROUTES, type LiveMessage } from '../../shared/api';

/** The desk's live socket by default; the centre's with its route and its messages' schema. */
export class LiveClient<M extends { type: string } = LiveMessage> {
  readonly messages: M[] = [];
  readonly socket: WebSocket;
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  constructor(url: string, route: string = ROUTES.live, parse: (value: unknown) => M = (value) => value as M) {
    this.socket = new WebSocket(`${url.replace(/^http/, 'ws')}${route}`);
    this.socket.on('message', (data) => {
      this.messages.push(parse(JSON.parse(data.toString())));
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

  /**
   * Waits until `predicate` holds, checked on every message and on close. `ms` only bounds a
   * wait for something that never comes, so it is generous: a busy machine delays, it does not lose.
   */
  async until(predicate: () => boolean, ms = 15_000): Promise<void> {
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

  of<T extends M['type']>(type: T): Array<Extract<M, { type: T }>> {
    return this.messages.filter((m): m is Extract<M, { type: T }> => m.type === type);
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
