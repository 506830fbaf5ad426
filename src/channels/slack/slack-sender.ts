import type { HandoverDesk } from '../../core/cases/handover-desk.js';
import { intakeAttachments } from '../../core/cases/intake.js';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { ChannelSender, SendResult } from '../../core/ports/channel-sender.js';
import type { MediaKind } from '../../core/ports/incoming-event.js';
import type { StaffNotice, ThreadNote } from '../../core/ports/staff-notice.js';
import type { CaseRecord, CaseRepository, OutboxRecord, StaffThreadRef } from '../../core/ports/store.js';
import { renderHandoverPdf } from '../../documents/handover-sheet-pdf.js';
import type { Logger } from '../../logger.js';
import { renderAlert, renderMovedAlert } from './slack-alert.js';
import { callSlack, mayHaveLanded, SlackCallError } from './slack-call-error.js';
import { findPosted, findPostedParts, noticeMetadata } from './slack-earlier-posts.js';
import { renderHandoverMessage } from './slack-handover.js';
import type { SlackMessage } from './slack-message.js';
import {
  mediaUploadComment,
  RESIDENT_CONTENT_BLOCK,
  renderEscalation,
  renderIntake,
  renderMediaDescription,
  renderResidentLocation,
  renderResidentSticker,
  renderResidentText,
  renderSimpleNote,
  renderSupervisorEscalation,
  renderSupervisorTold,
} from './slack-thread-notes.js';
import { renderWatchNote } from './slack-watch.js';
import type { SlackWebClient } from './slack-web-client.js';
import type { StaffText } from './staff-text.js';

/** Fetches a resident's image or file by its content id (the LINE blob client); null when it is gone. */
export type MediaFetcher = (contentId: string) => Promise<{ data: Buffer; contentType?: string } | null>;

export interface SlackSenderOptions {
  client: SlackWebClient;
  cases: Pick<CaseRepository, 'get' | 'amend'>;
  config: MunicipalityConfig;
  /** SLACK_HANDOFF_CHANNEL: where the alerts of windows without their own channel go. */
  fallbackChannel: string | undefined;
  text: StaffText;
  logger: Logger;
  fetchMedia?: MediaFetcher | undefined;
  /** Builds a つなぐシート from the case when its notice is delivered (HandoverDesk.build). */
  handover?: Pick<HandoverDesk, 'build'> | undefined;
}

/** Platform errors that mean "that alert message is gone": post a fresh one instead of updating. */
const ALERT_GONE = new Set(['message_not_found', 'cant_update_message', 'channel_not_found', 'is_archived']);
/** The alert is posted first; a thread note waiting for it comes back shortly. */
const ALERT_WAIT_MS = 5_000;
/** The error of a thread note that waited for its alert: that attempt posted nothing. */
const ALERT_NOT_POSTED = 'slack: the case alert is not posted yet';
/** The part of a thread note posted in the supervisor channel rather than in the thread. */
const SUPERVISOR_PART = 'supervisor';

/**
 * One delivery of a thread note: the outbox item, whether this is a retry after an attempt that may
 * have posted some of it, and the parts of it that such an attempt posted in the thread (found by
 * their metadata), which are not posted again.
 */
interface NoteDelivery {
  item: OutboxRecord;
  retry: boolean;
  posted: ReadonlySet<string>;
  log: Logger;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'audio/x-m4a': 'm4a',
  'audio/mp4': 'm4a',
  'application/pdf': 'pdf',
};

/**
 * Delivers staff notices to Slack: the case's alert in its window's channel, and the notes of the
 * case thread. It reads the case when it delivers, so what staff see is the current state.
 */
export class SlackSender implements ChannelSender {
  readonly channel = 'slack' as const;
  private readonly log: Logger;

  constructor(private readonly options: SlackSenderOptions) {
    this.log = options.logger.child({ channel: 'slack', component: 'slack-sender' });
  }

