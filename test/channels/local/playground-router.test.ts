import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseView, FeedEntryView } from '../../../src/channels/local/staff-pane-view.js';
import { loadConfig } from '../../../src/config.js';
import { createService } from '../../../src/service.js';
import { openEmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { t } from '../../support/conversation-harness.js';
import { LINE_SECRET, LINE_TOKEN, signLineBody, webhookBody } from '../../support/line-webhook-bodies.js';
import { silentLogger } from '../../support/silent-logger.js';
import { createPlaygroundApp, type PlaygroundApp } from './playground-app.js';
import { PlaygroundResident } from './playground-resident.js';

const OWN_WORDS = 'ベランダにごみ袋が積み上がっていて、住んでいる方の姿を最近見ません';
const PLACE = '若葉町3丁目の青い屋根のアパート';

describe('the playground API over the real core', () => {
  let pg: PlaygroundApp;

  beforeEach(async () => {
    pg = await createPlaygroundApp();
  });

  afterEach(async () => {
    await pg.stop();
  });

  const resident = (id = 'resident-1') => new PlaygroundResident(pg.app, () => pg.settle(), id);

  async function feed(
    after = 0,
    extra = '',
  ): Promise<{ epoch: string; latest: number; entries: FeedEntryView[] }> {
    const res = await request(pg.app).get(`/playground/api/staff/feed?after=${after}${extra}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function cases(): Promise<CaseView[]> {
    const res = await request(pg.app).get('/playground/api/cases');
    expect(res.status).toBe(200);
    return res.body.cases;
  }

  /** A neighbour's anonymous report, walked as the e2e test walks it in the browser. */
  async function reportNeighbour(r: PlaygroundResident): Promise<CaseView> {
    await r.follow();
    await r.tapOption('welcome', 'menu', 'neighbour');
    await r.tapOption('intake-neighbour', 'observed', 'rubbish');
    await r.choose({ kind: 'done', flow: 'intake-neighbour', step: 'observed' });
    await r.say(OWN_WORDS);
    await r.say(PLACE);
    expect(r.labels()).toEqual([t('intake.neighbour.contactable.no'), t('intake.neighbour.contactable.yes')]);
    await r.tapOption('intake-neighbour', 'contactable', 'none');
    await r.tapOption('intake-neighbour', 'confirm', 'send');
    expect(r.text()).toMatch(/\d{4}-\d{6}/);
    const [view] = await cases();
    if (!view) throw new Error('no case was opened');
    return view;
  }

  const act = (caseId: string, action: string, body: Record<string, unknown>) =>
    request(pg.app).post(`/playground/api/cases/${caseId}/${action}`).send(body);

  it('greets a resident who adds the account, showing their own bubble first', async () => {
    const r = resident();
    const entries = await r.follow();
    expect(entries[0]).toMatchObject({ from: 'resident', bubble: { type: 'follow' } });
    expect(r.labels()).toEqual(
      ['self', 'neighbour', 'emergency', 'watch', 'data', 'language'].map((id) => t(`welcome.menu.${id}`)),
    );
    await r.tapOption('welcome', 'menu', 'neighbour');
    // A tap shows the button's text as the resident's bubble, as LINE shows a postback's displayText.
    expect(r.last[0]).toMatchObject({
      from: 'resident',
      bubble: { type: 'choice', label: t('welcome.menu.neighbour') },
    });
  });

  it('keeps each simulated resident in their own conversation', async () => {
    const a = resident('resident-a');
    const b = resident('resident-b');
    await a.follow();
    await a.tapOption('welcome', 'menu', 'emergency');
    await b.follow();
    expect(b.labels()).toContain(t('welcome.menu.neighbour'));
    const list = await request(pg.app).get('/playground/api/residents');
    expect(list.body.residents).toEqual(['resident-b', 'resident-a']);
    const again = await request(pg.app).get('/playground/api/residents/resident-a/messages?after=0');
    expect(again.body.entries.some((e: { text?: string }) => e.text?.includes('119'))).toBe(true);
  });

  it('shows tap-to-call buttons as calls with the number to dial', async () => {
    const r = resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'emergency');
    const calls = r.buttons().filter((b) => b.kind === 'call');
    expect(calls.map((c) => c.kind === 'call' && c.phone)).toEqual(
      expect.arrayContaining(['119', '110', '189']),
    );
  });

  it('walks a neighbour report to an alert that carries no personal data', async () => {
    const view = await reportNeighbour(resident('neighbour-1'));
    expect(view).toMatchObject({
      origin: { id: 'neighbour' },
      anonymous: true,
      status: 'pending',
      language: { id: 'ja', name: '日本語' },
    });
    expect(view.number).toMatch(/^\d{4}-\d{6}$/);
    expect(view.window.name).not.toBe('');
    const staff = await feed();
    expect(staff.entries.some((e) => e.alert && e.caseId === view.id)).toBe(true);
    const everything = JSON.stringify([staff, await cases()]);
    for (const secret of ['neighbour-1', OWN_WORDS, PLACE, 'local:'])
      expect(everything).not.toContain(secret);
  });

  it('accepts exactly once, then shows the intake with the own words in the thread', async () => {
    const r = resident();
    const view = await reportNeighbour(r);
    const first = await act(view.id, 'accept', { staffId: 'staff-a' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ kind: 'accepted', case: { status: 'assigned', assignee: 'staff-a' } });
    const second = await act(view.id, 'accept', { staffId: 'staff-b' });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({
      kind: 'taken',
      assignee: 'staff-a',
      case: expect.objectContaining({ id: view.id }),
    });

    await pg.settle();
    const thread = (await feed(0, `&caseId=${view.id}`)).entries.map((e) => e.note).filter(Boolean);
    expect(thread).toContainEqual({ type: 'accepted', staffId: 'staff-a' });
    const intake = thread.find((n) => n?.type === 'intake');
    expect(intake).toMatchObject({ type: 'intake', hidden: false, ownWords: OWN_WORDS });
    expect(JSON.stringify(intake)).toContain(PLACE);
    expect(JSON.stringify(intake)).toContain(t('observation.rubbish'));
    // The resident is told a person has taken over, without a name.
    const told = await r.read();
    expect(told.map((e) => (e.from === 'bot' ? e.text : '')).join('')).toContain(t('handoff.accepted'));
  });

  it('holds back what the resident writes until someone takes the case', async () => {
    const r = resident();
    const view = await reportNeighbour(r);
    await r.say('追加です: 夜になると物音がします');
    const before = (await feed()).entries.filter((e) => e.note?.type === 'resident-message');
    expect(before).toEqual([expect.objectContaining({ note: { type: 'resident-message', hidden: true } })]);
    await act(view.id, 'accept', { staffId: 'staff-a' });
    await pg.settle();
    const after = (await feed(0, `&caseId=${view.id}`)).entries.filter(
      (e) => e.note?.type === 'resident-message',
    );
    expect(after[0]?.note).toEqual({
      type: 'resident-message',
      hidden: false,
      text: '追加です: 夜になると物音がします',
    });
  });

  it('sends a staff reply to the resident and marks its delivery in the thread', async () => {
    const r = resident();
    const view = await reportNeighbour(r);
    const early = await act(view.id, 'reply', { staffId: 'staff-a', text: 'こんにちは', replyId: 'reply-0' });
    expect(early.status).toBe(409);
    expect(early.body.kind).toBe('not-assigned');

    await act(view.id, 'accept', { staffId: 'staff-a' });
    await pg.settle();
    await r.read();
    const reply = await act(view.id, 'reply', {
      staffId: 'staff-a',
      text: '<b>確認します</b>',
      replyId: 'reply-1',
    });
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({ kind: 'queued', replyId: 'reply-1' });
    await pg.settle();
    const got = await r.read();
    expect(got.map((e) => (e.from === 'bot' ? e.text : '')).join('')).toContain('<b>確認します</b>');
    const notes = (await feed()).entries.map((e) => e.note);
    expect(notes).toContainEqual({
      type: 'staff-reply',
      staffId: 'staff-a',
      text: '<b>確認します</b>',
      replyId: 'reply-1',
    });
    expect(notes).toContainEqual({ type: 'delivery', replyId: 'reply-1', delivered: true });
  });

  it('moves a case to another window and back to waiting', async () => {
    const view = await reportNeighbour(resident());
    const windows = (await request(pg.app).get('/playground/api/windows')).body.windows as Array<{
      id: string;
      name: string;
    }>;
    const other = windows.find((w) => w.id !== view.window.id);
    if (!other) throw new Error('the example city has one window');
    expect((await act(view.id, 'reroute', { staffId: 'staff-a', windowId: view.window.id })).body.kind).toBe(
      'same-window',
    );
    const unknown = await act(view.id, 'reroute', { staffId: 'staff-a', windowId: 'nowhere' });
    expect([unknown.status, unknown.body.kind]).toEqual([400, 'unknown-window']);
    await act(view.id, 'accept', { staffId: 'staff-a' });
    const moved = await act(view.id, 'reroute', { staffId: 'staff-a', windowId: other.id });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      kind: 'rerouted',
      case: { status: 'pending', window: { id: other.id, name: other.name } },
    });
    await pg.settle();
    const notes = (await feed()).entries.map((e) => e.note);
    expect(notes).toContainEqual({
      type: 'rerouted',
      from: view.window.name,
      to: other.name,
      staffId: 'staff-a',
    });
  });

  it('lets only the owner or a supervisor close, and asks the resident for a rating', async () => {
    const r = resident();
    const view = await reportNeighbour(r);
    await act(view.id, 'accept', { staffId: 'staff-a' });
    const refused = await act(view.id, 'close', { staffId: 'staff-b' });
    expect([refused.status, refused.body]).toEqual([403, { kind: 'not-owner', assignee: 'staff-a' }]);
    const closed = await act(view.id, 'close', { staffId: 'supervisor', note: '地域包括に引き継ぎ' });
    expect(closed.status).toBe(200);
    expect(closed.body.case.status).toBe('closed');
    expect((await act(view.id, 'close', { staffId: 'staff-a' })).body.kind).toBe('already-closed');
    await pg.settle();
    const notes = (await feed()).entries.map((e) => e.note);
    expect(notes).toContainEqual({ type: 'closed', staffId: 'supervisor', note: '地域包括に引き継ぎ' });
  });

  it('sends the resident the closing message with rating buttons', async () => {
    const r = resident();
    const view = await reportNeighbour(r);
    await act(view.id, 'accept', { staffId: 'staff-a' });
    await act(view.id, 'close', { staffId: 'staff-a' });
    await pg.settle();
    const got = await r.read();
    const last = got.at(-1);
    expect(last?.from === 'bot' && last.quickReplies.length).toBeGreaterThanOrEqual(5);
  });

  it('answers 404 for a case that does not exist', async () => {
    const res = await act('00000000-0000-5000-8000-000000000000', 'accept', { staffId: 'staff-a' });
    expect([res.status, res.body]).toEqual([404, { kind: 'not-found' }]);
  });

  describe('refuses bad input with 400 and a clear error', () => {
    it.each([
      ['an upper-case resident id', '/playground/api/residents/Resident/events', { type: 'follow' }],
      [
        'a resident id that is too long',
        `/playground/api/residents/${'a'.repeat(41)}/events`,
        { type: 'follow' },
      ],
      ['an unknown event type', '/playground/api/residents/r1/events', { type: 'image' }],
      ['a blank text', '/playground/api/residents/r1/events', { type: 'text', text: '   ' }],
      [
        'a text longer than LINE allows',
        '/playground/api/residents/r1/events',
        { type: 'text', text: 'あ'.repeat(5001) },
      ],
      [
        'a latitude off the globe',
        '/playground/api/residents/r1/events',
        { type: 'location', latitude: 91, longitude: 0 },
      ],
      ['an extra field', '/playground/api/residents/r1/events', { type: 'sticker', id: 'x' }],
      ['an unknown staff member', '/playground/api/cases/abc/accept', { staffId: 'mallory' }],
      [
        'a reply id with a colon',
        '/playground/api/cases/abc/reply',
        { staffId: 'staff-a', text: 'x', replyId: 'a:b' },
      ],
      ['a blank reply', '/playground/api/cases/abc/reply', { staffId: 'staff-a', text: ' ', replyId: 'r1' }],
      ['a bad case id', '/playground/api/cases/a%3Ab/accept', { staffId: 'staff-a' }],
    ])('%s', async (_name, path, body) => {
      const res = await request(pg.app).post(path).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.body.details.length).toBeGreaterThan(0);
      expect(res.body.details[0]).toEqual({ path: expect.any(String), message: expect.any(String) });
    });

    it('a body that is not JSON', async () => {
      const res = await request(pg.app)
        .post('/playground/api/residents/r1/events')
        .set('content-type', 'application/json')
        .send('{"type":');
      expect([res.status, res.body.error]).toEqual([400, 'malformed_json']);
    });

    it('a form post from another site (no JSON body at all)', async () => {
      const res = await request(pg.app)
        .post('/playground/api/residents/r1/events')
        .type('form')
        .send('type=follow');
      expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
    });

    it('a body over the limit', async () => {
      const res = await request(pg.app)
        .post('/playground/api/residents/r1/events')
        .send({ type: 'text', text: 'a'.repeat(20_000) });
      expect([res.status, res.body.error]).toEqual([413, 'payload_too_large']);
    });

    it('a negative cursor', async () => {
      const res = await request(pg.app).get('/playground/api/staff/feed?after=-1');
      expect([res.status, res.body.details[0].path]).toEqual([400, 'query.after']);
    });
  });

  it('answers only connections from this machine, whatever the Host header says', async () => {
    // What a client on the network looks like when the service is bound to 0.0.0.0.
    const fromNetwork = express();
    fromNetwork.use((req, _res, next) => {
      Object.defineProperty(req.socket, 'remoteAddress', { value: '192.168.1.20', configurable: true });
      next();
    });
    fromNetwork.use(pg.app);
    for (const path of ['/', '/playground/api/cases', '/playground/api/residents']) {
      const res = await request(fromNetwork).get(path).set('host', 'localhost');
      expect([path, res.status, res.body]).toEqual([path, 403, { error: 'loopback_only' }]);
    }
    const write = await request(fromNetwork)
      .post('/playground/api/residents/r1/events')
      .set('host', 'localhost')
      .send({ type: 'text', text: 'なりすまし' });
    expect(write.status).toBe(403);
  });

  it('answers only to loopback host names, so another site cannot reach it through DNS rebinding', async () => {
    const res = await request(pg.app).get('/playground/api/cases').set('host', 'evil.example:3000');
    expect([res.status, res.body]).toEqual([403, { error: 'host_not_allowed' }]);
    expect((await request(pg.app).get('/').set('host', 'evil.example')).status).toBe(403);
    expect((await request(pg.app).get('/playground/api/cases').set('host', 'localhost:3000')).status).toBe(
      200,
    );
    expect((await request(pg.app).get('/playground/api/cases').set('host', '[::1]:3000')).status).toBe(200);
  });

  it('leaves the rest of the app alone: a LINE webhook still gets its raw body, and no playground headers', async () => {
    const service = await createService({
      config: loadConfig({
        PLAYGROUND: 'on',
        LINE_CHANNEL_SECRET: LINE_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
      }),
      logger: silentLogger,
      store: await openEmbeddedStore({ inMemory: true }),
    });
    const body = webhookBody([]);
    const res = await request(service.app)
      .post('/webhooks/line')
      .set('content-type', 'application/json')
      .set('x-line-signature', signLineBody(body))
      .send(body);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBeUndefined();
    await service.stop();
  });

  it('serves the page texts per language, complete against Japanese', async () => {
    const ja = await request(pg.app).get('/playground/api/texts?lang=ja');
    const en = await request(pg.app).get('/playground/api/texts?lang=en-US');
    expect(ja.body.texts['playground.action.accept']).toBe('担当する');
    expect(en.body.language).toBe('en');
    expect(en.body.city).toBe('Komorebi City');
    expect(Object.keys(en.body.texts).sort()).toEqual(Object.keys(ja.body.texts).sort());
    expect(ja.body.languages).toContainEqual({ id: 'ja', name: '日本語' });
  });

  it('serves the page with a strict content security policy, and unknown API paths as JSON 404', async () => {
    const page = await request(pg.app).get('/');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('/playground/playground.js');
    const script = await request(pg.app).get('/playground/playground.js');
    expect([script.status, script.type]).toEqual([200, 'text/javascript']);
    const missing = await request(pg.app).get('/playground/api/nothing');
    expect([missing.status, missing.body]).toEqual([404, { error: 'not_found' }]);
  });
});
