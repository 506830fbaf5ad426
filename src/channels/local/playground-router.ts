import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { projectRoot } from '../../config.js';
import type { CaseActions } from '../../core/cases/case-actions.js';
import type { HandoverDesk } from '../../core/cases/handover-desk.js';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { IncomingEvent } from '../../core/ports/incoming-event.js';
import type { CaseRecord, CaseRepository, CaseStatus } from '../../core/ports/store.js';
import type { Translator } from '../../core/ports/translator.js';
import { isLoopbackAddress } from '../../http/is-loopback.js';
import { type LocaleResources, SOURCE_LANGUAGE } from '../../i18n/load-locales.js';
import type { Logger } from '../../logger.js';
import {
  convertResidentEvent,
  type ResidentEventBody,
  residentEventSchema,
  residentIdSchema,
} from './local-event-converter.js';
import type { LocalSender, ResidentBubble } from './local-sender.js';
import { mountCaseRoutes } from './playground-case-routes.js';
import { mountHandoverRoutes } from './playground-handover-routes.js';
import { cursorQuerySchema, languageQuerySchema, parseOr400, type StaffId } from './playground-schemas.js';
import { mountWatchRoutes, type WatchRoutesOptions } from './playground-watch-routes.js';
import { type FeedEntryView, renderCaseView, renderFeedEntry, type ViewContext } from './staff-pane-view.js';

export interface PlaygroundRouterOptions {
  /** Persists events in the core's inbox (as the LINE webhook does); resolves once they are stored. */
  ingest: (events: IncomingEvent[]) => Promise<void>;
  /** The 'local' channel's sender: the panes read what it delivered. */
  sender: LocalSender;
  actions: CaseActions;
  cases: CaseRepository;
  config: MunicipalityConfig;
  translator: Translator;
  /** つなぐシート (the staff pane's button); without it the routes are not there. */
  handover?: Pick<HandoverDesk, 'request' | 'build' | 'askConsent'> | undefined;
  /** The loaded locales: the page's own texts are their `playground` namespace. */
  locales: LocaleResources;
  logger: Logger;
  now: () => Date;
  /** Where the page's files are (src/channels/local/public by default). */
  publicDir?: string;
  /**
   * Host names the playground answers to (the Host header, without port). Loopback names by default,
   * so a web page elsewhere cannot reach it through DNS rebinding. Add a name when serving it beyond
   * localhost on purpose.
   */
  allowedHosts?: readonly string[];
  /** 見守り: the staff pane's buttons and the practice clock; off without it. */
  watch?: Omit<WatchRoutesOptions, 'config' | 'logger' | 'now'> | undefined;
}

const API = '/playground/api';
const BODY_LIMIT = '16kb';
const CASES_PER_STATUS = 100;
const PAGE_NAMESPACE = 'playground';
const HANDOVER_NAMESPACE = 'handover';
/** 見守り keeps its texts apart; the page takes its `playground.` and staff-facing `staff.watch.` ones. */
const WATCH_NAMESPACE = 'watch';
const pageTextsOf = (texts: Record<string, string> | undefined) =>
  Object.fromEntries(
    Object.entries(texts ?? {}).filter(
      ([key]) => key.startsWith('playground.') || key.startsWith('staff.watch.'),
    ),
  );
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

// The page loads nothing from elsewhere and is never framed; inline script and style are refused too.
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/**
 * The local playground: a resident pane (like a LINE chat) and a staff pane (like a Slack channel)
 * driving the real engine, routing, cases and outbox through the 'local' channel. This router is
 * the channel's edge: it converts the panes' requests into incoming events and staff actions, and
 * reads back what LocalSender delivered.
 */
