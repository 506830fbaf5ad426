/**
 * Channel-neutral outgoing messages. Channels render them their own way: LINE as text with quick
 * replies, the playground as buttons.
 */
export type QuickReply =
  /** A choice the core will receive back as `{ type: 'choice', data }`. */
  | { kind: 'choice'; label: string; data: string; displayText?: string | undefined }
  /** A tap-to-call button. `phone` is what is dialled (e.g. "119", "#8008", "0120-279-338"). */
  | { kind: 'call'; label: string; phone: string }
  | { kind: 'link'; label: string; url: string };

export type OutgoingMessage = { type: 'text'; text: string; quickReplies?: QuickReply[] | undefined };
