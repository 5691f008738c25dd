/**
 * Builds and starts the server. Used by `npm run server` (cli/server.ts), by tests, by the
 * Playwright setup and by benchmarks (port 0 → a free port), so everything configurable is an
 * option here and only the command-line entries read the environment.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { ROUTES } from '../../shared/api';
import { installAuth } from '../auth/access-hook';
import { AuthService } from '../auth/auth-service';
import { DEFAULT_THROTTLE, type ThrottleOptions } from '../auth/login-throttle';
import type { AppContext } from './context';
import { installCors } from './cors';
import { parseCtiOptions } from '../calls/phone-switch';
import { auditCtiToken } from '../calls/cti-token';
import { reapplyAnonymisations } from '../store/anonymisation-list';
import { apiNotFound, clientErrorHandler, HttpError, installErrorHandling, sendError } from './errors';
import { DEFAULT_LIMITS, rateLimited, type ServerLimits } from './limits';
import { DEFAULT_LIVE, LiveHub } from './live-socket';
import { installSecurityHeaders } from './security-headers';
import { adminRoutes } from '../routes/admin';
import { attachmentRoutes } from '../routes/attachments';
import { authRoutes } from '../routes/auth';
import { callRoutes, ctiRoutes } from '../routes/calls';
import { parseSoftphoneTemplate } from '../../shared/calls';
import { caseRoutes } from '../routes/cases';
import { gdprRoutes } from '../routes/gdpr';
import { syncRoutes } from '../routes/sync';
import { mailRoutes } from '../routes/mail';
import { customerRoutes } from '../routes/customers';
import { reportRoutes } from '../reports/routes';
import { centreRoutes } from '../routes/centre';
import { centreGrantRoutes } from '../routes/centre-grants';
import { centreQaRoutes } from '../routes/centre-qa';
import { centreFileRoutes } from '../routes/centre-files';
import { centreAccountRoutes } from '../routes/centre-account';
import type { DEFAULT_CENTRE_LIVE } from '../centre/centre-live';
import { CentreAuth } from '../centre/centre-auth';
import { escalationRoutes } from '../routes/escalation';
import { EscalationScheduler } from '../escalation/scheduler';
import { applyCalendarExceptions } from '../../shared/calendar';
import { MailChannel, type MailChannelOptions } from '../mail/channel';
import { centreFiles, staticFiles } from './static-files';
import { Checkpointer, DEFAULT_CHECKPOINTS, type CheckpointerOptions } from '../store/checkpointer';
import { securePrivateDir } from '../store/file-modes';
import { dataFile, openStore, type Store } from '../store/store';

export interface StartServerOptions {
  /** An open store, which the server takes over (and closes on `close()`)… */
  store?: Store;
  /** …or the folder of the data file, created if missing. One of the two is required. */
  dataDir?: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The phone switch's secret; a random one when absent (see `RunningServer.ctiToken`). */
  ctiToken?: string;
  /** `DESK_CTI_OPTIONS` syntax: `1=hantverk,+46812345001;2=handel,+46812345002`. */
  ctiOptions?: string;
  /** `DESK_SOFTPHONE_URL`: the softphone link desks call back with, e.g. `sip:{number}`; absent: `tel:`. */
  softphoneUrl?: string | null;
  /** `DESK_ATTACHMENT_MAX_MB`: the largest file accepted (default 25). */
  attachmentMaxMb?: number;
  /** The built renderer to serve at `/`. */
  staticDir?: string | null;
  /** Origins allowed by CORS (default: the Electron renderer's `app://desk`). */
  allowedOrigins?: readonly string[];
  sessionHours?: number;
  /** A session unused this long ends (DESK_SESSION_IDLE_MINUTES; default 60). */
  sessionIdleMinutes?: number;
  throttle?: Partial<ThrottleOptions>;
  /**
   * The reverse proxies (addresses or CIDRs, `DESK_TRUSTED_PROXIES`) whose X-Forwarded-For and
   * X-Forwarded-Proto are believed: then `request.ip` is the client's address as the proxy saw
   * it. Default: nobody's, so a client cannot choose the address the login throttle counts.
   */
  trustedProxies?: readonly string[];
  limits?: Partial<ServerLimits>;
  live?: Partial<typeof DEFAULT_LIVE>;
  /** The customer centre's live socket (server/centre/centre-live.ts): timings, for tests. */
  centreLive?: Partial<typeof DEFAULT_CENTRE_LIVE>;
  /** WAL checkpoints in a worker thread (store/checkpointer.ts). */
  checkpoints?: Partial<CheckpointerOptions>;
  /**
   * The mail channel (DESK_MAILBOXES, DESK_SMTP_URL): mailboxes watched, replies sent. Absent or
   * with no mailbox: the channel is off. `dataDir` defaults to the data file's folder.
   */
  mail?: (Omit<MailChannelOptions, 'dataDir'> & { dataDir?: string }) | null;
  /** JSON logs to stdout (pino); off unless asked for. */
  logger?: boolean;
  /** The customer centre's built web app (renderer/centre/dist), served at `/centre/`. */
  centreDir?: string | null;
  /** `DESK_CENTRE_URL`: the centre's public address for links in its mails; default this server's `/centre/`. */
  centreUrl?: string | null;
  now?: () => Date;
}

