import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../src/config.js';
import { encodeChoice } from '../../src/core/conversation/choice-data.js';
import { loadConversationContent } from '../../src/load-conversation-content.js';
import type { Service } from '../../src/service.js';
import { FakeClock, nextTokyoWeekday } from '../support/fake-clock.js';
import { signLineBody, userSource, webhookBody } from '../support/line-webhook-bodies.js';
import { LINE_API, startTestService, tempDataDir } from '../support/test-service.js';

/** The shipped texts, to assert by i18n key: a city editing locales/ breaks none of these tests. */
const translator = loadConversationContent(projectRoot, loadConfig({}).municipalityConfigPath).translator;
const ja = translator.forLanguage('ja');
const en = translator.forLanguage('en');

interface LineMessage {
  type: string;
  text: string;
  quickReply?: {
    items: Array<{
      action: { type: string; label: string; data?: string; uri?: string; displayText?: string };
    }>;
  };
}

/** A LINE user driving the real service over signed webhooks, reading what LINE would have shown. */
class LineUser {
  last: LineMessage[] = [];
  constructor(
    private readonly service: Service,
    private readonly clock: FakeClock,
    private readonly inbox: LineMessage[][],
    readonly userId = `U${randomUUID().replaceAll('-', '')}`,
  ) {}

  private async deliver(event: Record<string, unknown>): Promise<LineMessage[]> {
    const body = webhookBody([
      {
        mode: 'active',
        timestamp: this.clock.now().getTime(),
        source: userSource(this.userId),
        webhookEventId: randomUUID(),
        deliveryContext: { isRedelivery: false },
        replyToken: randomUUID().replaceAll('-', ''),
        ...event,
      },
    ]);
    const res = await request(this.service.app)
      .post('/webhooks/line')
      .set('content-type', 'application/json')
      .set('x-line-signature', signLineBody(body))
      .send(body);
    expect(res.status).toBe(200);
    this.inbox.length = 0;
    await this.service.inbox.drain();
    await this.service.outbox.drain();
    this.last = this.inbox.flat();
    for (const m of this.last) {
      const items = m.quickReply?.items ?? [];
      expect(items.length).toBeLessThanOrEqual(13);
      for (const i of items) expect([...i.action.label].length, i.action.label).toBeLessThanOrEqual(20);
    }
    return this.last;
  }

  follow() {
    return this.deliver({ type: 'follow', follow: { isUnblocked: false } });
  }

  say(text: string) {
    return this.deliver({
      type: 'message',
      message: { id: randomUUID(), type: 'text', quoteToken: 'q', text },
    });
  }

  /** Taps a quick reply: LINE sends its postback data back, exactly as the service wrote it. */
  tap(label: string) {
    const item = this.items().find((i) => i.action.label.includes(label));
    if (!item?.action.data) throw new Error(`no "${label}" button in: ${this.labels().join(' | ')}`);
    return this.deliver({ type: 'postback', postback: { data: item.action.data } });
  }

  /** Taps the quick reply whose postback data is `data` (by id, not by label). */
  choose(data: string) {
    const item = this.items().find((i) => i.action.data === data);
    if (!item)
      throw new Error(
        `no button for ${data} in: ${this.items()
          .map((i) => i.action.data)
          .join(' | ')}`,
      );
    return this.deliver({ type: 'postback', postback: { data } });
  }

  /** Taps a flow option by its ids (a choice's option, or a multi-choice's toggle). */
  tapOption(flow: string, step: string, option: string) {
    const asOption = encodeChoice({ kind: 'option', flow, step, option });
    const kind = this.items().some((i) => i.action.data === asOption) ? 'option' : 'toggle';
    return this.choose(encodeChoice({ kind, flow, step, option }));
  }

  tapDone(flow: string, step: string) {
    return this.choose(encodeChoice({ kind: 'done', flow, step }));
  }

  tapSkip(flow: string, step: string) {
    return this.choose(encodeChoice({ kind: 'skip', flow, step }));
  }

  items() {
    return this.last.at(-1)?.quickReply?.items ?? [];
  }

  labels() {
    return this.items().map((i) => i.action.label);
  }

  text() {
    return this.last.map((m) => m.text).join('\n');
  }
}

