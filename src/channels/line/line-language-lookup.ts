import { messagingApi } from '@line/bot-sdk';
import type { LanguageLookup } from '../../core/conversation/conversation-engine.js';
import { withDeadline } from '../../core/deadline.js';
import type { Logger } from '../../logger.js';

/**
 * The language of a LINE user's app, from their profile; LINE gives it only when the user allowed
 * it. Only the language is kept: the display name and picture are never read into the service.
 */
export function createLineLanguageLookup(opts: {
  channelAccessToken: string;
  apiBaseUrl: string;
  /** How long the greeting may wait for the profile; past it the resident is greeted in Japanese. */
  timeoutMs: number;
  logger: Logger;
}): LanguageLookup {
  const client = new messagingApi.MessagingApiClient({
    channelAccessToken: opts.channelAccessToken,
    baseURL: opts.apiBaseUrl,
  });
  return async (channel, address) => {
    if (channel !== 'line') return undefined;
    try {
      const profile = await withDeadline('line.getProfile', opts.timeoutMs, () => client.getProfile(address));
      return profile.language;
    } catch (error) {
      // The greeting must not wait on a profile: Japanese is a fine default.
      opts.logger.debug({ err: error }, 'LINE profile language unavailable');
      return undefined;
    }
  };
}
