import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackSender } from '../../../src/channels/slack/slack-sender.js';
import { RESIDENT_CONTENT_BLOCK } from '../../../src/channels/slack/slack-thread-notes.js';
import { CaseAudit } from '../../../src/core/cases/case-audit.js';
import { HandoverDesk } from '../../../src/core/cases/handover-desk.js';
import { Outbox } from '../../../src/core/outbox.js';
import type { OutboxRecord, Store } from '../../../src/core/ports/store.js';
import { openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { silentLogger } from '../../support/silent-logger.js';
import {
  ALERT_TS,
  CASE_ID,
  content,
  FALLBACK_CHANNEL,
  ja,
  municipality,
  NORTH_CHANNEL,
  SlackApi,
  slackClient,
  staffText,
  storedCase,
} from './slack-test-support.js';

const NOW = new Date('2026-05-12T01:50:00.000Z');
const STAFF = 'U0AUTHSTAFF';
const WORDS = '母の物忘れがひどくて <!channel> 困っています';
const PHONE = '090-1234-5678';

let store: Store;
let api: SlackApi;
let desk: HandoverDesk;

beforeEach(async () => {
  store = await openEmbeddedStore({ inMemory: true });
  api = new SlackApi();
  desk = new HandoverDesk({
    cases: store.cases,
    auditLog: store.audit,
    audit: new CaseAudit(store.audit, 5, () => NOW),
    outbox: new Outbox(store.outbox, () => NOW),
    staffChannel: 'slack',
    config: municipality,
    t: staffText.t,
    translator: content.translator,
    now: () => NOW,
  });
});
afterEach(async () => {
  await store.close();
});

function sender(): SlackSender {
  return new SlackSender({
    client: slackClient(),
    cases: store.cases,
    config: municipality,
    fallbackChannel: FALLBACK_CHANNEL,
    text: staffText,
    logger: silentLogger,
    handover: desk,
  });
}

/** The outbox item the desk queued for a request. */
async function queuedItem(): Promise<OutboxRecord> {
  const item = await store.outbox.oldestPending('slack', `case:${CASE_ID}`);
  if (!item) throw new Error('nothing queued');
  return item;
}

/** Slack's upload flow; `uploaded` receives the file's bytes. */
function expectUpload(uploaded: Buffer[]) {
  api
    .on('files.getUploadURLExternal', {
      upload_url: 'https://files.slack.test/upload/v1/PDF',
      file_id: 'F0SHEET1',
    })
    .on('files.completeUploadExternal', { files: [{ id: 'F0SHEET1' }] })
    .on('chat.postMessage', { ts: '1747015800.000300' });
  return nock('https://files.slack.test')
    .post('/upload/v1/PDF', (body) => {
      uploaded.push(Buffer.from(body, 'hex'));
      return true;
    })
    .reply(200, 'OK');
}

describe('つなぐシート in Slack', () => {
  it('posts the consented sheet as a PDF and as Markdown marked as resident content, escaped', async () => {
    await storedCase(
      store,
      {
        anonymous: false,
        ownWords: WORDS,
        answers: { subject: 'self', fields: ['elderly'], urgency: 'soon', contact: 'phone', phone: PHONE },
      },
      { staffThread: { channel: NORTH_CHANNEL, ts: ALERT_TS }, assignee: STAFF },
    );
    const result = await desk.request(CASE_ID, 'takikan-kyodo', { id: STAFF }, true, 'view-1');
    expect(result).toMatchObject({ kind: 'requested', consent: true });
    const uploaded: Buffer[] = [];
    const files = expectUpload(uploaded);

    expect(await sender().send(await queuedItem(), NOW)).toEqual({ kind: 'sent' });

    files.done();
    api.done();
    const complete = api.callsTo('files.completeUploadExternal')[0];
    expect(complete?.body).toMatchObject({ channel_id: NORTH_CHANNEL, thread_ts: ALERT_TS });
    const post = api.callsTo('chat.postMessage')[0]?.body as {
      blocks: Array<{ type: string; block_id?: string; text?: string }>;
      text: string;
    };
    expect(post.blocks[0]?.block_id).toBe(RESIDENT_CONTENT_BLOCK);
    const markdown = post.blocks.find((b) => b.type === 'markdown')?.text ?? '';
    expect(markdown).toContain(ja('handover.title.consented'));
    expect(markdown).toContain(PHONE);
    expect(markdown).toContain('&lt;!channel&gt;');
    expect(markdown).not.toContain('<!channel>');
    // The notification text never carries the resident's words.
    expect(post.text).not.toContain('物忘れ');
    // The upload is the printable PDF itself.
    const body = Buffer.concat(uploaded);
    expect(body.includes('%PDF-')).toBe(true);
  });

  it('a neighbour report: the 支援会議 sheet, with no words, contact or reporter in the thread', async () => {
    await storedCase(
      store,
      {
        origin: 'neighbour',
        anonymous: true,
        ownWords: 'となりの高橋さんが一週間見えません',
        answers: {
          subject: 'neighbour',
          observations: ['not_seen'],
          contact: 'line',
          location: '若葉町3丁目',
        },
      },
      { staffThread: { channel: NORTH_CHANNEL, ts: ALERT_TS }, assignee: STAFF },
    );
    await desk.request(CASE_ID, 'takikan-kyodo', { id: STAFF }, true, 'view-2');
    const uploaded: Buffer[] = [];
    expectUpload(uploaded);

    expect(await sender().send(await queuedItem(), NOW)).toEqual({ kind: 'sent' });

    const raw = api.callsTo('chat.postMessage')[0]?.raw ?? '';
    expect(raw).toContain(ja('handover.title.support-meeting'));
    for (const hidden of ['高橋', '若葉町', ja('handover.contact.line')]) expect(raw).not.toContain(hidden);
  });

  it('a retry after the Markdown was posted posts nothing again', async () => {
    await storedCase(store, {}, { staffThread: { channel: NORTH_CHANNEL, ts: ALERT_TS }, assignee: STAFF });
    await desk.request(CASE_ID, 'takikan-kyodo', { id: STAFF }, false, 'view-3');
    const item = await queuedItem();
    api.on('conversations.replies', {
      messages: [
        { ts: ALERT_TS },
        {
          ts: '1747015800.000300',
          metadata: {
            event_type: 'madoguchi_notice',
            event_payload: { outboxId: item.id, part: 'handover' },
          },
        },
      ],
    });
    const retried = { ...item, attempts: 1, lastError: 'slack: timeout' };
    expect(await sender().send(retried, NOW)).toEqual({ kind: 'sent' });
    expect(api.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    expect(api.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('erasure and retention delete the sheet from the thread: its Markdown and its PDF', async () => {
    await storedCase(store, {}, { staffThread: { channel: NORTH_CHANNEL, ts: ALERT_TS }, assignee: STAFF });
    const BOT = 'U0MADOGUCHI';
    for (const reason of [undefined, 'retention'] as const) {
      api = new SlackApi();
      api.on('conversations.replies', {
        messages: [
          { ts: ALERT_TS, user: BOT, blocks: [] },
          { ts: '1747015800.000200', user: BOT, files: [{ id: 'F0SHEET1' }] },
          {
            ts: '1747015800.000300',
            user: BOT,
            blocks: [{ type: 'context', block_id: RESIDENT_CONTENT_BLOCK }],
          },
          { ts: '1747015900.000100', user: STAFF, text: '子ども家庭センターに渡しました' },
        ],
        response_metadata: { next_cursor: '' },
      });
      api.on('chat.delete', {}, { times: 2 });
      api.on('files.delete');
      api.on('chat.postMessage', { ts: '1747016000.000100' });
      api.on('chat.update', { ts: ALERT_TS, channel: NORTH_CHANNEL });
      const notice = { kind: 'thread' as const, caseId: CASE_ID, note: { type: 'erased' as const, reason } };
      const item = recordFor(notice);
      expect(await sender().send(item, NOW)).toEqual({ kind: 'sent' });
      expect(api.callsTo('chat.delete').map((c) => c.body.ts)).toEqual([
        '1747015800.000200',
        '1747015800.000300',
      ]);
      expect(api.callsTo('files.delete')[0]?.body.file).toBe('F0SHEET1');
    }
  });
});

/** An outbox record for a notice, as the outbox would hand it to the sender. */
function recordFor(notice: OutboxRecord['notice']): OutboxRecord {
  return {
    id: `erase-${Math.random().toString(36).slice(2)}`,
    channel: 'slack',
    address: `case:${CASE_ID}`,
    messages: [],
    notice,
    createdAt: NOW,
    sequence: 1,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: NOW,
  };
}