  async send(item: OutboxRecord, now: Date): Promise<SendResult> {
    const notice = item.notice;
    if (!notice) return { kind: 'failed', error: 'slack: outbox item carries no staff notice' };
    const log = this.log.child({ outboxId: item.id, caseId: notice.caseId, notice: describe(notice) });
    try {
      const record = await this.options.cases.get(notice.caseId);
      if (!record) return { kind: 'failed', error: `slack: case ${notice.caseId} not found` };
      const result =
        notice.kind === 'alert'
          ? await this.showAlert(record, item, now, log)
          : await this.postNote(record, item, notice.note, now, log);
      if (result.kind === 'sent') log.debug('delivered to Slack');
      else log.warn({ error: result.error }, 'Slack delivery did not succeed');
      return result;
    } catch (error) {
      if (error instanceof SlackCallError) {
        log.warn({ error: error.result.error, result: error.result.kind }, 'Slack API call failed');
        return error.result;
      }
      log.error({ err: error }, 'staff notice could not be delivered');
      return {
        kind: 'retry',
        error: `slack: ${error instanceof Error ? error.message : String(error)}`,
        replyTokenSpent: false,
      };
    }
  }

  /** The channel a case's alert belongs in now: its window's, else the handoff channel. */
  private targetChannel(record: CaseRecord): string | undefined {
    return (
      this.options.config.windows.find((w) => w.id === record.windowId)?.slackChannel ??
      this.options.fallbackChannel
    );
  }

  /**
   * Whether the alert already sits in the target channel. Slack answers with the channel's id; a
   * SLACK_HANDOFF_CHANNEL given by name ("#soudan") is matched as "not any window's own channel".
   */
  private sameChannel(posted: string, target: string): boolean {
    if (posted === target) return true;
    if (/^[CG][A-Z0-9]+$/.test(target)) return false;
    return !this.options.config.windows.some((w) => w.slackChannel === posted);
  }

  private async showAlert(
    record: CaseRecord,
    item: OutboxRecord,
    now: Date,
    log: Logger,
  ): Promise<SendResult> {
    const { client, text, config } = this.options;
    const channel = this.targetChannel(record);
    if (!channel)
      return {
        kind: 'failed',
        error: `slack: no channel for window ${record.windowId} and no SLACK_HANDOFF_CHANNEL`,
      };
    const existing = record.staffThread;
    if (existing && this.sameChannel(existing.channel, channel)) {
      const message = renderAlert(record, { text, config, now, mentionOnCall: false });
      try {
        await callSlack('chat.update', () =>
          client.chat.update({ channel: existing.channel, ts: existing.ts, ...message }),
        );
        return { kind: 'sent' };
      } catch (error) {
        if (!(error instanceof SlackCallError) || !ALERT_GONE.has(error.platformError ?? '')) throw error;
        log.warn({ error: error.result.error }, 'the alert message is gone; posting it again');
      }
    } else if (existing) {
      // Moved to another window: the old alert says where it went, before the new one is posted, so a
      // retry after a failure here still knows where the old one is.
      try {
        const moved = renderMovedAlert(record, text);
        await callSlack('chat.update', () =>
          client.chat.update({ channel: existing.channel, ts: existing.ts, ...moved }),
        );
      } catch (error) {
        if (!(error instanceof SlackCallError) || error.result.kind === 'retry') throw error;
        log.warn({ error: error.result.error }, 'the old alert could not be marked as moved');
      }
    }
    // An earlier attempt may have posted the alert without its answer reaching us (a timeout, a lost
    // connection): if Slack has it, that one is the alert, and posting again would show it twice.
    const landed = mayHaveLanded(item)
      ? await findPosted(this.options.client, channel, item, log)
      : undefined;
    let staffThread: StaffThreadRef;
    if (landed) {
      log.info({ ts: landed.ts }, 'an earlier attempt posted the alert; not posting it again');
      staffThread = landed;
    } else {
      const message = renderAlert(record, { text, config, now, mentionOnCall: true });
      const posted = await callSlack('chat.postMessage', () =>
        client.chat.postMessage({
          channel,
          ...message,
          ...NO_UNFURL,
          metadata: noticeMetadata(item.id),
        }),
      );
      staffThread = { channel: posted.channel ?? channel, ts: posted.ts as string };
    }
    const amended = await this.options.cases.amend(record.id, { staffThread }, now);
    if (!amended)
      log.warn({ caseNumber: record.number }, 'alert posted, but the case could not record where (erased?)');
    return { kind: 'sent' };
  }

