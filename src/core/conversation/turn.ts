import type { IncomingEvent } from '../ports/incoming-event.js';
import type { OutgoingMessage, QuickReply } from '../ports/outgoing-message.js';
import type { Translate, Translator } from '../ports/translator.js';
import type { SessionState } from './session-state.js';

/**
 * One incoming event's worth of conversation: the state being changed and the replies being
 * written. Nothing leaves a Turn until the engine has saved the new state.
 */
export class Turn {
  readonly replies: OutgoingMessage[] = [];
  t: Translate;
  /** Set by "erase my data": the session is gone and must not be saved again. */
  erased = false;

  constructor(
    private incoming: IncomingEvent,
    /** The session key, "channel:address". */
    readonly key: string,
    public state: SessionState,
    private readonly translator: Translator,
  ) {
    this.t = translator.forLanguage(state.language);
  }

  get event(): IncomingEvent {
    return this.incoming;
  }

  /** Reads held-back words as this turn's message (after the safety question was answered no). */
  rereadAs(content: IncomingEvent['content']): void {
    this.incoming = { ...this.incoming, content } as IncomingEvent;
  }

  get language(): string {
    return this.state.language;
  }

  setLanguage(language: string): void {
    this.useLanguage(language, 'chosen');
  }

  useLanguage(language: string, source: SessionState['languageSource']): void {
    this.state.language = language;
    this.state.languageSource = source;
    this.t = this.translator.forLanguage(language);
  }

  /** Joins items the way the resident's language lists them ("A、B" or "A, B"). */
  list(items: string[]): string {
    const separator = this.t('common.list-separator');
    // "Money, work, home" and "Kids, parenting" joined with ", " would read as five things.
    const mark = separator.trim();
    const ambiguous = mark !== '' && items.some((item) => item.includes(mark));
    return items.join(ambiguous ? this.t('common.list-separator-distinct') : separator);
  }

  say(key: string, values?: Record<string, string | number>): void {
    this.replies.push({ type: 'text', text: this.t(key, values) });
  }

  sayText(text: string, quickReplies?: QuickReply[]): void {
    this.replies.push({ type: 'text', text, ...(quickReplies?.length ? { quickReplies } : {}) });
  }

  /** Messages already written this turn, joined into one where LINE's five-per-reply limit needs it. */
  compacted(maxMessages = 5): OutgoingMessage[] {
    if (this.replies.length <= maxMessages) return this.replies;
    // Quick replies only show on the last message, so merge the earlier plain texts together.
    const last = this.replies.at(-1) as OutgoingMessage;
    const head = this.replies.slice(0, -1);
    const merged: OutgoingMessage[] = [];
    const chunk = Math.ceil(head.length / (maxMessages - 1));
    for (let i = 0; i < head.length; i += chunk) {
      merged.push({
        type: 'text',
        text: head
          .slice(i, i + chunk)
          .map((m) => m.text)
          .join('\n\n'),
      });
    }
    return [...merged, last];
  }
}