export function createPlaygroundRouter(options: PlaygroundRouterOptions): express.Router {
  const { sender, translator, config, now } = options;
  const log = options.logger.child({ channel: 'local', component: 'playground' });
  const publicDir = options.publicDir ?? path.join(projectRoot, 'src', 'channels', 'local', 'public');
  const router = express.Router();

  const languageOf = (req: Request): string => {
    const lang = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    return translator.negotiate(lang);
  };
  const context = (req: Request): ViewContext => {
    const language = languageOf(req);
    return { config, language, t: translator.forLanguage(language), now: now() };
  };
  const staffName = (id: StaffId) => translator.forLanguage(SOURCE_LANGUAGE)(`playground.staff.${id}`);

  const allowedHosts = new Set((options.allowedHosts ?? LOOPBACK_HOSTS).map((h) => h.toLowerCase()));
  const guard = (req: Request, res: Response, next: NextFunction) => {
    res.set(SECURITY_HEADERS);
    // The playground writes as any resident and shows every case: only this machine may use it,
    // whatever interface the service is bound to and whatever Host header the client sends.
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      log.warn('playground request from another machine refused');
      res.status(403).json({ error: 'loopback_only' });
      return;
    }
    if (!allowedHosts.has(hostName(req.get('host')))) {
      log.warn('playground request for a host it does not serve refused');
      res.status(403).json({ error: 'host_not_allowed' });
      return;
    }
    next();
  };
  router.get('/', guard);
  router.use('/playground', guard);
  router.use(API, express.json({ limit: BODY_LIMIT }));

  router.post(`${API}/residents/:residentId/events`, async (req, res) => {
    const residentId = parseOr400(residentIdSchema, req.params.residentId, res, 'residentId');
    const body = residentId && parseOr400(residentEventSchema, req.body, res, 'body');
    if (!residentId || !body) return;
    const at = now();
    const event = convertResidentEvent(residentId, body, at);
    // Drawn first, so the resident's bubble always comes before the answer to it.
    const bubble = bubbleOf(body, (data) => sender.choiceLabel(residentId, data));
    if (bubble) sender.recordResident(residentId, bubble, at);
    try {
      await options.ingest([event]);
    } catch (error) {
      log.error({ err: error, eventId: event.id }, 'playground event could not be stored');
      res.status(503).json({ error: 'ingest_failed' });
      return;
    }
    res.status(202).json({ id: event.id });
  });

  router.get(`${API}/residents`, (_req, res) => {
    res.json({ epoch: sender.epoch, residents: sender.residents() });
  });

  router.get(`${API}/residents/:residentId/messages`, (req, res) => {
    const residentId = parseOr400(residentIdSchema, req.params.residentId, res, 'residentId');
    const query = residentId && parseOr400(cursorQuerySchema, req.query, res, 'query');
    if (!residentId || !query) return;
    res.json(sender.messagesAfter(residentId, query.after));
  });

  router.get(`${API}/staff/feed`, async (req, res) => {
    const query = parseOr400(cursorQuerySchema, req.query, res, 'query');
    if (!query) return;
    const page = sender.feedAfter(query.after, query.caseId);
    const ctx = context(req);
    // Each notice is drawn from the case as it is now, as the Slack adapter does when it delivers one.
    const records = new Map<string, CaseRecord | null>();
    const entries: FeedEntryView[] = [];
    for (const entry of page.entries) {
      let record = records.get(entry.caseId);
      if (record === undefined) {
        record = await options.cases.get(entry.caseId);
        records.set(entry.caseId, record);
      }
      entries.push(renderFeedEntry(entry, record, ctx));
    }
    res.json({ epoch: page.epoch, latest: page.latest, entries });
  });

  router.get(`${API}/cases`, async (req, res) => {
    if (!parseOr400(languageQuerySchema, req.query, res, 'query')) return;
    const ctx = context(req);
    const statuses: CaseStatus[] = ['pending', 'assigned', 'closed'];
    const lists = await Promise.all(statuses.map((s) => options.cases.listByStatus(s, CASES_PER_STATUS)));
    const cases = lists
      .flat()
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((record) => renderCaseView(record, ctx));
    res.json({ cases });
  });

  router.get(`${API}/windows`, (req, res) => {
    if (!parseOr400(languageQuerySchema, req.query, res, 'query')) return;
    const language = languageOf(req);
    res.json({
      windows: config.windows.map((w) => ({
        id: w.id,
        kind: w.kind,
        name: (w.names as Record<string, string>)[language] ?? w.names.ja,
      })),
    });
  });

  router.get(`${API}/texts`, (req, res) => {
    if (!parseOr400(languageQuerySchema, req.query, res, 'query')) return;
    const language = languageOf(req);
    const source = translator.forLanguage(SOURCE_LANGUAGE);
    res.json({
      language,
      city: (config.municipality.names as Record<string, string>)[language] ?? config.municipality.names.ja,
      languages: translator.languages.map((id) => ({ id, name: source(`language.name.${id}`) })),
      texts: {
        ...options.locales[SOURCE_LANGUAGE]?.[PAGE_NAMESPACE],
        ...options.locales[language]?.[PAGE_NAMESPACE],
        // The staff pane's つなぐシート button and form (Slack's use the same words).
        ...options.locales[SOURCE_LANGUAGE]?.[HANDOVER_NAMESPACE],
        ...options.locales[language]?.[HANDOVER_NAMESPACE],
        ...pageTextsOf(options.locales[SOURCE_LANGUAGE]?.[WATCH_NAMESPACE]),
        ...pageTextsOf(options.locales[language]?.[WATCH_NAMESPACE]),
      },
    });
  });

  mountCaseRoutes(router, {
    actions: options.actions,
    sender,
    logger: log,
    now,
    view: (record, req) => renderCaseView(record, context(req)),
    staffName,
  });
  if (options.handover)
    mountHandoverRoutes(router, { handover: options.handover, cases: options.cases, logger: log, staffName });

  if (options.watch) mountWatchRoutes(router, { ...options.watch, config, logger: log, now });

  router.use(API, (_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  router.get('/', (_req, res) => {
    res.sendFile(path.join(publicDir, 'index.html'));
  });
  router.use('/playground', express.static(publicDir, { index: 'index.html', fallthrough: true }));

  router.use(API, (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const { type } = (err ?? {}) as { type?: unknown };
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: 'malformed_json', message: 'the body is not valid JSON' });
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json({ error: 'payload_too_large', message: `bodies are limited to ${BODY_LIMIT}` });
      return;
    }
    log.error({ err }, 'playground request failed');
    res.status(500).json({ error: 'internal_error' });
  });

  return router;
}

/** The bubble the resident pane draws for what the resident sent; a tap shows its button's text. */
function bubbleOf(
  body: ResidentEventBody,
  labelOf: (data: string) => string | undefined,
): ResidentBubble | undefined {
  if (body.type !== 'choice') return body;
  const label = labelOf(body.data);
  return label ? { type: 'choice', label } : undefined;
}

/** "localhost:3000" → "localhost", "[::1]:3000" → "[::1]". */
function hostName(host: string | undefined): string {
  const value = (host ?? '').trim().toLowerCase();
  return value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : (value.split(':')[0] ?? '');
}
