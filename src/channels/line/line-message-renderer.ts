import type { messagingApi } from '@line/bot-sdk';
import { CodedError } from '../../core/coded-error.js';
import type { OutgoingMessage, QuickReply } from '../../core/ports/outgoing-message.js';

/**
 * LINE's documented limits. Lengths are compared in UTF-16 code units, which is never less than the
 * character count LINE applies, so anything accepted here is accepted there.
 */
/** The longest text message LINE takes. */
export const LINE_TEXT_LIMIT = 5000;

const LINE_LIMITS = {
  messagesPerRequest: 5,
  textLength: LINE_TEXT_LIMIT,
  quickReplyItems: 13,
  labelLength: 20,
  postbackDataLength: 300,
  displayTextLength: 300,
  uriLength: 1000,
} as const;

/**
 * A message the core built that LINE would refuse with a 400. That is a bug in a flow or in the
 * core, never a runtime condition, so it is thrown rather than returned.
 */
export class LineLimitError extends CodedError {
  constructor(message: string) {
    super('LINE_LIMIT_EXCEEDED', 'permanent', message);
  }
}

const LINK_SCHEMES = new Set(['https:', 'http:', 'line:']);

/** Renders core messages as one LINE request's worth of text messages with quick replies. */
export function renderLineMessages(messages: OutgoingMessage[]): messagingApi.Message[] {
  if (messages.length === 0) throw new LineLimitError('a LINE request needs at least one message');
  if (messages.length > LINE_LIMITS.messagesPerRequest) {
    throw new LineLimitError(
      `${messages.length} messages in one request, LINE allows ${LINE_LIMITS.messagesPerRequest}`,
    );
  }
  return messages.map((message, index) => renderText(message, index));
}

function renderText(message: OutgoingMessage, index: number): messagingApi.TextMessage {
  const where = `message ${index}`;
  if (message.text.length === 0) throw new LineLimitError(`${where}: text is empty`);
  checkMax(where, 'text', message.text, LINE_LIMITS.textLength);
  const rendered: messagingApi.TextMessage = { type: 'text', text: message.text };
  const quickReplies = message.quickReplies ?? [];
  if (quickReplies.length > LINE_LIMITS.quickReplyItems) {
    throw new LineLimitError(
      `${where}: ${quickReplies.length} quick replies, LINE allows ${LINE_LIMITS.quickReplyItems}`,
    );
  }
  if (quickReplies.length > 0) {
    rendered.quickReply = {
      items: quickReplies.map((reply, i) => ({
        type: 'action',
        action: renderAction(reply, `${where} reply ${i}`),
      })),
    };
  }
  return rendered;
}

function renderAction(reply: QuickReply, where: string): messagingApi.Action {
  if (reply.label.length === 0) throw new LineLimitError(`${where}: label is empty`);
  checkMax(where, 'label', reply.label, LINE_LIMITS.labelLength);
  switch (reply.kind) {
    case 'choice': {
      const displayText = reply.displayText ?? reply.label;
      checkMax(where, 'postback data', reply.data, LINE_LIMITS.postbackDataLength);
      checkMax(where, 'displayText', displayText, LINE_LIMITS.displayTextLength);
      return { type: 'postback', label: reply.label, data: reply.data, displayText };
    }
    case 'call': {
      // An unescaped "#" would start a URI fragment and cut the number short (e.g. "#8008").
      const uri = `tel:${reply.phone.replaceAll('#', '%23')}`;
      checkMax(where, 'uri', uri, LINE_LIMITS.uriLength);
      return { type: 'uri', label: reply.label, uri };
    }
    case 'link': {
      if (!URL.canParse(reply.url) || !LINK_SCHEMES.has(new URL(reply.url).protocol)) {
        throw new LineLimitError(`${where}: link is not an http(s) or line URL`);
      }
      checkMax(where, 'uri', reply.url, LINE_LIMITS.uriLength);
      return { type: 'uri', label: reply.label, uri: reply.url };
    }
  }
}

function checkMax(where: string, field: string, value: string, max: number): void {
  // The value itself stays out of the message: it may be resident-facing text.
  if (value.length > max)
    throw new LineLimitError(`${where}: ${field} is ${value.length} long, LINE allows ${max}`);
}
