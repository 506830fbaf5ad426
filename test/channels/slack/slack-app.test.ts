import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountSlackApp } from '../../../src/channels/slack/slack-app.js';
import { SlackStaffAuthorizer } from '../../../src/channels/slack/staff-authorizer.js';
import type { Store } from '../../../src/core/ports/store.js';
import { openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { FakeClock } from '../../support/fake-clock.js';
import { silentLogger } from '../../support/silent-logger.js';
import {
  ALERT_TS,
  API_URL,
  BOT_TOKEN,
  CASE_ID,
  FALLBACK_CHANNEL,
  fixture,
  ja,
  municipality,
  NORTH_CHANNEL,
  RESIDENT,
  SIGNING_SECRET,
  SlackApi,
  slackClient,
  slackSignature,
  slackStaffCore,
  staffText,
  storedCase,
  textObjects,
} from './slack-test-support.js';

const STAFF = 'U0AUTHSTAFF';
const OUTSIDER = 'U0OUTSIDER';

let store: Store;
let api: SlackApi;

beforeEach(async () => {
  store = await openEmbeddedStore({ inMemory: true });
  api = new SlackApi();
});
afterEach(async () => {
  await store.close();
});

/** The staff user group has these members (usergroups.users.list, asked once: the answer is cached). */
function staffGroup(...members: string[]) {
  api.on('usergroups.users.list', { users: members });
}

/** `timeoutMs`: the deadline of each call through Bolt's own client (a short one lets Slack hang). */
function setup(options: { processBeforeResponse?: boolean; timeoutMs?: number } = {}) {
  const clock = new FakeClock();
  const { audit, actions } = slackStaffCore(store, clock.now);
  const authorizer = new SlackStaffAuthorizer({
    client: slackClient(),
    config: municipality,
    fallbackChannel: FALLBACK_CHANNEL,
    logger: silentLogger,
  });
  const app = express();
  mountSlackApp({
    app,
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    apiUrl: API_URL,
    timeoutMs: options.timeoutMs ?? 5_000,
    actions,
    cases: store.cases,
    seen: store.seen,
    config: municipality,
    authorizer,
    text: staffText,
    logger: silentLogger,
    now: clock.now,
    audit,
    processBeforeResponse: options.processBeforeResponse ?? true,
  });

  const send = (
    raw: string,
    contentType: string,
    options: { timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
  ) => {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    return request(app)
      .post('/slack/events')
      .set('content-type', contentType)
      .set('x-slack-request-timestamp', String(timestamp))
      .set('x-slack-signature', options.signature ?? slackSignature(raw, timestamp))
      .set(options.headers ?? {})
      .send(raw);
  };
  const postEvent = (raw: string, options?: Parameters<typeof send>[2]) =>
    send(raw, 'application/json', options);
  /** Interactivity arrives form-encoded, as `payload=<json>`. */
  const postPayload = (payload: unknown, options?: Parameters<typeof send>[2]) =>
    send(
      `payload=${encodeURIComponent(JSON.stringify(payload))}`,
      'application/x-www-form-urlencoded',
      options,
    );
  return { app, actions, audit, clock, postEvent, postPayload };
}

const acceptFrom = (user: string) => {
  const payload = JSON.parse(fixture('block-actions-accept'));
  payload.user.id = user;
  return payload;
};
const posted = { staffThread: { channel: NORTH_CHANNEL, ts: ALERT_TS } };

describe('POST /slack/events: verification', () => {
  it('answers url_verification when correctly signed', async () => {
    const { postEvent } = setup();
    const res = await postEvent(fixture('url-verification'));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('refuses a wrongly signed request with 401, before any handler runs', async () => {
    const { postEvent, actions } = setup();
    const reply = vi.spyOn(actions, 'reply');
    const raw = fixture('event-thread-reply');

    const res = await postEvent(raw, {
      signature: slackSignature(raw, Math.floor(Date.now() / 1000), 'another-secret'),
    });

    expect(res.status).toBe(401);
    expect(reply).not.toHaveBeenCalled();
  });

  it('refuses a correctly signed request older than five minutes (replay) with 401', async () => {
    const { postEvent } = setup();
    const raw = fixture('url-verification');
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;

    const res = await postEvent(raw, { timestamp: stale, signature: slackSignature(raw, stale) });

    expect(res.status).toBe(401);
  });

  it('refuses a request without signature headers with 401', async () => {
    const { app } = setup();

    const res = await request(app)
      .post('/slack/events')
      .set('content-type', 'application/json')
      .send(fixture('url-verification'));

    expect(res.status).toBe(401);
  });
});

describe('POST /slack/events: thread replies', () => {
  it('sends a prefixed thread message to the resident, once even when Slack retries the event', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    staffGroup(STAFF);
    const { postEvent, actions } = setup();
    const reply = vi.spyOn(actions, 'reply');
    const raw = fixture('event-thread-reply');

    const first = await postEvent(raw);
    const retried = await postEvent(raw, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });

    expect([first.status, retried.status]).toEqual([200, 200]);
    expect(reply).toHaveBeenCalledTimes(1);
    expect(reply).toHaveBeenCalledWith(
      CASE_ID,
      { id: STAFF },
      '明日の午前にお電話します <地域包括> @',
      'msg-1747015500.000200',
    );
    const toResident = await store.outbox.oldestPending('line', RESIDENT);
    expect(toResident?.messages[0]).toMatchObject({ type: 'text' });
    expect(JSON.stringify(toResident?.messages)).toContain('明日の午前にお電話します <地域包括> @');
    api.done();
  });

  it('handles a retry (X-Slack-Retry-Num) of an event that never arrived the first time', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    staffGroup(STAFF);
    const { postEvent, actions } = setup();
    const reply = vi.spyOn(actions, 'reply');

    const res = await postEvent(fixture('event-thread-reply'), {
      headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' },
    });

    expect(res.status).toBe(200);
    expect(reply).toHaveBeenCalledTimes(1);
  });

  it('keeps a thread message without the prefix among staff: nothing is sent', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    const { postEvent, actions } = setup();
    const reply = vi.spyOn(actions, 'reply');

    const res = await postEvent(fixture('event-thread-chat'));

    expect(res.status).toBe(200);
    expect(reply).not.toHaveBeenCalled();
    expect(await store.outbox.oldestPending('line', RESIDENT)).toBeNull();
    expect(api.calls).toEqual([]);
  });

  it('refuses a 返信: message longer than LINE takes, saying how long it may be, and sends nothing', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    staffGroup(STAFF);
    api.on('chat.postEphemeral');
    const { postEvent, actions } = setup();
    const event = JSON.parse(fixture('event-thread-reply'));
    event.event.text = `返信：${'あ'.repeat(actions.replyLimit + 1)}`;

    await postEvent(JSON.stringify(event));

    expect(api.callsTo('chat.postEphemeral')[0]?.body).toMatchObject({
      channel: NORTH_CHANNEL,
      user: STAFF,
      thread_ts: ALERT_TS,
      text: ja('staff.ephemeral.reply.too-long', { limit: actions.replyLimit }),
    });
    expect(await store.outbox.oldestPending('line', RESIDENT)).toBeNull();
    api.done();
  });

  it('refuses a prefixed reply from someone not authorised, and sends nothing', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    staffGroup('U0SOMEONEELSE');
    api.on('chat.postEphemeral');
    const { postEvent, actions } = setup();
    const reply = vi.spyOn(actions, 'reply');

    await postEvent(fixture('event-thread-reply'));

    expect(reply).not.toHaveBeenCalled();
    expect(api.callsTo('chat.postEphemeral')[0]?.body).toMatchObject({
      channel: NORTH_CHANNEL,
      user: STAFF,
      thread_ts: ALERT_TS,
      text: ja('staff.ephemeral.not-authorised'),
    });
    expect(await store.outbox.oldestPending('line', RESIDENT)).toBeNull();
  });
});