export interface RunningServer {
  url: string;
  port: number;
  ctiToken: string;
  store: Store;
  /** Every route registered ("GET /api/cases/:id/events"), HEAD left out: for tests that walk them all. */
  routes: string[];
  /** Graceful: sockets, then HTTP (in-flight requests finish), then the database. */
  close(): Promise<void>;
  /** The SLA escalation scheduler (tests move `now` and call `runDue`). */
  escalation: EscalationScheduler;
  /** The limits in force, read on every request (tests and the benchmark change them live). */
  limits: ServerLimits;
}

const BODY_LIMIT = 1024 * 1024;

/** Keeps the phone switch's secret out of the logs: it is part of the webhook URL. */
const redactUrl = (url: string): string => url.replace(/^\/api\/v1\/cti\/[^/?]*/, '/api/v1/cti/[redacted]');

function loggerOptions(enabled: boolean): FastifyServerOptions['logger'] {
  if (!enabled) return false;
  return {
    level: 'info',
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const store = options.store ?? openStoreIn(options.dataDir);
  const now = options.now ?? ((): Date => new Date());
  const ctiToken = options.ctiToken ?? randomBytes(24).toString('base64url');
  auditCtiToken(store, ctiToken, now());
  // A database restored or copied from before an anonymisation does not bring the person back.
  reapplyAnonymisations(store, now());
  const auth = new AuthService(store, {
    sessionTtlMs: (options.sessionHours ?? 12) * 3_600_000,
    idleMs: (options.sessionIdleMinutes ?? 60) * 60_000,
    throttle: { ...DEFAULT_THROTTLE, ...options.throttle },
    now,
  });
  const live = new LiveHub({
    ...DEFAULT_LIVE,
    ...options.live,
    // A session that must choose a password first gets no live data.
    authenticate: (token) => {
      const session = auth.authenticate(token);
      return session && !session.mustChangePassword ? session : null;
    },
    stillValid: (session) => auth.sessionOf(session.tokenHash) !== null,
    latestSeq: () => store.changes.latestSeq(),
    now,
  });
  let centreUrl = options.centreUrl ?? '';
  const centre = new CentreAuth(store, {
    sessionTtlMs: (options.sessionHours ?? 12) * 3_600_000,
    idleMs: (options.sessionIdleMinutes ?? 60) * 60_000,
    throttle: { ...DEFAULT_THROTTLE, ...options.throttle },
    centreUrl: () => centreUrl,
    fromAddress: (office) => mail?.mailboxOf(office)?.address ?? (office === 'FI' ? 'tuki@softone.fi' : 'support@softone.se'),
    now,
  });
  const checkpoints = new Checkpointer(store.db, store.file, { ...DEFAULT_CHECKPOINTS, ...options.checkpoints }, (error) =>
    app.log.error({ err: error }, 'the WAL checkpointer stopped; SQLite checkpoints in commits again'),
  );
  if (options.attachmentMaxMb !== undefined) store.attachments.maxBytes = Math.round(options.attachmentMaxMb * 1024 * 1024);
  const mail =
    options.mail && options.mail.settings.mailboxes.length > 0
      ? new MailChannel(
          {
            store,
            now,
            poke: (seq) => live.poke(seq),
            reviewCount: (office, count) => live.sendMailReview(office, count),
            log: (level, msg, fields = {}) => app.log[level](fields, msg),
          },
          { ...options.mail, dataDir: options.mail.dataDir ?? dirname(store.file) },
        )
      : null;
  const ctx: AppContext = {
    store,
    mail,
    auth,
    centre,
    get centreUrl() {
      return centreUrl;
    },
    live,
    commits: checkpoints,
    cti: { token: ctiToken, options: parseCtiOptions(options.ctiOptions ?? '') },
    softphoneUrl: options.softphoneUrl == null ? null : parseSoftphoneTemplate(options.softphoneUrl),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    now,
  };

  // The offices' calendar exceptions, before any deadline is computed.
  applyCalendarExceptions(store.calendarExceptions.all(), { replace: true });
  const escalation = new EscalationScheduler({ store, live, now });

  const app = Fastify({
    logger: loggerOptions(options.logger ?? false),
    bodyLimit: BODY_LIMIT,
    requestIdHeader: false,
    // proxy-addr: request.ip is the right-most address no trusted proxy added; false trusts no header.
    trustProxy: options.trustedProxies && options.trustedProxies.length > 0 ? [...options.trustedProxies] : false,
    // The phone switch's secret is a path parameter and may be up to 200 characters
    // (DESK_CTI_TOKEN); at the default 100 a long configured token could never authenticate.
    // Set to Node's header limit so whatever the HTTP parser accepts reaches the validation
    // (401 for a wrong token, a 400 naming the parameter for a bad id), never a router refusal.
    routerOptions: { maxParamLength: 16 * 1024 },
    clientErrorHandler,
    // A malformed URL (bad percent-encoding) is answered before routing: in the contract's shape too.
    frameworkErrors: (_error, _request, reply) => sendError(reply, new HttpError(400, 'invalid_url', 'the URL is not valid')),
  });
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });
  try {
    installErrorHandling(app);
    // First: every answer carries them, refusals by CORS and authentication included.
    await installSecurityHeaders(app, { web: Boolean(options.staticDir) });
    installCors(app, options.allowedOrigins ?? ['app://desk']);
    installAuth(app, auth, centre);
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => rateLimited('requests', context.ttl),
    });
    await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
    app.route({
      method: 'GET',
      url: ROUTES.live,
      config: { access: 'public' },
      handler: async (_request, reply) => sendError(reply, new HttpError(426, 'upgrade_required', 'open a WebSocket here')),
      wsHandler: (socket) => live.accept(socket),
    });
    authRoutes(app, ctx);
    syncRoutes(app, ctx);
    caseRoutes(app, ctx);
    callRoutes(app, ctx);
    // Forms are parsed for the phone switch only (Zammad posts them); everywhere else they are a 415.
    await app.register(async (scope) => ctiRoutes(scope, ctx));
    adminRoutes(app, ctx);
    gdprRoutes(app, ctx);
    // Raw bodies (the file's bytes) are parsed for the upload only.
    await app.register(async (scope) => attachmentRoutes(scope, ctx));
    mailRoutes(app, ctx);
    // The customer register; its import parses CSV bodies (text/csv) in its own scope only.
    await app.register(async (scope) => customerRoutes(scope, ctx));
    reportRoutes(app, ctx);
    centreRoutes(app, ctx);
    centreGrantRoutes(app, ctx);
    centreQaRoutes(app, ctx);
    // The centre's uploads parse raw bodies (the file's bytes) in their own scope only.
    await app.register(async (scope) => centreFileRoutes(scope, ctx));
    centreAccountRoutes(app, ctx, options.centreLive);
    escalationRoutes(app, ctx, escalation);
    const serveStatic = options.staticDir ? staticFiles(options.staticDir) : null;
    const serveCentre = options.centreDir ? centreFiles(options.centreDir) : null;
    app.setNotFoundHandler(async (request, reply) => {
      if (serveCentre && (await serveCentre(request, reply))) return reply;
      if (serveStatic && (await serveStatic(request, reply))) return reply;
      return apiNotFound(reply, request.method, request.url);
    });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ host, port: options.port ?? 0 });
    const { port } = app.server.address() as AddressInfo;
    if (centreUrl === '') centreUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}/centre/`;
    else if (!centreUrl.endsWith('/')) centreUrl += '/';
    mail?.start();
    escalation.start();
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      ctiToken,
      store,
      routes,
      escalation,
      limits: ctx.limits,
      close: () =>
        (closing ??= (async () => {
          escalation.stop();
          live.close();
          await mail?.stop();
          await app.close();
          await checkpoints.stop();
          store.close();
        })()),
    };
  } catch (error) {
    escalation.stop();
    live.close();
    await mail?.stop();
    await app.close();
    await checkpoints.stop();
    store.close();
    throw error;
  }
}

function openStoreIn(dataDir: string | undefined): Store {
  if (dataDir === undefined) throw new Error('startServer needs a store or a dataDir');
  securePrivateDir(dataDir);
  return openStore(dataFile(dataDir));
}
