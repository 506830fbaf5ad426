import type { EventHandler } from './inbox-queue.js';
import type { ChannelName, IncomingEvent } from './incoming-event.js';
import type { Outbox } from './outbox.js';
import type { ContactRepository, OutboxRepository } from './store.js';
import type { Translate } from './translator.js';

export interface AcknowledgeHandlerOptions {
  outbox: Outbox;
  outboxRepository: OutboxRepository;
  contacts: ContactRepository;
  /** Text in the resident's language. */
  translate: (event: IncomingEvent) => Translate;
  now?: () => Date;
}

/**
 * The front door's first handler: keeps track of who follows the account and acknowledges every
 * message kind with a sensible answer. Everything goes through the inbox and the outbox.
 */
export function createAcknowledgeHandler(options: AcknowledgeHandlerOptions): EventHandler {
  const now = options.now ?? (() => new Date());
  const follow = (channel: ChannelName, address: string, following: boolean) =>
    options.contacts.setFollowing(channel, address, following, now());

  return async (event) => {
    const t = options.translate(event);
    const { content } = event;
    switch (content.type) {
      case 'unfollow':
        await follow(event.channel, event.address, false);
        await options.outboxRepository.cancelPending(event.channel, event.address, 'recipient unfollowed');
        return;
      case 'follow':
        await follow(event.channel, event.address, true);
        await options.outbox.reply(event, [{ type: 'text', text: t('reply.follow') }]);
        return;
      case 'text':
        await options.outbox.reply(event, [{ type: 'text', text: t('reply.text', { text: content.text }) }]);
        return;
      case 'choice':
        await options.outbox.reply(event, [{ type: 'text', text: t('reply.choice') }]);
        return;
      case 'sticker':
        await options.outbox.reply(event, [{ type: 'text', text: t('reply.sticker') }]);
        return;
      case 'media':
        await options.outbox.reply(event, [{ type: 'text', text: t('reply.media') }]);
        return;
      case 'location':
        await options.outbox.reply(event, [{ type: 'text', text: t('reply.location') }]);
        return;
    }
  };
}