describe('POST /slack/events: the alert buttons', () => {
  it('case_accept from an authorised person: the case is theirs', async () => {
    await storedCase(store, {}, posted);
    staffGroup(STAFF);
    const { postPayload, actions } = setup();
    const accept = vi.spyOn(actions, 'accept');

    const res = await postPayload(acceptFrom(STAFF));

    expect(res.status).toBe(200);
    expect(accept).toHaveBeenCalledWith(CASE_ID, { id: STAFF });
    const record = await store.cases.get(CASE_ID);
    expect(record).toMatchObject({ status: 'assigned', assignee: STAFF });
    // The alert update and the intake go out through the outbox, addressed to the case.
    expect((await store.outbox.oldestPending('slack', `case:${CASE_ID}`))?.notice).toMatchObject({
      note: { type: 'accepted', staffId: STAFF },
    });
    expect(api.callsTo('chat.postEphemeral')).toEqual([]);
  });

  it('case_accept from someone not authorised: an ephemeral refusal, and the case is unchanged', async () => {
    await storedCase(store, {}, posted);
    staffGroup(STAFF);
    api.on('chat.postEphemeral');
    const { postPayload, actions } = setup();
    const accept = vi.spyOn(actions, 'accept');

    const res = await postPayload(acceptFrom(OUTSIDER));

    expect(res.status).toBe(200);
    expect(accept).not.toHaveBeenCalled();
    const record = await store.cases.get(CASE_ID);
    expect(record?.status).toBe('pending');
    expect(record?.assignee).toBeUndefined();
    expect(api.callsTo('chat.postEphemeral')[0]?.body).toMatchObject({
      channel: NORTH_CHANNEL,
      user: OUTSIDER,
      text: ja('staff.ephemeral.not-authorised'),
    });
    expect(await store.outbox.oldestPending('slack', `case:${CASE_ID}`)).toBeNull();
    const audit = await store.audit.listForCase(CASE_ID);
    expect(audit.map((e) => [e.action, e.actor.id, e.details?.action])).toEqual([
      ['case.action-unauthorised', OUTSIDER, 'accept'],
    ]);
  });

  it('a second click on accept: "already taken by" the owner, only to the clicker', async () => {
    await storedCase(store, {}, { ...posted, assignee: 'U0FIRSTSTAFF' });
    staffGroup(STAFF, 'U0FIRSTSTAFF');
    api.on('chat.postEphemeral');
    const { postPayload } = setup();

    await postPayload(acceptFrom(STAFF));

    expect(api.callsTo('chat.postEphemeral')[0]?.body).toMatchObject({
      user: STAFF,
      text: ja('staff.ephemeral.taken', { staff: '<@U0FIRSTSTAFF>' }),
    });
    expect(await store.cases.get(CASE_ID)).toMatchObject({ assignee: 'U0FIRSTSTAFF' });
  });

  it('case_reroute opens a modal listing the other windows; submitting it moves the case', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    staffGroup(STAFF);
    api.on('views.open', { view: { id: 'V0ROUTE00001' } });
    const { postPayload } = setup();
    const click = acceptFrom(STAFF);
    click.actions[0].action_id = 'case_reroute';

    await postPayload(click);
    const opened = api.callsTo('views.open')[0]?.body;
    expect(opened?.trigger_id).toBe(click.trigger_id);
    const view = opened?.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('case_reroute_submit');
    expect(JSON.parse(view.private_metadata)).toEqual({
      caseId: CASE_ID,
      channel: NORTH_CHANNEL,
      threadTs: ALERT_TS,
    });
    const options = JSON.stringify(view).match(/"value":"([a-z-]+)"/g) ?? [];
    expect(options).toContain('"value":"shogai-soudan"');
    expect(options).not.toContain('"value":"houkatsu-north"');

    await postPayload(JSON.parse(fixture('view-submission-reroute')));
    expect(await store.cases.get(CASE_ID)).toMatchObject({ windowId: 'shogai-soudan', status: 'pending' });
  });

  it('the reply modal sends to the resident once per submission, and shows the sent text in the thread', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    staffGroup(STAFF);
    api.on('chat.postMessage', { ts: '1747015950.000400' }, { times: 2 });
    const { postPayload, actions } = setup();
    const reply = vi.spyOn(actions, 'reply');
    const submission = JSON.parse(fixture('view-submission-reply'));

    await postPayload(submission);
    const afterFirst = (await store.outbox.countByStatus()).pending;
    await postPayload(submission);

    expect(reply).toHaveBeenCalledWith(
      CASE_ID,
      { id: STAFF },
      'ご連絡ありがとうございます。<!channel> 明日お電話します。',
      'V0REPLY00001',
    );
    expect((await store.outbox.countByStatus()).pending).toBe(afterFirst);
    const toResident = await store.outbox.oldestPending('line', RESIDENT);
    expect(JSON.stringify(toResident?.messages)).toContain('明日お電話します');
    const shown = api.callsTo('chat.postMessage')[0];
    expect(shown?.body).toMatchObject({ channel: NORTH_CHANNEL, thread_ts: ALERT_TS });
    expect(shown?.raw).not.toContain('<!channel>');
    expect(textObjects(shown?.body.blocks)).toContainEqual({
      type: 'plain_text',
      text: 'ご連絡ありがとうございます。&lt;!channel&gt; 明日お電話します。',
    });
  });

  it('the reply modal asks Slack to stop staff at the reply limit', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    staffGroup(STAFF);
    api.on('views.open', { view: { id: 'V0REPLY00001' } });
    const { postPayload, actions } = setup();
    const click = acceptFrom(STAFF);
    click.actions[0].action_id = 'case_reply';

    await postPayload(click);

    const view = api.callsTo('views.open')[0]?.body.view as {
      blocks: Array<{ element?: { max_length?: number } }>;
    };
    const input = view.blocks.find((b) => b.element)?.element;
    // Slack allows at most 3,000 on an input; the limit itself is higher.
    expect(actions.replyLimit).toBeGreaterThan(3000);
    expect(input?.max_length).toBe(3000);
  });

  it('a reply modal submission over the limit stays open with the reason, and nothing is sent', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    staffGroup(STAFF);
    const { postPayload, actions } = setup();
    const reply = vi.spyOn(actions, 'reply');
    const submission = JSON.parse(fixture('view-submission-reply'));
    // Within Slack's own count (2,500 emoji), but 5,000 UTF-16 code units: past what LINE takes once wrapped.
    submission.view.state.values.reply.reply.value = '🙇'.repeat(2500);

    const res = await postPayload(submission);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      response_action: 'errors',
      errors: { reply: ja('staff.ephemeral.reply.too-long', { limit: actions.replyLimit }) },
    });
    expect(reply).not.toHaveBeenCalled();
    expect(await store.outbox.oldestPending('line', RESIDENT)).toBeNull();
    expect(api.calls).toEqual([]);
  });

  it('the close modal closes the case with its internal note', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    staffGroup(STAFF);
    api.on('conversations.members', { members: ['U0BOSS'] });
    const { postPayload, actions } = setup();
    const close = vi.spyOn(actions, 'close');

    await postPayload(JSON.parse(fixture('view-submission-close')));

    expect(close).toHaveBeenCalledWith(
      CASE_ID,
      { id: STAFF },
      { note: '地域包括で継続支援。訪問済み。', asSupervisor: false },
    );
    expect(await store.cases.get(CASE_ID)).toMatchObject({ status: 'closed' });
  });

  it("closing someone else's case: refused unless a supervisor", async () => {
    await storedCase(store, {}, { ...posted, assignee: 'U0FIRSTSTAFF' });
    staffGroup(STAFF, 'U0FIRSTSTAFF');
    api.on('conversations.members', { members: ['U0BOSS'] }).on('chat.postEphemeral');
    const { postPayload } = setup();

    await postPayload(JSON.parse(fixture('view-submission-close')));

    expect(await store.cases.get(CASE_ID)).toMatchObject({ status: 'assigned' });
    expect(api.callsTo('chat.postEphemeral')[0]?.body.text).toBe(
      ja('staff.ephemeral.not-owner', { staff: '<@U0FIRSTSTAFF>' }),
    );
  });

  it('in production mode (ack first) answers at once and finishes the work after', async () => {
    await storedCase(store, {}, posted);
    staffGroup(STAFF);
    const { postPayload } = setup({ processBeforeResponse: false });

    const res = await postPayload(acceptFrom(STAFF));

    expect(res.status).toBe(200);
    await vi.waitFor(async () => expect((await store.cases.get(CASE_ID))?.status).toBe('assigned'));
    // The last thing accept does: the resident hears a person took over.
    await vi.waitFor(async () => expect(await store.outbox.oldestPending('line', RESIDENT)).not.toBeNull());
  });

  it('tells the person to try again when Slack refuses to open the modal', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    staffGroup(STAFF);
    api.fail('views.open', 'expired_trigger_id').on('chat.postEphemeral');
    const { postPayload } = setup();
    const click = acceptFrom(STAFF);
    click.actions[0].action_id = 'case_reply';

    await postPayload(click);

    expect(api.callsTo('chat.postEphemeral')[0]?.body).toMatchObject({
      user: STAFF,
      text: ja('staff.ephemeral.error'),
    });
  });
});