describe('conversations over the LINE webhook', () => {
  let clock: FakeClock;
  let data: ReturnType<typeof tempDataDir>;
  let service: Service;
  const sent: LineMessage[][] = [];

  beforeEach(async () => {
    clock = new FakeClock(nextTokyoWeekday(3, '10:00'));
    data = tempDataDir();
    service = await startTestService({ dataDir: data.dir, clock });
    service.start();
    nock(LINE_API)
      .persist()
      .post('/v2/bot/message/reply')
      .reply(200, (_uri, body) => {
        sent.push((body as { messages: LineMessage[] }).messages);
        return {};
      })
      .get(/\/v2\/bot\/profile\/.*/)
      .reply(200, { displayName: '山田花子', userId: 'U', language: 'ja' });
  });

  afterEach(async () => {
    await service.stop();
    data.remove();
    nock.cleanAll();
  });

  // End to end on purpose: this walk taps the buttons by their Japanese labels and reads the real
  // Japanese copy, as a resident on LINE would. Every other test goes by ids and i18n keys.
  it('walks the neighbour flow end to end; the reporter stays anonymous and no display name is kept', async () => {
    const user = new LineUser(service, clock, sent);
    await user.follow();
    expect(user.labels()).toEqual([
      '自分や家族のこと',
      '近所・知人の心配',
      '緊急のとき',
      '見守り(声かけ)',
      '記録について',
      'Language / 言語',
    ]);
    await user.tap('近所・知人の心配');
    expect(user.text()).toContain('あなたの名前は聞きません');
    expect(user.labels()).toContain('ごみがたまっている');
    await user.tap('ごみがたまっている');
    expect(user.labels()).toContain('✓ ごみがたまっている');
    expect(user.labels()[0]).toBe('これで決定');
    await user.tap('これで決定');
    await user.say('ベランダにもごみ袋が積み上がっていて、住んでいる方の姿を最近見ません');
    await user.tap('とばす');
    expect(user.labels()).toEqual(['名乗らない', '連絡してもよい']);
    await user.tap('名乗らない');
    expect(user.text()).toContain('ごみがたまっている');
    await user.tap('伝える');
    expect(user.text()).toMatch(/受付番号は \d{4}-\d{6} です/);

    const [record] = await service.store.cases.listByStatus('pending', 10);
    expect(record).toMatchObject({ origin: 'neighbour', anonymous: true, status: 'pending' });
    expect(JSON.stringify(record)).not.toContain('山田花子');
    const session = await service.store.sessions.get(`line:${user.userId}`, clock.now());
    expect(JSON.stringify(session)).not.toContain('山田花子');
  });

  it('walks the emergency flow: tap-to-call buttons dial the numbers', async () => {
    const user = new LineUser(service, clock, sent);
    await user.follow();
    await user.tapOption('welcome', 'menu', 'emergency');
    const calls = user.items().filter((i) => i.action.type === 'uri');
    expect(calls.map((c) => c.action.uri)).toEqual(
      expect.arrayContaining(['tel:119', 'tel:110', 'tel:189', 'tel:%238008', 'tel:0120-279-338']),
    );
    await user.tapOption('emergency', 'danger', 'done');
    expect(user.text()).toContain(ja('emergency.bye'));
  });

  it('walks the language flow and answers in the chosen language', async () => {
    const user = new LineUser(service, clock, sent);
    await user.follow();
    await user.tapOption('welcome', 'menu', 'language');
    await user.tapOption('language', 'pick', 'en');
    expect(user.text()).toContain(en('language.changed'));
    expect(user.labels()).toContain(en('welcome.menu.self'));
  });

  it('walks "what do you keep" and "erase my data"', async () => {
    const user = new LineUser(service, clock, sent);
    await user.follow();
    await user.tapOption('welcome', 'menu', 'data');
    await user.tapOption('my-data', 'menu', 'what');
    expect(user.text()).toContain(ja('data.kept.no-cases'));
    await user.tapOption('my-data', 'after', 'erase');
    await user.tapOption('my-data', 'confirm-erase', 'yes');
    expect(user.text()).toContain(ja('data.erased'));
    expect(await service.store.sessions.get(`line:${user.userId}`, clock.now())).toBeNull();
  });

  it('erases the words and the LINE id from every file: inbox, outbox, cases, sessions, audit (only a keyed hash)', async () => {
    const words = 'ベランダにもごみ袋が積み上がっていて心配です';
    const user = new LineUser(service, clock, sent);
    await user.follow();
    await user.tapOption('welcome', 'menu', 'neighbour');
    await user.tapOption('intake-neighbour', 'observed', 'rubbish');
    await user.tapDone('intake-neighbour', 'observed');
    await user.say(words);
    await user.tapSkip('intake-neighbour', 'location');
    await user.tapOption('intake-neighbour', 'contactable', 'none');
    await user.tapOption('intake-neighbour', 'confirm', 'send');
    const files = () =>
      readdirSync(data.dir)
        .map((name) => readFileSync(path.join(data.dir, name), 'utf8'))
        .join('\n');
    // Before: the words and the id are on disk (the check below would catch them).
    expect(files()).toContain(words);
    expect(files()).toContain(user.userId);

    await user.say('menu');
    await user.tapOption('welcome', 'menu', 'data');
    await user.tapOption('my-data', 'menu', 'erase');
    await user.tapOption('my-data', 'confirm-erase', 'yes');
    expect(user.text()).toContain(ja('data.erased'));

    // Without a clean stop: the append-only files were rewritten after the erasure.
    expect(files()).not.toContain(words);
    expect(files()).not.toContain(user.userId);
    expect(await service.store.cases.listByStatus('pending', 10)).toHaveLength(1);
    expect(files()).toContain('resident.data-erased');

    // And after a clean stop and a restart on the same data.
    await service.stop();
    service = await startTestService({ dataDir: data.dir, clock });
    service.start();
    expect(files()).not.toContain(words);
    expect(files()).not.toContain(user.userId);
    expect(await service.store.outbox.countByStatus()).toMatchObject({ pending: 0 });
  });

  it('sends the safety message at once when a message speaks of danger', async () => {
    const user = new LineUser(service, clock, sent);
    await user.say('子どもが夜中に外に出されて泣いています、虐待だと思う');
    expect(user.text()).toContain('189');
    expect(user.items().some((i) => i.action.uri === 'tel:189')).toBe(true);
    const [record] = await service.store.cases.listByStatus('pending', 10);
    expect(record?.urgent).toBe(true);
  });
});
