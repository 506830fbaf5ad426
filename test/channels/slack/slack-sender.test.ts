import { randomUUID } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTICE_EVENT_TYPE } from '../../../src/channels/slack/slack-earlier-posts.js';
import { type MediaFetcher, SlackSender } from '../../../src/channels/slack/slack-sender.js';
import { OutboxQueue } from '../../../src/core/outbox-queue.js';
import type { StaffNotice, ThreadNote } from '../../../src/core/ports/staff-notice.js';
import type { OutboxRecord, Store } from '../../../src/core/ports/store.js';
import { openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { silentLogger } from '../../support/silent-logger.js';
import {
  ALERT_TS,
  CASE_ID,
  DISABILITY_CHANNEL,
  FALLBACK_CHANNEL,
  ja,
  municipality,
  NORTH_CHANNEL,
  ON_CALL_GROUP,
  RESIDENT,
  SlackApi,
  SUPERVISOR_CHANNEL,
  slackClient,
  staffText,
  storedCase,
  textObjects,
} from './slack-test-support.js';

/** Tuesday 12 May 2026, 10:50 in Tokyo: the example city's windows are open. */
const NOW = new Date('2026-05-12T01:50:00.000Z');
const STAFF = 'U0AUTHSTAFF';
const NEW_TS = '1747015800.000200';
const INJECTION = 'たすけて <!channel> <!here> <@U123> <#C1> <https://evil.example|x> *bold* _it_ & more';

let store: Store;
let api: SlackApi;

beforeEach(async () => {
  store = await openEmbeddedStore({ inMemory: true });
  api = new SlackApi();
});
afterEach(async () => {
  await store.close();
});

function sender(fetchMedia?: MediaFetcher, clientTimeoutMs?: number): SlackSender {
  return new SlackSender({
    client: slackClient(clientTimeoutMs),
    cases: store.cases,
    config: municipality,
    fallbackChannel: FALLBACK_CHANNEL,
    text: staffText,
    logger: silentLogger,
    fetchMedia,
  });
}

function item(notice: StaffNotice): OutboxRecord {
  return {
    id: randomUUID(),
    channel: 'slack',
    address: `case:${notice.caseId}`,
    messages: [],
    notice,
    causedBy: 'test',
    createdAt: NOW,
    sequence: 1,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: NOW,
  };
}

const alert = (): StaffNotice => ({ kind: 'alert', caseId: CASE_ID });
const note = (n: ThreadNote): StaffNotice => ({ kind: 'thread', caseId: CASE_ID, note: n });
const posted = { staffThread: { channel: NORTH_CHANNEL, ts: ALERT_TS } };

/** An outbox of one Slack sender whose client gives up after 50 ms, with a clock the test moves. */
function slowQueue() {
  let clock = NOW;
  const queue = new OutboxQueue({
    outbox: store.outbox,
    contacts: store.contacts,
    senders: new Map([['slack', sender(undefined, 50)]]),
    logger: silentLogger,
    hashId: (id) => id,
    now: () => clock,
  });
  return {
    run: () => queue.processKey(`slack:case:${CASE_ID}`, async () => true),
    moveTo: (time: Date) => {
      clock = time;
    },
  };
}

describe('SlackSender: the alert', () => {
  it('posts the alert in the window channel with no personal data, and stores where it is', async () => {
    await storedCase(store, {
      ownWords: '母が最近ひとりで外に出てしまいます',
      answers: {
        subject: 'family',
        fields: ['elderly'],
        urgency: 'today',
        contact: 'phone',
        phone: '090-1234-5678',
        area: '若葉町3丁目',
      },
    });
    api.on('chat.postMessage', { channel: NORTH_CHANNEL, ts: ALERT_TS });

    const result = await sender().send(item(alert()), NOW);

    expect(result).toEqual({ kind: 'sent' });
    api.done();
    const [call] = api.calls;
    expect(call?.body.channel).toBe(NORTH_CHANNEL);
    expect(call?.body.unfurl_links).toBe('false');
    expect(call?.body.unfurl_media).toBe('false');
    for (const secret of [RESIDENT, '母が最近', '090-1234-5678', '若葉町'])
      expect(call?.raw).not.toContain(secret);
    const texts = textObjects(call?.body.blocks)
      .map((t) => t.text)
      .join('\n');
    expect(texts).toMatch(new RegExp(ja('staff.alert.title', { number: '\\d{4}-\\d{6}' })));
    expect(texts).toContain('こもれび北部地域包括支援センター');
    expect(texts).toContain(ja('field.elderly'));
    expect(texts).toContain(ja('intake.urgency.today'));
    expect(texts).toContain(ja('staff.hours.arrived-open'));
    expect(texts).toContain(ja('staff.status.pending'));
    expect(texts).toContain('5/12 10:42');
    const actionIds = JSON.stringify(call?.body.blocks).match(/"action_id":"(case_[a-z]+)"/g);
    expect(actionIds).toEqual([
      '"action_id":"case_accept"',
      '"action_id":"case_reroute"',
      '"action_id":"case_close"',
    ]);
    expect((await store.cases.get(CASE_ID))?.staffThread).toEqual({ channel: NORTH_CHANNEL, ts: ALERT_TS });
  });

  it('posts the alert with the outbox id in its metadata', async () => {
    await storedCase(store);
    api.on('chat.postMessage', { channel: NORTH_CHANNEL, ts: ALERT_TS });
    const queued = item(alert());

    await sender().send(queued, NOW);

    expect(JSON.parse(String(api.callsTo('chat.postMessage')[0]?.body.metadata))).toEqual({
      event_type: NOTICE_EVENT_TYPE,
      event_payload: { outboxId: queued.id },
    });
  });

  it('does not post a second alert when Slack posted the first but answered after the timeout', async () => {
    await storedCase(store);
    const { run, moveTo } = slowQueue();
    const queued = item(alert());
    await store.outbox.enqueue([queued]);
    // Slack takes the post, but its answer comes after the client's deadline.
    api.on('chat.postMessage', { channel: NORTH_CHANNEL, ts: ALERT_TS }, { delayMs: 1_000 });

    await run();
    const retried = await store.outbox.get(queued.id);
    expect(retried).toMatchObject({ status: 'pending', attempts: 1 });
    expect(retried?.lastError).toContain('slack.chat.postMessage network');

    // The retry looks first, and finds the alert by the id in its metadata: nothing is posted again.
    api.on('conversations.history', {
      messages: [
        { type: 'message', ts: '1747015260.000300', text: 'someone else', user: 'U0OTHER' },
        {
          type: 'message',
          ts: ALERT_TS,
          bot_id: 'B0MADOGUCHI',
          metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: { outboxId: queued.id } },
        },
      ],
      has_more: false,
    });
    moveTo(new Date((retried?.nextAttemptAt ?? NOW).getTime() + 1));
    await run();

    expect(await store.outbox.get(queued.id)).toMatchObject({ status: 'sent' });
    expect((await store.cases.get(CASE_ID))?.staffThread).toEqual({ channel: NORTH_CHANNEL, ts: ALERT_TS });
    expect(api.callsTo('chat.postMessage')).toHaveLength(1);
    const lookup = api.callsTo('conversations.history')[0]?.body;
    expect(lookup).toMatchObject({ channel: NORTH_CHANNEL, include_all_metadata: 'true' });
    expect(Number(lookup?.oldest)).toBeLessThanOrEqual(queued.createdAt.getTime() / 1000);
    api.done();
  });

  it('posts the alert again when a retry finds no earlier copy in the channel', async () => {
    await storedCase(store);
    api
      .on('conversations.history', { messages: [{ type: 'message', ts: '1747015260.000300' }] })
      .on('chat.postMessage', { channel: NORTH_CHANNEL, ts: NEW_TS });
    const retry = { ...item(alert()), attempts: 1, lastError: 'slack.chat.postMessage network: ETIMEDOUT' };

    expect(await sender().send(retry, NOW)).toEqual({ kind: 'sent' });

    expect((await store.cases.get(CASE_ID))?.staffThread).toEqual({ channel: NORTH_CHANNEL, ts: NEW_TS });
    api.done();
  });

  it('looks again when the earlier look itself was rate limited', async () => {
    await storedCase(store);
    const retry = { ...item(alert()), attempts: 2, lastError: 'slack.conversations.history ratelimited' };
    api.on('conversations.history', {
      messages: [
        {
          type: 'message',
          ts: NEW_TS,
          metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: { outboxId: retry.id } },
        },
      ],
    });

    expect(await sender().send(retry, NOW)).toEqual({ kind: 'sent' });
    expect(api.callsTo('chat.postMessage')).toEqual([]);
    expect((await store.cases.get(CASE_ID))?.staffThread).toEqual({ channel: NORTH_CHANNEL, ts: NEW_TS });
    api.done();
  });

  it('does not look for an earlier copy after a rate limit: Slack said it did not post', async () => {
    await storedCase(store);
    api.on('chat.postMessage', { channel: NORTH_CHANNEL, ts: NEW_TS });
    const retry = { ...item(alert()), attempts: 1, lastError: 'slack.chat.postMessage ratelimited' };

    expect(await sender().send(retry, NOW)).toEqual({ kind: 'sent' });
    expect(api.callsTo('conversations.history')).toEqual([]);
    api.done();
  });

  it('mentions the on-call group when an urgent case is first posted, and says it arrived after hours', async () => {
    await storedCase(store, {
      urgent: true,
      answers: { crisis: ['suicide'] },
      createdAt: new Date('2026-05-12T13:00:00.000Z'),
    });
    api.on('chat.postMessage', { channel: NORTH_CHANNEL, ts: ALERT_TS });

    await sender().send(item(alert()), NOW);

    const [call] = api.calls;
    expect(call?.body.text).toContain(`<!subteam^${ON_CALL_GROUP}>`);
    const texts = textObjects(call?.body.blocks)
      .map((t) => t.text)
      .join('\n');
    expect(texts).toContain(`<!subteam^${ON_CALL_GROUP}>`);
    expect(texts).toContain(ja('staff.crisis.suicide'));
    expect(texts).toContain(ja('staff.hours.arrived-after-hours'));
  });

  it('uses SLACK_HANDOFF_CHANNEL for a window without its own channel', async () => {
    const config = {
      ...municipality,
      windows: municipality.windows.map((w) => ({ ...w, slackChannel: undefined })),
    };
    await storedCase(store);
    api.on('chat.postMessage', { channel: FALLBACK_CHANNEL, ts: ALERT_TS });
    const s = new SlackSender({
      client: slackClient(),
      cases: store.cases,
      config,
      fallbackChannel: FALLBACK_CHANNEL,
      text: staffText,
      logger: silentLogger,
    });

    expect(await s.send(item(alert()), NOW)).toEqual({ kind: 'sent' });
    expect(api.calls[0]?.body.channel).toBe(FALLBACK_CHANNEL);
  });

  it('knows the alert is in place when SLACK_HANDOFF_CHANNEL is a name and Slack answered with the id', async () => {
    const config = {
      ...municipality,
      windows: municipality.windows.map((w) => ({ ...w, slackChannel: undefined })),
    };
    await storedCase(store, {}, { staffThread: { channel: 'C0HANDOFF01', ts: ALERT_TS } });
    api.on('chat.update', { channel: 'C0HANDOFF01', ts: ALERT_TS });
    const s = new SlackSender({
      client: slackClient(),
      cases: store.cases,
      config,
      fallbackChannel: '#soudan-handoff',
      text: staffText,
      logger: silentLogger,
    });

    expect(await s.send(item(alert()), NOW)).toEqual({ kind: 'sent' });
    expect(api.calls.map((c) => [c.method, c.body.channel])).toEqual([['chat.update', 'C0HANDOFF01']]);
  });

  it('updates the alert in place once it exists, showing the owner and hiding accept', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    api.on('chat.update', { channel: NORTH_CHANNEL, ts: ALERT_TS });

    expect(await sender().send(item(alert()), NOW)).toEqual({ kind: 'sent' });

    const [call] = api.calls;
    expect(call?.body).toMatchObject({ channel: NORTH_CHANNEL, ts: ALERT_TS });
    const texts = textObjects(call?.body.blocks)
      .map((t) => t.text)
      .join('\n');
    expect(texts).toContain(`担当: <@${STAFF}>, 10:50`);
    expect(JSON.stringify(call?.body.blocks)).not.toContain('case_accept');
    expect(JSON.stringify(call?.body.blocks)).toContain('case_reply');
  });

  it('on accept: updates the alert for everyone, then says in the thread who took it', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    api.on('chat.update', { channel: NORTH_CHANNEL, ts: ALERT_TS }).on('chat.postMessage', { ts: NEW_TS });

    expect(await sender().send(item(note({ type: 'accepted', staffId: STAFF })), NOW)).toEqual({
      kind: 'sent',
    });

    expect(api.calls.map((c) => c.method)).toEqual(['chat.update', 'chat.postMessage']);
    expect(api.calls[1]?.body).toMatchObject({ channel: NORTH_CHANNEL, thread_ts: ALERT_TS });
    expect(api.calls[1]?.raw).toContain(`<@${STAFF}>`);
  });

  it('after a reroute: marks the old alert as moved and posts a new one in the new window channel', async () => {
    await storedCase(store, { windowId: 'shogai-soudan', fields: ['disability'] }, posted);
    api
      .on('chat.update', { channel: NORTH_CHANNEL, ts: ALERT_TS })
      .on('chat.postMessage', { channel: DISABILITY_CHANNEL, ts: NEW_TS });

    expect(await sender().send(item(alert()), NOW)).toEqual({ kind: 'sent' });

    const [update, post] = api.calls;
    expect(update?.body).toMatchObject({ channel: NORTH_CHANNEL, ts: ALERT_TS });
    expect(JSON.stringify(update?.body.blocks)).not.toContain('case_accept');
    expect(
      textObjects(update?.body.blocks)
        .map((t) => t.text)
        .join('\n'),
    ).toContain('こもれび市障害者相談支援センター');
    expect(post?.body.channel).toBe(DISABILITY_CHANNEL);
    expect((await store.cases.get(CASE_ID))?.staffThread).toEqual({
      channel: DISABILITY_CHANNEL,
      ts: NEW_TS,
    });
  });

  it('posts a fresh alert when the old message is gone', async () => {
    await storedCase(store, {}, posted);
    api
      .fail('chat.update', 'message_not_found')
      .on('chat.postMessage', { channel: NORTH_CHANNEL, ts: NEW_TS });

    expect(await sender().send(item(alert()), NOW)).toEqual({ kind: 'sent' });
    expect((await store.cases.get(CASE_ID))?.staffThread?.ts).toBe(NEW_TS);
  });

  it('shows a closed case without case buttons, offering 見守り only', async () => {
    const record = await storedCase(store, {}, { ...posted, assignee: STAFF });
    await store.cases.transition(record.id, ['assigned'], { status: 'closed', closedAt: NOW }, NOW);
    api.on('chat.update');

    await sender().send(item(alert()), NOW);

    expect(api.calls[0]?.body.text).toMatch(
      new RegExp(ja('staff.alert.fallback-closed', { number: '\\d{4}-\\d{6}', window: '.+' })),
    );
    const blocks = api.calls[0]?.body.blocks as Array<{
      type: string;
      elements?: Array<{ action_id: string }>;
    }>;
    const actions = blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
    expect(actions.map((a) => a.action_id)).toEqual(['watch_start']);
  });
});

