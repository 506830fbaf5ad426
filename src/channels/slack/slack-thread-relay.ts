import type { App } from '@slack/bolt';
import type { CaseActions } from '../../core/cases/case-actions.js';
import type { CaseAudit } from '../../core/cases/case-audit.js';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { CaseRepository } from '../../core/ports/store.js';
import type { Logger } from '../../logger.js';
import { slackToPlainText } from './slack-markup.js';
import { refuse, replyRefusal, type StaffSpot, staffRefOf, tellStaff } from './slack-staff-feedback.js';
import type { SlackWebClient } from './slack-web-client.js';
import type { StaffAuthorizer } from './staff-authorizer.js';
import type { StaffText } from './staff-text.js';

/**
 * The documented prefix that sends a thread message to the resident (README: "返信:" or "reply:").
 * Everything else said in a case thread stays among staff.
 */
const REPLY_PREFIX = /^\s*(?:返信\s*[:：]|reply\s*:)\s*/i;

export interface ThreadRelayDeps {
  actions: CaseActions;
  cases: Pick<CaseRepository, 'findByStaffThread'>;
  config: MunicipalityConfig;
  authorizer: StaffAuthorizer;
  text: StaffText;
  logger: Logger;
  audit?: CaseAudit | undefined;
}

/** The fields of a `message` event this relay reads. */
interface ThreadMessage {
  type: 'message';
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
}

/** Where in Slack a thread reply was written, and by whom. */
type ThreadSpot = StaffSpot & { channel: string; threadTs: string };

/** The part after the prefix, or undefined when the message is not meant for the resident. */
export function replyText(text: string | undefined): string | undefined {
  const match = text?.match(REPLY_PREFIX);
  if (!text || !match) return undefined;
  return text.slice(match[0].length);
}

/**
 * Staff replies typed in a case thread: `message.channels` / `message.groups` events whose thread is a
 * case alert. Only a message that starts with the prefix reaches the resident, and only from
 * someone authorised for the case's window.
 */
export function registerThreadRelay(app: App, deps: ThreadRelayDeps): void {
  const { actions, authorizer, config, text: s } = deps;
  const log = deps.logger.child({ component: 'slack-thread-relay' });

  app.event('message', async ({ event, client }) => {
    const message = event as unknown as ThreadMessage;
    // Edits, joins, file shares and every bot (this one included) are not staff replies.
    if (message.subtype || message.bot_id || !message.user) return;
    if (message.channel_type !== 'channel' && message.channel_type !== 'group') return;
    if (!message.thread_ts || message.thread_ts === message.ts) return;
    const raw = replyText(message.text);
    if (raw === undefined) return;

    const spot: ThreadSpot = { user: message.user, channel: message.channel, threadTs: message.thread_ts };
    try {
      await relay(client, spot, message.ts, raw);
    } catch (error) {
      // The event is already marked as seen: say so, or the reply would vanish without a word.
      log.error({ err: error }, 'staff reply could not be relayed');
      await tellStaff(client, spot, s.t('staff.ephemeral.error'), log);
    }
  });

  async function relay(client: SlackWebClient, spot: ThreadSpot, ts: string, raw: string) {
    const record = await deps.cases.findByStaffThread(spot.channel, spot.threadTs);
    if (!record) return;
    if (!(await authorizer.canAct(spot.user, record.windowId))) {
      await refuse({ client, text: s, logger: log, audit: deps.audit }, spot, record, 'reply');
      return;
    }
    const reply = slackToPlainText(raw).trim();
    if (!reply) {
      await tellStaff(client, spot, s.t('staff.ephemeral.reply.empty'), log);
      return;
    }
    // The message's ts is the reply's id: the same event delivered again is sent once.
    const result = await actions.reply(
      record.id,
      await staffRefOf(client, spot.user, config, log),
      reply,
      `msg-${ts}`,
    );
    if (result.kind === 'queued')
      log.info({ caseNumber: record.number }, 'staff reply queued for the resident');
    else await tellStaff(client, spot, replyRefusal(s, result), log);
  }
}