  private async postNote(
    record: CaseRecord,
    item: OutboxRecord,
    note: ThreadNote,
    now: Date,
    log: Logger,
  ): Promise<SendResult> {
    const thread = record.staffThread;
    if (!thread) {
      return {
        kind: 'retry',
        error: ALERT_NOT_POSTED,
        retryAfterMs: ALERT_WAIT_MS,
        replyTokenSpent: false,
      };
    }
    const { text: s, config } = this.options;
    // An earlier attempt may have posted some of the note: the parts before the one that failed, and
    // that one too when its answer never came. What the thread already holds is not posted again.
    // Every retry looks (a rate limit on a later part says nothing of the earlier ones), except one
    // after waiting for the alert, which posted nothing.
    const retry = item.attempts > 0 && item.lastError !== ALERT_NOT_POSTED;
    const delivery: NoteDelivery = {
      item,
      retry,
      posted: retry ? await findPostedParts(this.options.client, thread, item, log) : new Set(),
      log,
    };
    switch (note.type) {
      case 'intake':
        await this.post(thread, renderIntake(record, s, now), delivery, 'intake');
        for (const [index, attachment] of intakeAttachments(record.answers).entries())
          await this.relayMedia(record, thread, attachment, undefined, delivery, `media-${index}`);
        break;
      case 'resident-message': {
        const content = note.content;
        if (content.type === 'text')
          await this.post(thread, renderResidentText(record, content.text, s), delivery);
        else if (content.type === 'sticker')
          await this.post(thread, renderResidentSticker(record, s), delivery);
        else if (content.type === 'location')
          await this.post(thread, renderResidentLocation(record, content, s), delivery);
        else if (content.type === 'media')
          await this.relayMedia(record, thread, content, content.fileName, delivery, 'media');
        else log.debug({ contentType: content.type }, 'nothing to relay for this kind of event');
        break;
      }
      case 'escalation':
        await this.escalate(record, thread, note.level, note.waitingMinutes, delivery);
        break;
      case 'accepted':
        // The alert shows the owner to everyone at once; then the thread says who took it.
        await this.showAlert(record, item, now, log);
        await this.post(thread, renderSimpleNote(record, note, s, config), delivery);
        break;
      case 'erased':
        await this.removeResidentContent(thread, log);
        await this.post(thread, renderSimpleNote(record, note, s, config), delivery);
        await this.showAlert(record, item, now, log);
        break;
      case 'handover-sheet':
        await this.postHandoverSheet(record, thread, note, delivery);
        break;
      case 'crisis':
        await this.post(thread, renderSimpleNote(record, note, s, config), delivery, 'note', {
          broadcast: true,
        });
        break;
      case 'watch': {
        const { broadcast, ...message } = renderWatchNote(record, note.watch, s, config);
        await this.post(thread, message, delivery, 'note', { broadcast });
        break;
      }
      default:
        await this.post(thread, renderSimpleNote(record, note, s, config), delivery);
    }
    return { kind: 'sent' };
  }