describe('SlackSender: thread notes', () => {
  it('waits (retry) for the alert before writing in the thread', async () => {
    await storedCase(store);

    const result = await sender().send(item(note({ type: 'reopened' })), NOW);

    expect(result).toMatchObject({ kind: 'retry', retryAfterMs: 5000 });
    expect(api.calls).toEqual([]);
  });

  it('intake: the summary, own words, place and phone, as plain text only in the thread', async () => {
    await storedCase(
      store,
      {
        origin: 'neighbour',
        anonymous: true,
        fields: ['elderly'],
        ownWords: '隣のおばあさんを <!channel> 見ません',
        answers: {
          observations: ['not_seen', 'mail_piling'],
          location: '若葉町 3-2 (35.123450, 137.054321)',
          contactable: 'no',
          area: 'north',
          phone: '0561-00-9999',
        },
      },
      { ...posted, assignee: STAFF },
    );
    api.on('chat.postMessage', { ts: NEW_TS });

    expect(await sender().send(item(note({ type: 'intake' })), NOW)).toEqual({ kind: 'sent' });

    const [call] = api.calls;
    expect(call?.body).toMatchObject({ channel: NORTH_CHANNEL, thread_ts: ALERT_TS });
    const objects = textObjects(call?.body.blocks);
    const plain = objects.filter((o) => o.type === 'plain_text').map((o) => o.text);
    expect(plain).toContain('隣のおばあさんを &lt;!channel&gt; 見ません');
    expect(plain).toContain('0561-00-9999');
    expect(plain).toContain('若葉町 3-2 (35.123450, 137.054321)');
    const mrkdwn = objects
      .filter((o) => o.type === 'mrkdwn')
      .map((o) => o.text)
      .join('\n');
    expect(mrkdwn).not.toContain('隣のおばあさん');
    expect(mrkdwn).not.toContain('0561-00-9999');
    expect(mrkdwn).toContain(ja('observation.not_seen'));
    expect(mrkdwn).toContain('北部');
    expect(mrkdwn).toContain('https://www.openstreetmap.org/?mlat=35.123450&amp;mlon=137.054321');
    expect(call?.body.text).not.toContain('隣のおばあさん');
  });

  it('relays resident text so it can never mention, link or format', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    api.on('chat.postMessage', { ts: NEW_TS });

    await sender().send(
      item(note({ type: 'resident-message', eventId: 'ev1', content: { type: 'text', text: INJECTION } })),
      NOW,
    );

    const [call] = api.calls;
    // Not one control sequence reaches Slack unescaped, anywhere in the request.
    for (const raw of ['<!channel>', '<!here>', '<@U123>', '<#C1>', '<https://evil.example|x>'])
      expect(call?.raw).not.toContain(raw);
    const objects = textObjects(call?.body.blocks);
    const resident = objects.filter((o) => o.text.includes('たすけて'));
    expect(resident).toEqual([
      {
        type: 'plain_text',
        text: 'たすけて &lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C1&gt; &lt;https://evil.example|x&gt; *bold* _it_ &amp; more',
      },
    ]);
    expect(call?.body.text).not.toContain('たすけて');
    expect(call?.body.unfurl_links).toBe('false');
  });

  it('describes a sticker and links a shared location to OpenStreetMap', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    api.on('chat.postMessage', { ts: NEW_TS }, { times: 2 });
    const s = sender();

    await s.send(item(note({ type: 'resident-message', eventId: 'ev1', content: { type: 'sticker' } })), NOW);
    await s.send(
      item(
        note({
          type: 'resident-message',
          eventId: 'ev2',
          content: {
            type: 'location',
            latitude: 35.1234567,
            longitude: 137.0543,
            title: '<!here> 公園',
            address: '若葉町',
          },
        }),
      ),
      NOW,
    );

    expect(textObjects(api.calls[0]?.body.blocks)[0]?.text).toBe(ja('staff.resident.sticker'));
    const location = textObjects(api.calls[1]?.body.blocks);
    expect(location).toContainEqual({ type: 'plain_text', text: '&lt;!here&gt; 公園 若葉町' });
    expect(location.find((o) => o.text.includes('openstreetmap'))?.text).toBe(
      '<https://www.openstreetmap.org/?mlat=35.123457&amp;mlon=137.054300#map=17/35.123457/137.054300|地図で見る（OpenStreetMap, 35.123457, 137.054300）>',
    );
  });

  it('uploads a resident image into the thread (getUploadURLExternal, upload, completeUploadExternal)', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    api
      .on('files.getUploadURLExternal', {
        upload_url: 'https://files.slack.test/upload/v1/ABC',
        file_id: 'F0IMAGE1',
      })
      .on('files.completeUploadExternal', { files: [{ id: 'F0IMAGE1' }] });
    const files = nock('https://files.slack.test').post('/upload/v1/ABC').reply(200, 'OK - 4');
    const fetched: string[] = [];
    const fetchMedia: MediaFetcher = async (id) => {
      fetched.push(id);
      return { data: Buffer.from([0xff, 0xd8, 0xff, 0xe0]), contentType: 'image/jpeg' };
    };

    const result = await sender(fetchMedia).send(
      item(
        note({
          type: 'resident-message',
          eventId: 'ev3',
          content: { type: 'media', media: 'image', contentId: '5123' },
        }),
      ),
      NOW,
    );

    expect(result).toEqual({ kind: 'sent' });
    expect(fetched).toEqual(['5123']);
    files.done();
    api.done();
    const complete = api.callsTo('files.completeUploadExternal')[0];
    expect(complete?.body).toMatchObject({ channel_id: NORTH_CHANNEL, thread_ts: ALERT_TS });
    expect(complete?.raw).toContain(ja('staff.resident.media-uploaded', { kind: '画像' }));
  });

  it('describes the file instead when the upload fails', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    api.fail('files.getUploadURLExternal', 'missing_scope').on('chat.postMessage', { ts: NEW_TS });

    const result = await sender(async () => ({ data: Buffer.from('x') })).send(
      item(
        note({
          type: 'resident-message',
          eventId: 'ev4',
          content: { type: 'media', media: 'file', contentId: '77', fileName: '<!channel>.pdf' },
        }),
      ),
      NOW,
    );

    expect(result).toEqual({ kind: 'sent' });
    expect(textObjects(api.callsTo('chat.postMessage')[0]?.body.blocks)[0]?.text).toBe(
      ja('staff.resident.media-not-uploaded', { kind: 'ファイル' }),
    );
  });

  it('marks a delivered reply ✅ and a failed one ⚠️ with the reason', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    api.on('chat.postMessage', { ts: NEW_TS }, { times: 2 });
    const s = sender();

    await s.send(item(note({ type: 'delivery', replyId: 'V1', delivered: true })), NOW);
    await s.send(
      item(note({ type: 'delivery', replyId: 'V2', delivered: false, error: 'line.pushMessage 400: <bad>' })),
      NOW,
    );

    expect(textObjects(api.calls[0]?.body.blocks).map((o) => o.text)).toEqual(['✅ 住民に届きました。']);
    expect(textObjects(api.calls[1]?.body.blocks).map((o) => o.text)).toEqual([
      '⚠️ 住民に届きませんでした。',
      'line.pushMessage 400: &lt;bad&gt;',
    ]);
  });

  it('escalation level 1 mentions on-call in the thread; level 2 tells the supervisor channel with a link', async () => {
    await storedCase(store, {}, posted);
    api
      .on('chat.postMessage', { ts: NEW_TS })
      .on('chat.getPermalink', {
        permalink: 'https://komorebi.slack.com/archives/C0000000001/p1747015200000100',
      })
      .on('chat.postMessage', { ts: NEW_TS }, { times: 2 });
    const s = sender();

    await s.send(item(note({ type: 'escalation', level: 1, waitingMinutes: 30 })), NOW);
    await s.send(item(note({ type: 'escalation', level: 2, waitingMinutes: 120 })), NOW);

    const posts = api.callsTo('chat.postMessage');
    expect(posts[0]?.body).toMatchObject({
      channel: NORTH_CHANNEL,
      thread_ts: ALERT_TS,
      reply_broadcast: 'true',
    });
    expect(posts[0]?.body.text).toContain(`<!subteam^${ON_CALL_GROUP}>`);
    expect(posts[1]?.body.channel).toBe(SUPERVISOR_CHANNEL);
    expect(posts[1]?.body.thread_ts).toBeUndefined();
    expect(posts[1]?.raw).toContain('https://komorebi.slack.com/archives/C0000000001/p1747015200000100');
    expect(posts[1]?.raw).toContain(`<!subteam^${ON_CALL_GROUP}>`);
    expect(posts[2]?.body).toMatchObject({ channel: NORTH_CHANNEL, thread_ts: ALERT_TS });
  });

  it('closed: the internal note is shown as plain text', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    api.on('chat.postMessage', { ts: NEW_TS });

    await sender().send(item(note({ type: 'closed', staffId: STAFF, note: '包括に引継ぎ <!here>' })), NOW);

    expect(textObjects(api.calls[0]?.body.blocks)).toContainEqual({
      type: 'plain_text',
      text: '包括に引継ぎ &lt;!here&gt;',
    });
  });

  it("erased: deletes the thread's copies of the resident's words and files, keeps staff talk", async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    const BOT = 'U0MADOGUCHI';
    api.on('conversations.replies', {
      messages: [
        { ts: ALERT_TS, user: BOT, blocks: [] },
        {
          ts: '1747015300.000100',
          user: BOT,
          blocks: [{ type: 'context', block_id: 'madoguchi-resident-content' }],
        },
        { ts: '1747015400.000100', user: STAFF, text: '明日訪問します' },
        { ts: '1747015500.000100', user: BOT, files: [{ id: 'F0PHOTO' }] },
        { ts: '1747015600.000100', user: BOT, blocks: [{ type: 'context', block_id: 'x' }] },
      ],
      response_metadata: { next_cursor: '' },
    });
    api.on('chat.delete', {}, { times: 2 });
    api.on('files.delete');
    api.on('chat.postMessage', { ts: NEW_TS });
    api.on('chat.update', { ts: ALERT_TS, channel: NORTH_CHANNEL });

    expect(await sender().send(item(note({ type: 'erased' })), NOW)).toEqual({ kind: 'sent' });

    const deleted = api.calls.filter((c) => c.method === 'chat.delete').map((c) => c.body.ts);
    expect(deleted).toEqual(['1747015300.000100', '1747015500.000100']);
    expect(api.calls.find((c) => c.method === 'files.delete')?.body.file).toBe('F0PHOTO');
  });

  it('says why when the retention period, not the resident, removed the words', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    api.on('conversations.replies', { messages: [{ ts: ALERT_TS, user: 'U0BOT' }], response_metadata: {} });
    api.on('chat.postMessage', { ts: NEW_TS });
    api.on('chat.update', { ts: ALERT_TS, channel: NORTH_CHANNEL });
    await sender().send(item(note({ type: 'erased', reason: 'retention' })), NOW);
    const posted_ = api.calls.find((c) => c.method === 'chat.postMessage');
    expect(posted_?.raw).toContain(ja('staff.thread.expired'));
  });

  it('marks the messages that carry resident content, so an erasure can find them', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    api.on('chat.postMessage', { ts: NEW_TS });
    await sender().send(
      item(note({ type: 'resident-message', content: { type: 'text', text: 'たすけて' }, eventId: 'e1' })),
      NOW,
    );
    const blocks = api.calls[0]?.body.blocks as Array<{ block_id?: string }>;
    expect(blocks[0]?.block_id).toBe('madoguchi-resident-content');
  });

  it('crisis: broadcast to the channel with the on-call mention', async () => {
    await storedCase(store, { urgent: true }, posted);
    api.on('chat.postMessage', { ts: NEW_TS });

    await sender().send(item(note({ type: 'crisis' })), NOW);

    expect(api.calls[0]?.body).toMatchObject({ reply_broadcast: 'true', thread_ts: ALERT_TS });
    expect(api.calls[0]?.raw).toContain(`<!subteam^${ON_CALL_GROUP}>`);
  });
});

