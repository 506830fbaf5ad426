import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountSlackApp } from '../../../src/channels/slack/slack-app.js';
import { SlackStaffAuthorizer } from '../../../src/channels/slack/staff-authorizer.js';
import { HandoverDesk } from '../../../src/core/cases/handover-desk.js';
import type { Store } from '../../../src/core/ports/store.js';
import { openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { FakeClock } from '../../support/fake-clock.js';
import { silentLogger } from '../../support/silent-logger.js';
import {
  ALERT_TS,
  API_URL,
  BOT_TOKEN,
  CASE_ID,
  content,
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
} from './slack-test-support.js';

const STAFF = 'U0AUTHSTAFF';
let store: Store;
let api: SlackApi;

beforeEach(async () => {
  store = await openEmbeddedStore({ inMemory: true });
  api = new SlackApi();
  api.on('usergroups.users.list', { users: [STAFF] });
});
afterEach(async () => {
  await store.close();
});

function setup() {
  const clock = new FakeClock();
  const { outbox, audit, actions } = slackStaffCore(store, clock.now);
  const handover = new HandoverDesk({
    cases: store.cases,
    auditLog: store.audit,
    audit,
    outbox,
    staffChannel: 'slack',
    config: municipality,
    t: staffText.t,
    translator: content.translator,
    now: clock.now,
  });
  const app = express();
  mountSlackApp({
    app,
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    apiUrl: API_URL,
    timeoutMs: 5_000,
    actions,
    cases: store.cases,
    seen: store.seen,
    config: municipality,
    authorizer: new SlackStaffAuthorizer({
      client: slackClient(),
      config: municipality,
      fallbackChannel: FALLBACK_CHANNEL,
      logger: silentLogger,
    }),
    text: staffText,
    logger: silentLogger,
    now: clock.now,
    audit,
    handover,
    processBeforeResponse: true,
  });
  return (payload: unknown) => {
    const raw = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const timestamp = Math.floor(Date.now() / 1000);
    return request(app)
      .post('/slack/events')
      .set('content-type', 'application/x-www-form-urlencoded')
      .set('x-slack-request-timestamp', String(timestamp))
      .set('x-slack-signature', slackSignature(raw, timestamp))
      .send(raw);
  };
}

/** The notes queued for the case's thread, in order. */
async function queuedNotes(): Promise<string[]> {
  const notes: string[] = [];
  let item = await store.outbox.oldestPending('slack', `case:${CASE_ID}`);
  while (item) {
    notes.push(item.notice?.kind === 'thread' ? item.notice.note.type : 'alert');
    await store.outbox.markSent(item.id, new Date());
    item = await store.outbox.oldestPending('slack', `case:${CASE_ID}`);
  }
  return notes;
}

const posted = { staffThread: { channel: NORTH_CHANNEL, ts: ALERT_TS } };

function submission(callbackId: string, values: Record<string, unknown>, id = 'V0SHEET00001') {
  const payload = JSON.parse(fixture('view-submission-reroute'));
  payload.view.id = id;
  payload.view.callback_id = callbackId;
  payload.view.state.values = values;
  return payload;
}

describe('つなぐシート from Slack', () => {
  it('the button opens a modal with the case window chosen and the consent box; submitting queues the sheet once', async () => {
    await storedCase(store, { anonymous: false }, { ...posted, assignee: STAFF });
    api.on('views.open', { view: { id: 'V0SHEET00001' } });
    api.on('chat.postEphemeral', {}, { times: 2 });
    const postPayload = setup();
    const click = JSON.parse(fixture('block-actions-accept'));
    click.actions[0].action_id = 'case_handover';

    await postPayload(click);
    const view = api.callsTo('views.open')[0]?.body.view as { callback_id: string; blocks: unknown[] };
    expect(view.callback_id).toBe('case_handover_submit');
    const json = JSON.stringify(view);
    expect(json).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"こもれび北部地域包括支援センター"',
    );
    expect(json).toContain('"value":"consent"');

    const submit = submission('case_handover_submit', {
      handover_window: {
        handover_window: { type: 'static_select', selected_option: { value: 'kodomo-katei' } },
      },
      handover_consent: {
        handover_consent: { type: 'checkboxes', selected_options: [{ value: 'consent' }] },
      },
    });
    await postPayload(submit);
    await postPayload(submit);
    const entries = (await store.audit.listForCase(CASE_ID)).filter(
      (e) => e.action === 'case.handover-sheet',
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { id: STAFF },
      details: { window: 'kodomo-katei', consent: true },
    });
    expect(await queuedNotes()).toEqual(['handover-sheet']);
  });

  it('"本人に確認する": the resident is asked on LINE (no sheet yet), staff are told, and their tap decides the sheet', async () => {
    await storedCase(store, { anonymous: false }, { ...posted, assignee: STAFF });
    api.on('views.open', { view: { id: 'V0SHEET00003' } });
    api.on('chat.postEphemeral', {}, { times: 2 });
    const postPayload = setup();
    const click = JSON.parse(fixture('block-actions-accept'));
    click.actions[0].action_id = 'case_handover';
    await postPayload(click);
    expect(JSON.stringify(api.callsTo('views.open')[0]?.body.view)).toContain('"value":"ask"');

    const submit = submission(
      'case_handover_submit',
      {
        handover_window: {
          handover_window: { type: 'static_select', selected_option: { value: 'kodomo-katei' } },
        },
        handover_consent: {
          handover_consent: { type: 'checkboxes', selected_options: [{ value: 'ask' }] },
        },
      },
      'V0SHEET00003',
    );
    await postPayload(submit);
    await postPayload(submit);
    expect(api.callsTo('chat.postEphemeral')[0]?.body).toMatchObject({
      user: STAFF,
      text: ja('handover.ephemeral.asked'),
    });
    const trail = await store.audit.listForCase(CASE_ID);
    expect(trail.filter((e) => e.action === 'case.handover-sheet')).toEqual([]);
    const asked = trail.filter((e) => e.action === 'case.handover-consent-asked');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      actor: { kind: 'staff', id: STAFF },
      details: { window: 'kodomo-katei' },
    });
    expect(await queuedNotes()).toEqual(['consent-asked']);
    expect((await store.cases.get(CASE_ID))?.handoverConsent).toEqual({ 'kodomo-katei': 'asked' });

    // One question reached the resident's LINE outbox, with a yes and a no button.
    const question = await store.outbox.oldestPending('line', RESIDENT);
    expect(question?.messages[0]?.quickReplies?.map((q) => (q.kind === 'choice' ? q.data : ''))).toEqual([
      `g|yes|${CASE_ID}|kodomo-katei`,
      `g|no|${CASE_ID}|kodomo-katei`,
    ]);
    if (question) await store.outbox.markSent(question.id, new Date());
    expect(await store.outbox.oldestPending('line', RESIDENT)).toBeNull();
  });

  it('"本人に確認する" on an anonymous case is refused clearly and asks no one', async () => {
    await storedCase(store, { anonymous: true }, { ...posted, assignee: STAFF });
    api.on('chat.postEphemeral');
    const postPayload = setup();
    await postPayload(
      submission('case_handover_submit', {
        handover_window: {
          handover_window: { type: 'static_select', selected_option: { value: 'kodomo-katei' } },
        },
        handover_consent: {
          handover_consent: { type: 'checkboxes', selected_options: [{ value: 'ask' }] },
        },
      }),
    );
    expect(api.callsTo('chat.postEphemeral')[0]?.body).toMatchObject({
      text: ja('handover.ephemeral.cannot-ask'),
    });
    expect(await store.outbox.oldestPending('line', RESIDENT)).toBeNull();
    expect(await queuedNotes()).toEqual([]);
  });

  it('a neighbour report: the modal offers no consent, whatever a forged submission says', async () => {
    await storedCase(store, { origin: 'neighbour' }, { ...posted, assignee: STAFF });
    api.on('views.open', { view: { id: 'V0SHEET00002' } });
    api.on('chat.postEphemeral');
    const postPayload = setup();
    const click = JSON.parse(fixture('block-actions-accept'));
    click.actions[0].action_id = 'case_handover';
    await postPayload(click);
    expect(JSON.stringify(api.callsTo('views.open')[0]?.body.view)).not.toContain('"value":"consent"');
    await postPayload(
      submission('case_handover_submit', {
        handover_window: {
          handover_window: { type: 'static_select', selected_option: { value: 'takikan-kyodo' } },
        },
        handover_consent: {
          handover_consent: { type: 'checkboxes', selected_options: [{ value: 'consent' }] },
        },
      }),
    );
    const [entry] = (await store.audit.listForCase(CASE_ID)).filter(
      (e) => e.action === 'case.handover-sheet',
    );
    expect(entry?.details).toMatchObject({ variant: 'support-meeting', consent: false });
  });

  it('a reroute with the offer ticked queues a sheet for the receiving window after the move', async () => {
    await storedCase(store, {}, { ...posted, assignee: STAFF });
    const postPayload = setup();
    await postPayload(
      submission(
        'case_reroute_submit',
        {
          window: { window: { type: 'static_select', selected_option: { value: 'shogai-soudan' } } },
          handover_attach: {
            handover_attach: { type: 'checkboxes', selected_options: [{ value: 'attach' }] },
          },
        },
        'V0ROUTE00002',
      ),
    );
    expect(await store.cases.get(CASE_ID)).toMatchObject({ windowId: 'shogai-soudan' });
    const notes = await queuedNotes();
    expect(notes.at(-1)).toBe('handover-sheet');
    expect(notes.indexOf('rerouted')).toBeLessThan(notes.indexOf('handover-sheet'));
    const [entry] = (await store.audit.listForCase(CASE_ID)).filter(
      (e) => e.action === 'case.handover-sheet',
    );
    expect(entry?.details).toMatchObject({ window: 'shogai-soudan', variant: 'support-meeting' });
  });
});
