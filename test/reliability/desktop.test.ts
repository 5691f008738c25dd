/**
 * The shell's validators under property-based fuzzing: deep links (parseDeskLink and the
 * command-line scan), the IPC sender check, every IPC method's argument validation, and the
 * external-URL allow-list. None may throw on any input; hostile input is refused; whatever gets
 * through has exactly the shape the rest of the app relies on.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE } from '../../electron/main/channels';
import { findDeskLinkInArgv, parseDeskLink } from '../../electron/main/deeplink';
import { registerHostApi, type HostServices } from '../../electron/main/host-api';
import { IpcRefusedError, senderRefusal, type SenderPolicy } from '../../electron/main/ipc';
import { isAllowedExternalUrl } from '../../electron/main/security';
import { DeskLinkSchema, DeskNotificationSchema } from '../../shared/host';
import { FakeWebContents, ipcMain, resetFakes, shell } from '../electron/fake-electron';
import { brokenEncoding, encodeSegment, hostileString, hostileValue, oddText } from './support/hostile';
import { KNOBS, SEED } from './support/knobs';
import { reliabilityTally } from './support/summary';

vi.mock('electron', () => import('../electron/fake-electron'));

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

// Every refusal logs one line: thousands of them are noise here, and a spy would keep them all.
const { warn, log } = console;
beforeEach(() => {
  resetFakes();
  console.warn = (): void => {};
  console.log = (): void => {};
});
afterEach(() => {
  console.warn = warn;
  console.log = log;
});

const runs = { numRuns: KNOBS.desktopRuns, seed: SEED };
const counted = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T> => arbitrary.map((value) => (tally.add({ badInputs: 1 }), value));

// ---- Deep links --------------------------------------------------------------------------------

const PREFIXES = [
  'softone-desk://case/',
  'SOFTONE-DESK://CASE/',
  'softone-desk://call?',
  'softone-desk://call/?',
  'softone-desk://call?from=',
  'softone-desk://call?from=+46701234567&',
  'softone-desk:case/',
  'softone-desk:/case/',
  'softone-desk-evil://case/',
  ' softone-desk://case/',
  'javascript:alert(1)//softone-desk://case/',
  'softone-desk://case/1/../',
  'softone-desk://admin/',
  '',
] as const;

const linkPiece = fc.oneof(
  hostileString,
  hostileString.map(encodeSegment),
  brokenEncoding,
  fc.constantFrom('../', '..%2F', '%2e%2e/', '\\', '#x', '?x=1', '&from=+358401234567', '&option=3', '&option=1', 'option=2', '=', '&&', '%00', '+', '١٢٣', '0x1F', '1e5'),
  fc.integer({ min: -5, max: 2_000_000_000 }).map(String),
);
const deskLinkText = fc.oneof(
  { weight: 1, arbitrary: oddText },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), fc.array(linkPiece, { maxLength: 4 })).map(([prefix, pieces]) => prefix + pieces.join('')) },
  { weight: 1, arbitrary: fc.constantFrom(...PREFIXES).map((p) => p + 'x'.repeat(600)) },
);

describe('deep links', () => {
  it('parseDeskLink never throws, and what it accepts is exactly a case number or a phone number', () => {
    fc.assert(
      fc.property(counted(deskLinkText), (raw) => {
        const link = parseDeskLink(raw);
        if (link === null) return;
        expect(DeskLinkSchema.safeParse(link).success).toBe(true);
        expect(raw.length).toBeLessThanOrEqual(512);
        const text = raw.trim();
        if (link.kind === 'case') {
          // Nothing but the scheme, "case/", the digits and an optional slash.
          expect(text).toMatch(/^softone-desk:\/\/case\/[1-9][0-9]{0,8}\/?$/i);
          expect(String(link.number)).toBe(/case\/([0-9]+)/i.exec(text)?.[1]);
        } else {
          expect(text).toMatch(/^softone-desk:\/\/call\/?\?/i);
          // E.164, or the bare digits of a national number: never text that could carry markup or a path.
          expect(link.from).toMatch(/^(\+[1-9][0-9]{7,14}|[0-9]{3,40})$/);
          expect([null, 1, 2]).toContain(link.option);
        }
      }),
      runs,
    );
  });

  it('refuses links whose meaningful parts carry anything hostile', () => {
    fc.assert(
      fc.property(
        counted(fc.tuple(fc.constantFrom('softone-desk://case/', 'softone-desk://call?from='), fc.oneof(hostileString, brokenEncoding), fc.constantFrom('', '/', '&option=1'))),
        ([prefix, hostile, suffix]) => {
          // The part that decides: the case number, or the `from` value up to the next parameter.
          const decisive = prefix.includes('call') ? (hostile.split(/[&#]/)[0] ?? '') : hostile;
          let decoded = '';
          try {
            decoded = decodeURIComponent(decisive);
          } catch {
            decoded = '';
          }
          // Skipped when it is (or decodes to) a plain number: that is not hostile.
          const plainNumber = (t: string): boolean => /^[0-9 ()+\-./]*$/.test(t.trim());
          fc.pre(!plainNumber(decisive) && !plainNumber(decoded));
          expect(parseDeskLink(`${prefix}${hostile}${suffix}`)).toBeNull();
          expect(parseDeskLink(`${prefix}${encodeSegment(hostile)}${suffix}`)).toBeNull();
        },
      ),
      runs,
    );
  });

  it('the command-line scan never throws and passes on only valid links', () => {
    fc.assert(
      fc.property(counted(fc.array(fc.oneof(deskLinkText, hostileString), { maxLength: 6 })), (argv) => {
        const link = findDeskLinkInArgv(argv);
        if (link !== null) expect(DeskLinkSchema.safeParse(link).success).toBe(true);
      }),
      runs,
    );
  });
});

// ---- IPC -----------------------------------------------------------------------------------------

const urlText = fc.oneof(
  fc.webUrl(),
  hostileString,
  fc.constantFrom('app://desk/', 'app://desk', 'app://desk/index.html#/case/1', 'app://DESK/', 'app://desk.evil/', 'app://desk@evil/', 'app://evil@desk/', 'app://desk:443/', 'app:desk', 'app:///desk', ' app://desk/', 'app://de\nsk/', 'http://localhost:5173/', 'file:///desk/', 'about:blank', 'devtools://devtools/', 'chrome-extension://desk/', ''),
);

describe('the IPC sender check', () => {
  it('accepts only the main frame of our own window on the trusted origin, and never throws', () => {
    const ours = new FakeWebContents();
    const other = new FakeWebContents();
    const policy: SenderPolicy = { isAppContents: (c) => c.id === ours.id, trustedOrigins: ['app://desk'] };
    const frame = fc.option(
      fc.record({
        processId: fc.oneof(fc.constant(ours.mainFrame.processId), fc.integer()),
        routingId: fc.oneof(fc.constant(ours.mainFrame.routingId), fc.integer()),
        parent: fc.oneof(fc.constant(null), fc.constant(ours.mainFrame)),
        url: urlText,
      }),
      { nil: null },
    );
    fc.assert(
      fc.property(counted(fc.record({ fromOurs: fc.boolean(), frame })), ({ fromOurs, frame: senderFrame }) => {
        const sender = fromOurs ? ours : other;
        const refusal = senderRefusal({ sender, senderFrame } as never, policy);
        let parsed: URL | null = null;
        try {
          parsed = senderFrame ? new URL(senderFrame.url) : null;
        } catch {
          parsed = null;
        }
        const shouldAccept =
          fromOurs &&
          senderFrame !== null &&
          senderFrame.parent === null &&
          senderFrame.processId === ours.mainFrame.processId &&
          senderFrame.routingId === ours.mainFrame.routingId &&
          parsed !== null &&
          parsed.protocol === 'app:' &&
          parsed.host === 'desk';
        expect(refusal === null).toBe(shouldAccept);
      }),
      runs,
    );
  });
});

describe('IPC arguments', () => {
  const ours = new FakeWebContents();
  const policy: SenderPolicy = { isAppContents: (c) => c.id === ours.id, trustedOrigins: ['app://desk'] };

  function services(): HostServices {
    return {
      info: { kind: 'electron', serverUrl: 'http://127.0.0.1:4000', version: '0.1.0' },
      tokens: { load: vi.fn(async () => 'token'), save: vi.fn(async () => {}) },
      notifier: { show: vi.fn() },
      badge: { setCount: vi.fn(), setProgress: vi.fn() },
    };
  }

  const argument = fc.oneof(
    hostileValue,
    fc.constantFrom(null, undefined, 0, -1, 1, 1.5, 1e6, 1e6 + 1, Number.NaN, Number.POSITIVE_INFINITY, '', 'x'.repeat(5000), 'https://www.softone.se/', 'file:///etc/passwd', 'javascript:alert(1)', 'mailto:support@softone.se'),
    fc.record({ title: hostileString, body: hostileString, caseNumber: fc.oneof(fc.integer(), hostileString), tag: hostileString }, { requiredKeys: [] }),
    fc.webUrl(),
  );

  it('every method refuses arguments that do not fit and passes on only values of the right shape', async () => {
    const channels = Object.values(INVOKE);
    const s = services();
    registerHostApi(s, policy);
    const recorded = [s.tokens.save, s.notifier.show, s.badge.setCount, s.badge.setProgress, shell.openExternal].map((f) => vi.mocked(f));
    await fc.assert(
      fc.asyncProperty(counted(fc.tuple(fc.constantFrom(...channels), fc.array(argument, { maxLength: 3 }))), async ([channel, args]) => {
        for (const mock of recorded) mock.mockClear();
        const handler = ipcMain.handlers.get(channel);
        if (!handler) throw new Error(`no handler for ${channel}`);
        try {
          await handler({ sender: ours, senderFrame: ours.mainFrame }, ...args);
        } catch (error) {
          // A refusal, or the allow-list saying no to a well-formed but foreign URL: never a crash.
          const allowed = error instanceof IpcRefusedError || (channel === INVOKE.openExternal && String(error).includes('cannot be opened'));
          expect(allowed, String(error)).toBe(true);
        }
        for (const [token] of vi.mocked(s.tokens.save).mock.calls) expect(token === null || (typeof token === 'string' && token.length >= 1 && token.length <= 4096)).toBe(true);
        for (const [notification] of vi.mocked(s.notifier.show).mock.calls) expect(DeskNotificationSchema.safeParse(notification).success).toBe(true);
        for (const [count] of vi.mocked(s.badge.setCount).mock.calls) expect(Number.isInteger(count) && count >= 0 && count <= 1_000_000).toBe(true);
        for (const [fraction] of vi.mocked(s.badge.setProgress).mock.calls) expect(fraction === null || (fraction >= 0 && fraction <= 1)).toBe(true);
        for (const [url] of shell.openExternal.mock.calls as unknown as Array<[string]>) expect(isAllowedExternalUrl(url)).toBe(true);
      }),
      runs,
    );
  });

  it('the external-URL allow-list never throws and lets through only http(s) and mailto without credentials', () => {
    fc.assert(
      fc.property(counted(fc.oneof(urlText, fc.webUrl({ withQueryParameters: true, withFragments: true }).map((u) => u.replace('://', '://user:pass@')))), (raw) => {
        if (!isAllowedExternalUrl(raw)) return;
        const url = new URL(raw);
        expect(['http:', 'https:', 'mailto:']).toContain(url.protocol);
        expect(url.username).toBe('');
        expect(url.password).toBe('');
        expect(raw.length).toBeLessThanOrEqual(2048);
      }),
      runs,
    );
  });
});
