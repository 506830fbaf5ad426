import { messagingApi } from '@line/bot-sdk';
import { withDeadline } from '../../core/deadline.js';
import type { Logger } from '../../logger.js';

/** Files residents send are capped here: staff need to see them, not archive videos. */
const MAX_BYTES = 20 * 1024 * 1024;

/**
 * Downloads what a resident sent (an image, a file) from LINE's data API, so the staff channel can
 * put it in the case thread. null when it cannot be had (expired, too large, an API error): the
 * thread then gets a description instead.
 */
export function createLineMediaFetcher(opts: {
  channelAccessToken: string;
  dataApiBaseUrl: string;
  /** The download as a whole: a resident's file that does not arrive by then is described instead. */
  timeoutMs: number;
  logger: Logger;
}) {
  const client = new messagingApi.MessagingApiBlobClient({
    channelAccessToken: opts.channelAccessToken,
    baseURL: opts.dataApiBaseUrl,
  });
  return async (contentId: string): Promise<{ data: Buffer; contentType?: string } | null> => {
    try {
      return await withDeadline('line.getMessageContent', opts.timeoutMs, async (signal) => {
        const response = await client.getMessageContentWithHttpInfo(contentId);
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body) {
          if (signal.aborted) response.body.destroy();
          size += (chunk as Buffer).length;
          if (size > MAX_BYTES) return null;
          chunks.push(chunk as Buffer);
        }
        const contentType = response.httpResponse.headers.get('content-type') ?? undefined;
        return { data: Buffer.concat(chunks), ...(contentType ? { contentType } : {}) };
      });
    } catch (error) {
      opts.logger.warn({ err: error }, 'resident media could not be fetched from LINE');
      return null;
    }
  };
}