describe('SlackSender: a thread note is posted once', () => {
  it('does not relay a resident message twice when Slack posted it but answered after the timeout', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    const { run, moveTo } = slowQueue();
    const queued = item(
      note({ type: 'resident-message', eventId: 'ev1', content: { type: 'text', text: 'まだですか' } }),
    );
    await store.outbox.enqueue([queued]);
    // Slack takes the post, but its answer comes after the client's deadline.
    api.on('chat.postMessage', { channel: NORTH_CHANNEL, ts: NEW_TS }, { delayMs: 1_000 });

    await run();
    const retried = await store.outbox.get(queued.id);
    expect(retried).toMatchObject({ status: 'pending', attempts: 1 });
    expect(retried?.lastError).toContain('slack.chat.postMessage network');
    expect(JSON.parse(String(api.callsTo('chat.postMessage')[0]?.body.metadata))).toEqual({
      event_type: NOTICE_EVENT_TYPE,
      event_payload: { outboxId: queued.id, part: 'note' },
    });

    // The retry reads the thread first and finds the note by the id in its metadata.
    api.on('conversations.replies', {
      messages: [
        { type: 'message', ts: ALERT_TS, bot_id: 'B0MADOGUCHI' },
        { type: 'message', ts: '1747015700.000100', text: '確認します', user: STAFF, thread_ts: ALERT_TS },
        {
          type: 'message',
          ts: NEW_TS,
          bot_id: 'B0MADOGUCHI',
          thread_ts: ALERT_TS,
          metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: { outboxId: queued.id, part: 'note' } },
        },
      ],
      has_more: false,
    });
    moveTo(new Date((retried?.nextAttemptAt ?? NOW).getTime() + 1));
    await run();

    expect(await store.outbox.get(queued.id)).toMatchObject({ status: 'sent' });
    expect(api.callsTo('chat.postMessage')).toHaveLength(1);
    const lookup = api.callsTo('conversations.replies')[0]?.body;
    expect(lookup).toMatchObject({ channel: NORTH_CHANNEL, ts: ALERT_TS, include_all_metadata: 'true' });
    expect(Number(lookup?.limit)).toBeLessThanOrEqual(200);
    expect(Number(lookup?.oldest)).toBeLessThanOrEqual(queued.createdAt.getTime() / 1000);
    expect(api.callsTo('conversations.history')).toEqual([]);
    api.done();
  });

  it("posts a delivery mark again when the thread holds only other items' notes", async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    const retry = {
      ...item(note({ type: 'delivery', replyId: 'V1', delivered: true })),
      attempts: 1,
      lastError: 'slack.chat.postMessage network: ETIMEDOUT',
    };
    api
      .on('conversations.replies', {
        messages: [
          {
            type: 'message',
            ts: '1747015700.000100',
            thread_ts: ALERT_TS,
            metadata: {
              event_type: NOTICE_EVENT_TYPE,
              event_payload: { outboxId: randomUUID(), part: 'note' },
            },
          },
        ],
      })
      .on('chat.postMessage', { ts: NEW_TS });

    expect(await sender().send(retry, NOW)).toEqual({ kind: 'sent' });
    expect(textObjects(api.callsTo('chat.postMessage')[0]?.body.blocks).map((o) => o.text)).toEqual([
      '✅ 住民に届きました。',
    ]);
    api.done();
  });

  it('level 2: supervisors told before the thread note was rate limited are not told again', async () => {
    await storedCase(store, {}, posted);
    // The supervisor post went out; the thread's "supervisors told" was refused with a rate limit.
    const retry = {
      ...item(note({ type: 'escalation', level: 2, waitingMinutes: 120 })),
      attempts: 1,
      lastError: 'slack.chat.postMessage ratelimited',
    };
    api
      .on('conversations.replies', { messages: [{ type: 'message', ts: ALERT_TS }] })
      .on('conversations.history', {
        messages: [
          {
            type: 'message',
            ts: '1747015700.000100',
            metadata: {
              event_type: NOTICE_EVENT_TYPE,
              event_payload: { outboxId: retry.id, part: 'supervisor' },
            },
          },
        ],
      })
      .on('chat.postMessage', { ts: NEW_TS });

    expect(await sender().send(retry, NOW)).toEqual({ kind: 'sent' });
    expect(api.callsTo('conversations.history')[0]?.body.channel).toBe(SUPERVISOR_CHANNEL);
    expect(api.callsTo('chat.postMessage').map((c) => c.body.channel)).toEqual([NORTH_CHANNEL]);
    api.done();
  });

  it('does not read the thread when the earlier attempt only waited for the alert', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    api.on('chat.postMessage', { ts: NEW_TS });
    const retry = {
      ...item(note({ type: 'reopened' })),
      attempts: 1,
      lastError: 'slack: the case alert is not posted yet',
    };

    expect(await sender().send(retry, NOW)).toEqual({ kind: 'sent' });
    expect(api.callsTo('conversations.replies')).toEqual([]);
    api.done();
  });
});