/** Longer than any test waits: a Slack that has taken the request and never answers. */
const NEVER_MS = 60_000;
/** A generous bound: far above the client's deadline, far below Slack's "never". */
const PROMPTLY_MS = 5_000;

describe("POST /slack/events: Bolt's own client has a deadline", () => {
  it('a views.open that never answers fails at the deadline, and the person is told to try again', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    staffGroup(STAFF);
    api.on('views.open', {}, { delayMs: NEVER_MS }).on('chat.postEphemeral');
    const { postPayload } = setup({ timeoutMs: 100 });
    const click = acceptFrom(STAFF);
    click.actions[0].action_id = 'case_reply';

    const started = Date.now();
    const res = await postPayload(click);

    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(PROMPTLY_MS);
    expect(api.callsTo('chat.postEphemeral')[0]?.body).toMatchObject({
      user: STAFF,
      text: ja('staff.ephemeral.error'),
    });
  });

  it('a chat.postEphemeral that never answers does not hold the refusal: the handler finishes', async () => {
    await storedCase(store, {}, posted);
    staffGroup(STAFF);
    api.on('chat.postEphemeral', {}, { delayMs: NEVER_MS });
    const { postPayload, actions } = setup({ timeoutMs: 100 });
    const accept = vi.spyOn(actions, 'accept');

    const started = Date.now();
    const res = await postPayload(acceptFrom(OUTSIDER));

    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(PROMPTLY_MS);
    expect(accept).not.toHaveBeenCalled();
    expect((await store.cases.get(CASE_ID))?.assignee).toBeUndefined();
  });
});
