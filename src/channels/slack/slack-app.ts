import { App, ExpressReceiver } from '@slack/bolt';
import type express from 'express';
import type { CaseActions } from '../../core/cases/case-actions.js';
import type { CaseAudit } from '../../core/cases/case-audit.js';
import type { HandoverDesk } from '../../core/cases/handover-desk.js';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { CaseRepository, SeenRepository } from '../../core/ports/store.js';
import type { WatchDesk } from '../../core/watch/watch-desk.js';
import type { Logger } from '../../logger.js';
import { registerCaseInteractions } from './slack-case-interactions.js';
import { createEventDedupe } from './slack-event-dedupe.js';
import { registerHandoverInteractions } from './slack-handover.js';
import { createSlackLogger } from './slack-logger.js';
import { registerThreadRelay } from './slack-thread-relay.js';
import { registerWatchInteractions } from './slack-watch.js';
import { slackClientOptions } from './slack-web-client.js';
import type { StaffAuthorizer } from './staff-authorizer.js';
import type { StaffText } from './staff-text.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAppOptions {
  /** The service's Express app. Mount before any body parser: Bolt verifies the raw body. */
  app: express.Express;
  signingSecret: string;
  botToken: string;
  apiUrl: string;
  /**
   * The deadline of each Web API call the handlers make through Bolt's client (API_TIMEOUT_MS):
   * ephemeral answers, modals, user lookups. Past it the call fails and the person is told to try
   * again, instead of the handler waiting for ever.
   */
  timeoutMs: number;
  actions: CaseActions;
  cases: CaseRepository;
  seen: SeenRepository;
  config: MunicipalityConfig;
  authorizer: StaffAuthorizer;
  text: StaffText;
  logger: Logger;
  now: () => Date;
  /** 見守り: the case's 見守りを始める button and the outcome buttons; off without it. */
  watch?: WatchDesk | undefined;
  /** Records refused (unauthorised) attempts; optional. */
  audit?: CaseAudit | undefined;
  /** つなぐシート: the alert's button and the reroute modal's offer; without it neither is shown. */
  handover?: Pick<HandoverDesk, 'request' | 'askConsent'> | undefined;
  /** The bot's ids, when known, so Bolt can recognise its own messages. Never required. */
  botId?: string | undefined;
  botUserId?: string | undefined;
  /** Tests: let handlers finish before the HTTP response. Production acks first (Slack wants 3 s). */
  processBeforeResponse?: boolean;
}

/**
 * The Slack side of the staff channel on the service's own Express server: Events API and
 * interactivity at POST /slack/events. Bolt's receiver checks the signing secret and refuses
 * requests older than five minutes (401) before anything here runs, and answers url_verification.
 */
export function mountSlackApp(options: SlackAppOptions): { boltApp: App } {
  const logger = options.logger.child({ channel: 'slack', component: 'slack-app' });
  const slackLogger = createSlackLogger(logger);
  const receiver = new ExpressReceiver({
    signingSecret: options.signingSecret,
    app: options.app,
    endpoints: SLACK_EVENTS_PATH,
    processBeforeResponse: options.processBeforeResponse ?? false,
    logger: slackLogger,
  });
  const { botToken, botId, botUserId } = options;
  const boltApp = new App({
    receiver,
    // A fixed single-workspace authorisation: no auth.test call at start-up or per request, so
    // neither a slow Slack at boot nor its failure can leave the app unable to authorise events.
    authorize: async () => ({ botToken, botId, botUserId }),
    // The same options as the outbox's client, deadline included (Bolt adds its own logger).
    clientOptions: slackClientOptions({ apiUrl: options.apiUrl, timeoutMs: options.timeoutMs }),
    logger: slackLogger,
    convoStore: false,
  });
  boltApp.error(async (error) => {
    logger.error({ err: error }, 'Slack request handling failed');
  });
  boltApp.use(createEventDedupe(options.seen, options.now, logger));
  const deps = {
    actions: options.actions,
    cases: options.cases,
    config: options.config,
    authorizer: options.authorizer,
    text: options.text,
    logger,
    audit: options.audit,
  };
  registerCaseInteractions(boltApp, { ...deps, handover: options.handover });
  if (options.handover) registerHandoverInteractions(boltApp, { ...deps, handover: options.handover });
  registerThreadRelay(boltApp, deps);
  if (options.watch) registerWatchInteractions(boltApp, { ...deps, watch: options.watch });
  return { boltApp };
}
