import type { OutboxRecord, StaffThreadRef } from '../../core/ports/store.js';
import type { Logger } from '../../logger.js';
import { callSlack, SlackCallError } from './slack-call-error.js';
import type { SlackWebClient } from './slack-web-client.js';

/**
 * The message metadata event type of every message this service posts for a staff notice; its
 * payload names the outbox item (`outboxId`) and, for a thread note's messages, which of its posts
 * this is (`part`), so a retry can find what an attempt with no answer posted
 * (conversations.history for an alert, conversations.replies for a thread).
 */
export const NOTICE_EVENT_TYPE = 'madoguchi_notice';
/** How far back before an item was queued its messages are looked for (clocks differ a little). */
const LOOKBACK_MS = 5 * 60_000;
/** Pages read at most (channel history, or a thread's replies) when looking for earlier posts. */
const LOOKUP_PAGES = 5;
/** Messages asked for per page of channel history. */
const HISTORY_PAGE = 100;
/** Messages asked for per page of a thread's replies (Slack advises at most 200). */
const REPLIES_PAGE = 200;
/** The `part` an alert stands for: its metadata names the outbox item alone. */
const ALERT_PART = '';

/** The metadata of a message posted for outbox item `outboxId`; `part` names one post of a thread note. */
export function noticeMetadata(outboxId: string, part?: string) {
  const event_payload: Record<string, string> = part === undefined ? { outboxId } : { outboxId, part };
  return { event_type: NOTICE_EVENT_TYPE, event_payload };
}

/**
 * The message an earlier attempt of `item` posted in `channel` (its alert, or the given `part` of a
 * thread note posted outside the thread), found by the outbox id in its metadata among the messages
 * since shortly before the item was queued. A failed lookup that is worth retrying is thrown (the
 * outbox tries again later, looking again); one that never will work (a channel given by name, a
 * missing scope) is logged and answers "not found", so the message is posted: a second copy is
 * better than none.
 */
export async function findPosted(
  client: SlackWebClient,
  channel: string,
  item: OutboxRecord,
  log: Logger,
  part: string = ALERT_PART,
): Promise<StaffThreadRef | undefined> {
  let found: StaffThreadRef | undefined;
  await readPages(log, 'conversations.history', async (cursor) => {
    const answer = await callSlack('conversations.history', () =>
      client.conversations.history({
        channel,
        oldest: lookbackFrom(item),
        limit: HISTORY_PAGE,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      }),
    );
    const message = (answer.messages ?? []).find((m) => partOf(m, item.id) === part);
    if (message?.ts) found = { channel, ts: message.ts };
    return found ? undefined : answer.response_metadata?.next_cursor || undefined;
  });
  return found;
}

/**
 * The parts of thread note `item` that an earlier attempt posted in the case thread, read from the
 * thread's replies since shortly before the item was queued (with their metadata, at most
 * LOOKUP_PAGES pages). The same failure policy as findPosted: retry later, or post.
 */
export async function findPostedParts(
  client: SlackWebClient,
  thread: StaffThreadRef,
  item: OutboxRecord,
  log: Logger,
): Promise<Set<string>> {
  const parts = new Set<string>();
  await readPages(log, 'conversations.replies', async (cursor) => {
    const answer = await callSlack('conversations.replies', () =>
      client.conversations.replies({
        channel: thread.channel,
        ts: thread.ts,
        oldest: lookbackFrom(item),
        limit: REPLIES_PAGE,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      }),
    );
    for (const message of answer.messages ?? []) {
      const part = partOf(message, item.id);
      if (part !== undefined) parts.add(part);
    }
    return answer.response_metadata?.next_cursor || undefined;
  });
  return parts;
}

/**
 * Reads at most LOOKUP_PAGES pages: `page` reads one and answers the next cursor (none: done). A
 * failure worth retrying is thrown; any other Slack refusal ends the look with what was found.
 */
async function readPages(
  log: Logger,
  method: string,
  page: (cursor: string | undefined) => Promise<string | undefined>,
): Promise<void> {
  let cursor: string | undefined;
  try {
    for (let read = 0; read < LOOKUP_PAGES; read++) {
      cursor = await page(cursor);
      if (!cursor) return;
    }
    log.warn({ method, pages: LOOKUP_PAGES }, 'read as much as allowed; an earlier post may be older');
  } catch (error) {
    if (!(error instanceof SlackCallError) || error.result.kind === 'retry') throw error;
    log.warn({ method, error: error.result.error }, 'could not look for an earlier attempt; posting');
  }
}

/** Which post of outbox item `outboxId` a message is, by its metadata (ALERT_PART: the alert). */
function partOf(
  message: { metadata?: { event_type?: string; event_payload?: unknown } },
  outboxId: string,
): string | undefined {
  if (message.metadata?.event_type !== NOTICE_EVENT_TYPE) return undefined;
  const payload = message.metadata.event_payload as { outboxId?: unknown; part?: unknown } | undefined;
  if (payload?.outboxId !== outboxId) return undefined;
  return typeof payload.part === 'string' ? payload.part : ALERT_PART;
}

/** Slack's `oldest` for a look for an item's earlier posts: shortly before it was queued. */
function lookbackFrom(item: OutboxRecord): string {
  return ((item.createdAt.getTime() - LOOKBACK_MS) / 1000).toFixed(6);
}
