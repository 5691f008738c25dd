/**
 * Hostile input against the real server process (`server/cli/server.ts` in a child process), for the
 * failures an in-process test cannot survive: text shaped to make a backtracking regex run for
 * hours (the server must keep answering, each request promptly), and the live WebSocket fed
 * garbage (every bad socket is closed with the right code; the server stays up).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LiveClientMessageSchema, ROUTES } from '../../shared/api';
import { ChildServer, DEMO_PASSWORD, freePort } from './support/child-server';
import { isErrorBody, login, request } from '../support/http';
import { openFile } from './support/db';
import { backtrackingBait, encodeSegment, hostileString, hostileValue } from './support/hostile';
import { KNOBS, SEED } from './support/knobs';
import { reliabilityTally } from './support/summary';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

describe('hostile input against the server process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'desk-fuzz-process-'));
  const ctiToken = randomUUID();
  let server: ChildServer;
  let token: string;

  beforeAll(async () => {
    server = new ChildServer({ dataDir: dir, port: await freePort(), demoCases: 20, ctiToken });
    await server.start();
    const db = openFile(server.dataFile);
    const email = db.prepare<[], string>(`SELECT email FROM specialists WHERE role = 'specialist' AND email LIKE '%@softone.%' LIMIT 1`).pluck().get();
    db.close();
    token = await login(server.url, email ?? '', DEMO_PASSWORD);
  }, 90_000);
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers text built to make a backtracking regex explode promptly, on every route that matches text', async () => {
    const targets = (text: string): Array<[string, string, unknown]> => [
      ['GET', ROUTES.caseByNumber(0).replace(/0$/, encodeSegment(text)), undefined],
      ['GET', `${ROUTES.phoneLookup}?number=${encodeSegment(text)}`, undefined],
      ['GET', `${ROUTES.customerSearch}?q=${encodeSegment(text)}`, undefined],
      ['GET', `${ROUTES.bootstrap}?teams=${encodeSegment(text)}`, undefined],
      ['POST', ROUTES.cti(ctiToken), { event: 'newCall', from: text, to: text, direction: 'in', callId: `bait-${text}`, queue: text }],
      ['POST', ROUTES.login, { email: `${text}@${text}`, password: text }],
    ];
    await fc.assert(
      fc.asyncProperty(fc.oneof(backtrackingBait, hostileString.filter((s) => s.length <= 40)), async (text) => {
        for (const [method, path, json] of targets(text)) {
          tally.add({ badInputs: 1 });
          // A request that normally takes milliseconds: ten seconds means the server is stuck.
          const answer = await request(server.url, method, path, { token, json, timeoutMs: 10_000 });
          expect(answer.status, `${method} ${path}`).toBeLessThan(500);
          if (answer.status >= 400) expect(isErrorBody(answer.body)).toBe(true);
        }
      }),
      { numRuns: Math.max(20, Math.floor(KNOBS.fuzzRunsPerRoute / 2)), seed: SEED },
    );
    expect((await request(server.url, 'GET', ROUTES.health)).status).toBe(200);
  }, KNOBS.testTimeoutMs);

  /**
   * Opens a socket, sends the messages, and resolves with the close code, or 'open'. Where the
   * socket should stay open, a protocol ping follows the messages and its pong is the answer: the
   * server reads frames in order and answers no ping on a socket it is closing, so a pong means
   * it read every message and kept the socket. Where it should close, nothing follows (a frame
   * after one the server refuses would meet a reset that can swallow its close code), and only a
   * generous deadline turns a socket left open into 'open'.
   */
  function socketSession(messages: Array<string | Buffer>, shouldStayOpen: boolean): Promise<number | 'open'> {
    return new Promise((resolveSession, reject) => {
      const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}${ROUTES.live}`);
      const deadline = setTimeout(() => {
        resolveSession('open');
        socket.terminate();
      }, 15_000);
      const settle = (outcome: number | 'open'): void => {
        clearTimeout(deadline);
        resolveSession(outcome);
      };
      socket.on('error', () => undefined);
      socket.on('close', (code) => settle(code));
      socket.on('pong', () => {
        settle('open');
        socket.terminate();
      });
      socket.on('open', () => {
        for (const message of messages) socket.send(message);
        if (shouldStayOpen) socket.ping();
      });
      socket.on('unexpected-response', (_request, response) => {
        clearTimeout(deadline);
        reject(new Error(`no upgrade: ${response.statusCode}`));
      });
    });
  }

  const garbageMessage = fc.oneof(
    hostileString,
    hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
    fc.record({ type: fc.oneof(hostileString, fc.constantFrom('auth', 'pong', 'hello', 'poke')), token: hostileValue }).map((v) => JSON.stringify(v)),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)),
    fc.constant('x'.repeat(70 * 1024)),
  );

  it('closes a socket whose first message is not a valid login with 4401, and one sending garbage after it with 4400', async () => {
    await fc.assert(
      fc.asyncProperty(garbageMessage, garbageMessage, async (first, later) => {
        tally.add({ badInputs: 2 });
        const unauthenticated = await socketSession([first], false);
        // 4401 not authenticated; 1009 a frame over the 64 KiB limit, refused by the socket itself.
        expect([4401, 1009]).toContain(unauthenticated);
        // After the login, a well-formed client message (a pong, another auth) keeps the socket open.
        let valid = false;
        try {
          valid = typeof later === 'string' && LiveClientMessageSchema.safeParse(JSON.parse(later)).success;
        } catch {
          valid = false;
        }
        const afterLogin = await socketSession([JSON.stringify({ type: 'auth', token }), later], valid);
        expect(valid ? ['open'] : [4400, 1009]).toContain(afterLogin);
      }),
      { numRuns: Math.max(10, Math.floor(KNOBS.fuzzRunsPerRoute / 4)), seed: SEED },
    );
    expect((await request(server.url, 'GET', ROUTES.health)).status).toBe(200);
  }, KNOBS.testTimeoutMs);
});
