import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { withDeadline } from '../../../core/deadline.js';
import type { Logger } from '../../../logger.js';
import { richMenuAliasId } from './rich-menu-definition.js';

export interface RichMenuLinkerOptions {
  channelAccessToken: string;
  apiBaseUrl: string;
  /** Each call's deadline (API_TIMEOUT_MS): a slow LINE delays only this resident's next event. */
  timeoutMs: number;
  logger: Logger;
  /** How long an alias's menu id is remembered; `npm run line:rich-menu` moves aliases rarely. */
  cacheMs?: number;
  now?: () => number;
}

/** Gives a resident the rich menu of their language (its alias, made by `npm run line:rich-menu`). */
export type RichMenuLinker = (userId: string, language: string) => Promise<void>;

/**
 * Links a LINE user to their language's rich menu when their language is set or changes. Best effort,
 * with a deadline on each call: a failure is logged and the conversation goes on (the account's
 * default menu still works; its areas send the same postbacks in every language). An alias that does
 * not exist (the script was not run for that language) is remembered as absent for a while.
 */
export function createRichMenuLinker(options: RichMenuLinkerOptions): RichMenuLinker {
  const client = new messagingApi.MessagingApiClient({
    channelAccessToken: options.channelAccessToken,
    baseURL: options.apiBaseUrl,
  });
  const log = options.logger.child({ component: 'line-rich-menu' });
  const cacheMs = options.cacheMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { richMenuId: string | null; until: number }>();

  async function menuFor(language: string): Promise<string | null> {
    const aliasId = richMenuAliasId(language);
    const cached = cache.get(aliasId);
    if (cached && cached.until > now()) return cached.richMenuId;
    let richMenuId: string | null;
    try {
      const alias = await withDeadline('line.getRichMenuAlias', options.timeoutMs, () =>
        client.getRichMenuAlias(aliasId),
      );
      richMenuId = alias.richMenuId;
    } catch (error) {
      if (!(error instanceof HTTPFetchError) || error.status !== 404) throw error;
      richMenuId = null;
    }
    cache.set(aliasId, { richMenuId, until: now() + cacheMs });
    return richMenuId;
  }

  return async (userId, language) => {
    try {
      const richMenuId = await menuFor(language);
      if (!richMenuId) {
        log.debug({ language }, 'no rich menu for this language; the default one stays');
        return;
      }
      await withDeadline('line.linkRichMenuIdToUser', options.timeoutMs, () =>
        client.linkRichMenuIdToUser(userId, richMenuId),
      );
    } catch (error) {
      const status = error instanceof HTTPFetchError ? error.status : undefined;
      log.warn(
        { language, status, error: error instanceof Error ? error.message : String(error) },
        'rich menu not linked',
      );
    }
  };
}
