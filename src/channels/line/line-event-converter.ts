import type { IncomingContent, IncomingEvent } from '../../core/ports/incoming-event.js';
import { type LineKnownEvent, lineWebhookBodySchema } from './line-webhook-schema.js';

export type LineIgnoreReason =
  | 'unsupported_event_type'
  | 'unsupported_message_type'
  /** Another channel (e.g. a chat-mode inbox) owns the conversation: answering would talk over it. */
  | 'standby_mode'
  /** Group and room chats are never answered: a consultation must not be shown to other members. */
  | 'not_one_to_one_chat'
  | 'no_user_id';

export interface IgnoredLineEvent {
  webhookEventId?: string | undefined;
  /** The LINE event type, or `message.<type>` for a message we do not handle. */
  type: string;
  reason: LineIgnoreReason;
}

export interface LineBodyIssue {
  /** Dotted path into the body, e.g. `events.0.webhookEventId`. */
  path: string;
  message: string;
}

export type LineConversion =
  | { kind: 'converted'; events: IncomingEvent[]; ignored: IgnoredLineEvent[] }
  /** The sender's fault (HTTP 400): retrying the same body cannot help. */
  | { kind: 'invalid'; error: 'invalid_body'; details: LineBodyIssue[] };

/** Turns a parsed LINE webhook body into channel-neutral events, or says why the body is unusable. */
export function convertLineEvents(body: unknown): LineConversion {
  const parsed = lineWebhookBodySchema.safeParse(body);
  if (!parsed.success) {
    // Issue messages and paths only: zod leaves the offending input out, so no user text leaks.
    const details = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    return { kind: 'invalid', error: 'invalid_body', details };
  }

  const events: IncomingEvent[] = [];
  const ignored: IgnoredLineEvent[] = [];
  for (const [sequence, entry] of parsed.data.events.entries()) {
    if (!entry.known) {
      const { type, webhookEventId } = entry.raw;
      ignored.push({ webhookEventId, type, reason: 'unsupported_event_type' });
      continue;
    }
    const event = entry.value;
    const target = chatPartner(event);
    if ('ignore' in target) {
      const type =
        event.type === 'message' && !event.message.known ? `message.${event.message.raw.type}` : event.type;
      ignored.push({ webhookEventId: event.webhookEventId, type, reason: target.ignore });
      continue;
    }

    const converted: IncomingEvent = {
      id: event.webhookEventId,
      channel: 'line',
      address: target.userId,
      occurredAt: new Date(event.timestamp),
      sequence,
      content: toContent(event),
    };
    if (event.type !== 'unfollow' && event.replyToken) converted.replyToken = event.replyToken;
    events.push(converted);
  }
  return { kind: 'converted', events, ignored };
}

/** The user to answer, or why this event gets no answer. */
function chatPartner(event: LineKnownEvent): { userId: string } | { ignore: LineIgnoreReason } {
  if (event.mode === 'standby') return { ignore: 'standby_mode' };
  if (event.source && event.source.type !== 'user') return { ignore: 'not_one_to_one_chat' };
  const userId = event.source?.userId;
  if (!userId) return { ignore: 'no_user_id' };
  if (event.type === 'message' && !event.message.known) return { ignore: 'unsupported_message_type' };
  return { userId };
}

function toContent(event: LineKnownEvent): IncomingContent {
  switch (event.type) {
    case 'follow':
      return { type: 'follow' };
    case 'unfollow':
      return { type: 'unfollow' };
    case 'postback':
      return { type: 'choice', data: event.postback.data };
    case 'message': {
      if (!event.message.known) throw new Error('unsupported message types are filtered before conversion');
      const message = event.message.value;
      switch (message.type) {
        case 'text':
          return { type: 'text', text: message.text };
        case 'sticker':
          return { type: 'sticker' };
        case 'image':
        case 'video':
        case 'audio':
          return { type: 'media', media: message.type, contentId: message.id };
        case 'file':
          return { type: 'media', media: 'file', contentId: message.id, fileName: message.fileName };
        case 'location':
          return {
            type: 'location',
            latitude: message.latitude,
            longitude: message.longitude,
            title: message.title,
            address: message.address,
          };
      }
    }
  }
}