  /**
   * The resident erased their data: the copies the bot put in the thread go too (their words, place
   * and phone, and the files they sent). Staff's own messages stay; they are staff's record.
   */
  private async removeResidentContent(thread: StaffThreadRef, log: Logger): Promise<void> {
    const { client } = this.options;
    let removed = 0;
    let cursor: string | undefined;
    let botUser: string | undefined;
    do {
      const page = await callSlack('conversations.replies', () =>
        client.conversations.replies({
          channel: thread.channel,
          ts: thread.ts,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const message of page.messages ?? []) {
        // The alert opens the thread and was posted by this bot: its author is the bot user.
        if (message.ts === thread.ts) {
          botUser = message.user;
          continue;
        }
        const marked = (message.blocks ?? []).some((b) => b.block_id === RESIDENT_CONTENT_BLOCK);
        const files = botUser && message.user === botUser ? (message.files ?? []) : [];
        for (const file of files) {
          if (file.id)
            await ignoreGone(() =>
              callSlack('files.delete', () => client.files.delete({ file: file.id as string })),
            );
        }
        if ((marked || files.length > 0) && message.ts) {
          const ts = message.ts;
          await ignoreGone(() =>
            callSlack('chat.delete', () => client.chat.delete({ channel: thread.channel, ts })),
          );
          removed++;
        }
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    log.info({ removed }, 'resident content removed from the case thread after erasure');
  }

  /**
   * A つなぐシート in the thread: the printable PDF (uploaded by the bot, so erasure deletes it with the
   * resident's files), then the Markdown (marked as resident content). The Markdown carries the
   * outbox id: once it is there a retry posts neither again.
   */
  private async postHandoverSheet(
    record: CaseRecord,
    thread: StaffThreadRef,
    note: Extract<ThreadNote, { type: 'handover-sheet' }>,
    delivery: NoteDelivery,
  ): Promise<void> {
    const { client, handover, text: s } = this.options;
    if (!handover) {
      delivery.log.warn('a handover sheet was asked for, but this sender cannot build one');
      return;
    }
    if (delivery.posted.has('handover')) {
      delivery.log.info({ part: 'handover' }, 'an earlier attempt posted this; not posting it again');
      return;
    }
    const sheet = await handover.build(record, note.windowId, note.consent, note.staffName);
    const pdf = await renderHandoverPdf(sheet);
    await callSlack('files.uploadV2', () =>
      client.files.uploadV2({
        channel_id: thread.channel,
        thread_ts: thread.ts,
        file: pdf,
        filename: sheet.fileName,
        title: sheet.fileName,
        initial_comment: s.t('handover.thread.pdf-comment'),
      }),
    );
    await this.post(thread, renderHandoverMessage(sheet, note.staffId, s), delivery, 'handover');
  }

  private async escalate(
    record: CaseRecord,
    thread: StaffThreadRef,
    level: 1 | 2,
    minutes: number,
    delivery: NoteDelivery,
  ): Promise<void> {
    const { text: s, config } = this.options;
    const supervisors = config.escalation.supervisorChannel;
    if (level === 1 || !supervisors) {
      await this.post(thread, renderEscalation(record, minutes, s, config), delivery, 'note', {
        broadcast: true,
      });
      return;
    }
    // The supervisors are told before the thread says so: a thread that says so needs no look.
    const { item, log } = delivery;
    const alreadyTold =
      delivery.posted.has('note') ||
      (delivery.retry &&
        (await findPosted(this.options.client, supervisors, item, log, SUPERVISOR_PART)) !== undefined);
    if (alreadyTold)
      log.info({ part: SUPERVISOR_PART }, 'an earlier attempt posted this; not posting it again');
    else await this.tellSupervisors(record, thread, supervisors, minutes, item);
    await this.post(thread, renderSupervisorTold(record, s), delivery);
  }

  /** Level 2: the supervisor channel hears of the case, with a link to its thread when Slack gives one. */
  private async tellSupervisors(
    record: CaseRecord,
    thread: StaffThreadRef,
    supervisors: string,
    minutes: number,
    item: OutboxRecord,
  ): Promise<void> {
    const { client, text: s, config } = this.options;
    let permalink: string | undefined;
    try {
      const answer = await callSlack('chat.getPermalink', () =>
        client.chat.getPermalink({ channel: thread.channel, message_ts: thread.ts }),
      );
      permalink = answer.permalink;
    } catch (error) {
      // Without the link the supervisors still learn the case number and window.
      if (!(error instanceof SlackCallError) || error.result.kind === 'retry') throw error;
    }
    const message = renderSupervisorEscalation(record, minutes, permalink, s, config);
    await callSlack('chat.postMessage', () =>
      client.chat.postMessage({
        channel: supervisors,
        ...message,
        ...NO_UNFURL,
        metadata: noticeMetadata(item.id, SUPERVISOR_PART),
      }),
    );
  }

  /**
   * A resident's image or file, uploaded into the thread; described instead when that fails. An
   * upload carries no metadata, so only the description (`part`) is recognised on a retry: when it
   * is there, the upload failed the first time and is not tried again.
   */
  private async relayMedia(
    record: CaseRecord,
    thread: StaffThreadRef,
    { media, contentId }: { media: MediaKind; contentId: string },
    fileName: string | undefined,
    delivery: NoteDelivery,
    part: string,
  ): Promise<void> {
    const { client, fetchMedia, text: s } = this.options;
    const { log } = delivery;
    if (delivery.posted.has(part)) {
      log.info({ part }, 'an earlier attempt posted this; not posting it again');
      return;
    }
    try {
      const content = fetchMedia ? await fetchMedia(contentId) : null;
      if (content) {
        await callSlack('files.uploadV2', () =>
          client.files.uploadV2({
            channel_id: thread.channel,
            thread_ts: thread.ts,
            file: content.data,
            filename: safeFileName(fileName, media, content.contentType, record.number),
            initial_comment: mediaUploadComment(media, s),
          }),
        );
        return;
      }
      log.info({ media }, 'resident media not available; describing it instead');
    } catch (error) {
      const reason =
        error instanceof SlackCallError
          ? error.result.error
          : error instanceof Error
            ? error.message
            : String(error);
      log.warn({ media, error: reason }, 'resident media could not be uploaded; describing it instead');
    }
    await this.post(thread, renderMediaDescription(record, media, s), delivery, part);
  }

  /**
   * One message of a thread note in the case thread, carrying the outbox id and its `part` (each post
   * of one note has its own) in its metadata; skipped when an earlier attempt already posted it.
   */
  private async post(
    thread: StaffThreadRef,
    message: SlackMessage,
    delivery: NoteDelivery,
    part = 'note',
    options: { broadcast?: boolean } = {},
  ): Promise<void> {
    if (delivery.posted.has(part)) {
      delivery.log.info({ part }, 'an earlier attempt posted this; not posting it again');
      return;
    }
    const { client } = this.options;
    const args = {
      channel: thread.channel,
      thread_ts: thread.ts,
      ...message,
      ...NO_UNFURL,
      metadata: noticeMetadata(delivery.item.id, part),
    };
    await callSlack('chat.postMessage', () =>
      options.broadcast
        ? client.chat.postMessage({ ...args, reply_broadcast: true })
        : client.chat.postMessage(args),
    );
  }
}

/** Nothing staff are shown expands into a preview fetched from somewhere else. */
const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

function describe(notice: StaffNotice): string {
  return notice.kind === 'alert' ? 'alert' : notice.note.type;
}

/**
 * A file name Slack can show: the resident's own name only when it is tame (it is shown as the file's
 * title), else one made from the case number and the content type.
 */
function safeFileName(
  fileName: string | undefined,
  media: MediaKind,
  contentType: string | undefined,
  number: string,
): string {
  const tame = fileName
    ?.normalize('NFC')
    .replace(/[^\p{L}\p{N}._ -]/gu, '')
    .trim();
  if (tame && tame.length <= 100 && !tame.startsWith('.')) return tame;
  const extension = (contentType && EXTENSIONS[contentType.split(';')[0]?.trim() ?? '']) ?? 'bin';
  return `${number}-${media}.${extension}`;
}

/** Deleting what is already gone is done. */
async function ignoreGone(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    const gone = ['message_not_found', 'file_not_found', 'file_deleted'];
    if (error instanceof SlackCallError && gone.includes(error.platformError ?? '')) return;
    throw error;
  }
}
