/**
 * A channel-neutral incoming event. Channel adapters convert platform payloads into this shape
 * at the edge; the core never sees a LINE or Slack type.
 */
export type ChannelName = 'line' | 'slack' | 'local';

export type MediaKind = 'image' | 'video' | 'audio' | 'file';

export type IncomingContent =
  | { type: 'follow' }
  | { type: 'unfollow' }
  | { type: 'text'; text: string }
  /** A tap on a choice (a LINE postback, a playground button). `data` is what the core put there. */
  | { type: 'choice'; data: string }
  | { type: 'sticker' }
  | { type: 'media'; media: MediaKind; contentId: string; fileName?: string | undefined }
  | {
      type: 'location';
      latitude: number;
      longitude: number;
      title?: string | undefined;
      address?: string | undefined;
    };

export interface IncomingEvent {
  /** The platform's own event id (LINE webhookEventId): the dedupe key. */
  id: string;
  channel: ChannelName;
  /** Who the event came from, as the channel addresses them (opaque to the core). */
  address: string;
  /** When the platform says the event happened. */
  occurredAt: Date;
  /** Position inside the delivery that carried it, to keep order among events of the same millisecond. */
  sequence: number;
  /** A single-use token for answering this event cheaply, when the channel has one. */
  replyToken?: string | undefined;
  content: IncomingContent;
}