describe('SlackSender: errors', () => {
  it('a rate limit is a retry after Retry-After', async () => {
    await storedCase(store);
    api.on('chat.postMessage', {}, { status: 429, headers: { 'retry-after': '30' } });

    const result = await sender().send(item(alert()), NOW);

    expect(result).toEqual({
      kind: 'retry',
      error: 'slack.chat.postMessage ratelimited',
      retryAfterMs: 30_000,
      replyTokenSpent: false,
    });
  });

  it('a server error is a retry', async () => {
    await storedCase(store);
    api.on('chat.postMessage', {}, { status: 503 });

    expect(await sender().send(item(alert()), NOW)).toMatchObject({
      kind: 'retry',
      error: 'slack.chat.postMessage http 503',
    });
  });

  it('channel_not_found fails for good, naming the method', async () => {
    await storedCase(store);
    api.fail('chat.postMessage', 'channel_not_found');

    expect(await sender().send(item(alert()), NOW)).toEqual({
      kind: 'failed',
      error: 'slack.chat.postMessage channel_not_found',
    });
    expect((await store.cases.get(CASE_ID))?.staffThread).toBeUndefined();
  });

  it('not_in_channel and invalid_auth fail for good', async () => {
    await storedCase(store, {}, posted);
    api.fail('chat.postMessage', 'not_in_channel').fail('chat.postMessage', 'invalid_auth');
    const s = sender();

    expect(await s.send(item(note({ type: 'reopened' })), NOW)).toEqual({
      kind: 'failed',
      error: 'slack.chat.postMessage not_in_channel',
    });
    expect(await s.send(item(note({ type: 'reopened' })), NOW)).toEqual({
      kind: 'failed',
      error: 'slack.chat.postMessage invalid_auth',
    });
  });

  it('a case that does not exist fails', async () => {
    expect(await sender().send(item(alert()), NOW)).toMatchObject({ kind: 'failed' });
  });
});
