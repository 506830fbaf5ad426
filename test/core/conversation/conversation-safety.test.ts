import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationHarness, type Resident, t } from '../../support/conversation-harness.js';
import { FakeClock, nextTokyoWeekday } from '../../support/fake-clock.js';

/** Whether the last answer opened with one of the kind sentences of the crisis response. */
function saidCrisisKindness(r: Resident): boolean {
  return ['crisis.kind.self', 'crisis.kind.suicide', 'crisis.kind.someone-else'].some((key) => r.said(key));
}

describe('crisis safety, in every state', () => {
  let h: ConversationHarness;
  beforeEach(async () => {
    h = await ConversationHarness.create({ clock: new FakeClock(nextTokyoWeekday(3, '10:00')) });
  });
  afterEach(() => h.close());

  // End to end on purpose: the first words about suicide are checked against the real Japanese copy
  // once (a single "thank you", the safety sentence), as the resident reads it. Every other test goes
  // by ids and i18n keys.
  it('answers a first message about suicide with the safety message and an urgent case at once', async () => {
    const r = h.resident();
    await r.say('もう消えたい。生きていてもしかたない');
    // Two short bubbles: the kind sentence, then what to do now with the numbers and a text option.
    expect(r.last).toHaveLength(2);
    const t = h.content.translator.forLanguage('ja');
    expect(r.last[0]?.text).toBe(t('crisis.kind.suicide'));
    expect(r.text().match(/ありがとう/g)).toHaveLength(1);
    expect(
      r.buttons().some((b) => b.kind === 'link' && b.url === h.content.municipality.textCounsellingUrl),
    ).toBe(true);
    expect(r.text()).toContain('あなたの安全がいちばん大切です');
    expect(r.text()).toContain('0120-279-338');
    const calls = r.buttons().filter((b) => b.kind === 'call');
    expect(calls.slice(0, 2).map((b) => (b.kind === 'call' ? b.phone : ''))).toEqual(['119', '110']);
    expect(calls.some((b) => b.kind === 'call' && b.phone === '0120-279-338')).toBe(true);
    const [record] = await h.store.cases.listByResident(r.key);
    expect(record).toMatchObject({ urgent: true, status: 'pending' });
    expect(record?.ownWords).toContain('消えたい');
    expect(h.handoff.events).toEqual([{ kind: 'opened', caseNumber: record?.number, detail: 'open' }]);
  });

  it('is robust to width, kana and spacing variants', async () => {
    const r = h.resident();
    await r.say('し に た い');
    expect(saidCrisisKindness(r)).toBe(true);
    const s = h.resident();
    await s.say('ｼﾆﾀｲ');
    expect(saidCrisisKindness(s)).toBe(true);
  });

  it('leaves the form for talk mode: every later word reaches the same urgent case', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.tapOption('intake-self', 'who', 'self');
    await r.tapOption('intake-self', 'fields', 'violence');
    await r.tapDone('intake-self', 'fields');
    await r.say('夫に殴られて、殺されるかもしれない');
    expect(r.text()).toContain('110');
    expect(r.text()).toContain('#8008');
    expect(r.buttons().find((b) => b.kind === 'choice' && b.data === 'r|continue')?.label).toBe(
      h.content.translator.forLanguage('ja')('crisis.continue'),
    );
    await r.choose({ kind: 'resume', answer: 'continue' });
    // No form question follows an alarm: the resident is told where their words go, and when.
    const t = h.content.translator.forLanguage('ja');
    expect(r.said('intake.urgency.prompt')).toBe(false);
    expect(r.text()).toMatch(new RegExp(`${t('talk.now').slice(0, 12)}|${t('talk.later').slice(0, 12)}`));
    expect(r.buttons().map((b) => b.label)).toEqual([t('talk.menu')]);
    await r.say('仕事も家もなくなって、どこにも行けない');
    // Received just now: the resident is not interrupted by another message for every line.
    expect(r.last).toEqual([]);
    const cases = await h.store.cases.listByResident(r.key);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ urgent: true });
    expect(h.handoff.events.map((e) => e.kind)).toEqual(['opened', 'resident-message']);
    // The menu is a word away at any time (and a tap on every talk-mode message), and leaves talk mode.
    await r.say('メニュー');
    expect(r.text()).toContain(t('welcome.menu.prompt'));
    await r.say('やっぱり話を聞いてほしい');
    expect(h.handoff.events.map((e) => e.kind)).toEqual(['opened', 'resident-message', 'resident-message']);
  });

  it('sends the message after a crisis at the menu to the urgent case, not into a field proposal', async () => {
    const t = h.content.translator.forLanguage('ja');
    const r = h.resident();
    await r.follow();
    await r.say('今から線路に飛び込む');
    expect(r.text()).toContain('119');
    await r.say('仕事も家もなくなって、どこにも行けない');
    expect(r.text()).not.toContain(t('proposal.question', { about: t('field.livelihood') }));
    const [record] = await h.store.cases.listByResident(r.key);
    expect(record).toMatchObject({ urgent: true });
    expect(h.handoff.events.map((e) => e.kind)).toEqual(['opened', 'resident-message']);
  });

  it('passes words written after a report to its case from any menu, and promises nothing without one', async () => {
    const t = h.content.translator.forLanguage('ja');
    const r = h.resident();
    await r.completeSelfIntake('livelihood');
    await r.say('メニュー');
    await r.tapOption('welcome', 'menu', 'data');
    await r.say('あと、家賃も二か月たまっています');
    expect(r.text()).toContain(t('handoff.passed-on'));
    expect(h.handoff.events.map((e) => e.kind)).toEqual(['opened', 'resident-message']);

    const s = h.resident();
    await s.follow();
    await s.tapOption('welcome', 'menu', 'data');
    await s.say('ありがとう');
    // None of the sentences that promise to pass words on to staff.
    for (const key of ['handoff.passed-on', 'handoff.still-open', 'common.please-choose', 'talk.received']) {
      expect(s.said(key), key).toBe(false);
    }
    expect(await h.store.cases.listByResident(s.key)).toEqual([]);
  });

  it("gives a reporter's own crisis a case of its own, never the neighbour report's", async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'neighbour');
    await r.tapOption('intake-neighbour', 'observed', 'rubbish');
    await r.tapDone('intake-neighbour', 'observed');
    await r.tapSkip('intake-neighbour', 'details');
    await r.tapSkip('intake-neighbour', 'location');
    await r.tapOption('intake-neighbour', 'contactable', 'none');
    await r.tapOption('intake-neighbour', 'confirm', 'send');
    const [report] = await h.store.cases.listByResident(r.key);
    expect(report).toMatchObject({ origin: 'neighbour', urgent: false });

    await r.say('正直、私ももう死にたい');
    const cases = await h.store.cases.listByResident(r.key);
    expect(cases).toHaveLength(2);
    expect(cases.find((c) => c.id === report?.id)).toMatchObject({ urgent: false });
    expect(cases.find((c) => c.id !== report?.id)).toMatchObject({ urgent: true, origin: 'self' });
  });

  it('still reacts after the handoff: the open case becomes urgent and staff are told again', async () => {
    const r = h.resident();
    await r.completeSelfIntake('isolation');
    await r.say('やっぱりもう死にたい');
    expect(saidCrisisKindness(r)).toBe(true);
    const [record] = await h.store.cases.listByResident(r.key);
    expect(record?.urgent).toBe(true);
    expect(h.handoff.events.map((e) => e.kind)).toEqual(['opened', 'crisis']);
  });

  it('does not treat ordinary worries as a crisis', async () => {
    const r = h.resident();
    await r.say('仕事が忙しくて死ぬほど疲れた');
    expect(saidCrisisKindness(r)).toBe(false);
    expect(await h.store.cases.listByResident(r.key)).toEqual([]);
  });
});

describe('after the handoff', () => {
  it('relays what the resident writes to staff and stays quiet', async () => {
    const h = await ConversationHarness.create({ clock: new FakeClock(nextTokyoWeekday(3, '10:00')) });
    const r = h.resident();
    await r.completeSelfIntake('disability');
    await r.say('追加で伝えたいことがあります');
    expect(r.last).toEqual([]);
    await r.send({ type: 'media', media: 'image', contentId: '1234' });
    expect(r.last).toEqual([]);
    expect(h.handoff.events.map((e) => `${e.kind}:${e.detail}`)).toEqual([
      'opened:open',
      'resident-message:text',
      'resident-message:media',
    ]);
    await h.close();
  });
});

describe('commands, languages and resuming', () => {
  let h: ConversationHarness;
  beforeEach(async () => {
    h = await ConversationHarness.create({ clock: new FakeClock(nextTokyoWeekday(3, '10:00')) });
  });
  afterEach(() => h.close());

  it('"最初から", "やめる" and "language" work at any step, typed in any width', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'neighbour');
    await r.say('最初から');
    expect(r.said('welcome.menu.prompt')).toBe(true);
    await r.tapOption('welcome', 'menu', 'self');
    await r.say('やめる');
    expect(r.said('common.stopped')).toBe(true);
    await r.say('ＬＡＮＧＵＡＧＥ');
    expect(r.buttons().map((b) => b.label)).toContain(t('language.name.vi'));
    expect(r.buttons().map((b) => (b.kind === 'choice' ? b.data : b.kind))).toContain('o|language|pick|vi');
  });

  it('does not take a sentence containing a command word as the command', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.say('仕事をやめるべきか悩んでいます');
    expect(r.said('common.stopped')).toBe(false);
  });

  it('switches language from the menu and keeps using it', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'language');
    await r.tapOption('language', 'pick', 'en');
    expect(r.said('language.changed', undefined, 'en')).toBe(true);
    // The whole welcome follows in the new language: what this is, privacy, and 119/110.
    const en = h.content.translator.forLanguage('en');
    for (const key of ['welcome.notice.about', 'welcome.notice.privacy', 'welcome.notice.emergency']) {
      expect(r.text()).toContain(en(key));
    }
    expect(r.buttons().map((b) => b.label)).toContain(en('welcome.menu.self'));
    await r.tapOption('welcome', 'menu', 'self');
    expect(r.said('intake.self.who.prompt', undefined, 'en')).toBe(true);
  });

  it("starts in the LINE profile's language when the resident allows LINE to share it", async () => {
    const r = h.resident();
    h.profileLanguages.set(r.address, 'en-US');
    await r.follow();
    expect(r.said('welcome.notice.about', undefined, 'en')).toBe(true);
  });

  it('asks whether to resume after a long pause, and resumes where it was', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.tapOption('intake-self', 'who', 'self');
    h.clock.advance(2 * 60 * 60 * 1000);
    await r.say('こんにちは');
    expect(r.said('resume.question')).toBe(true);
    await r.choose({ kind: 'resume', answer: 'continue' });
    expect(r.said('intake.self.fields.prompt')).toBe(true);
  });

  it('restarts politely when the flow changed since the conversation began', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    const stored = await h.store.sessions.get(r.key, h.clock.now());
    const state = stored?.state as { position: { flowVersion: number } };
    state.position.flowVersion = 999;
    await h.store.sessions.save(
      r.key,
      state,
      stored?.version ?? null,
      h.clock.now(),
      new Date(h.clock.now().getTime() + 86_400_000),
    );
    await r.tapOption('intake-self', 'who', 'self');
    expect(r.said('common.flow-updated')).toBe(true);
    expect(r.said('welcome.menu.prompt')).toBe(true);
  });
});

describe('what is kept, and erasing it', () => {
  it('describes what is kept and erases it on request, leaving only the trail of the erasure', async () => {
    const h = await ConversationHarness.create({ clock: new FakeClock(nextTokyoWeekday(3, '10:00')) });
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'neighbour');
    await r.tapOption('intake-neighbour', 'observed', 'smell');
    await r.tapDone('intake-neighbour', 'observed');
    await r.say('夏からずっと強いにおいがします');
    await r.say('本町3丁目のアパート');
    await r.tapOption('intake-neighbour', 'contactable', 'none');
    await r.tapOption('intake-neighbour', 'confirm', 'send');
    const [record] = await h.store.cases.listByResident(r.key);
    h.clock.advance(60_000);

    await r.say('メニュー');
    await r.tapOption('welcome', 'menu', 'data');
    await r.tapOption('my-data', 'menu', 'what');
    expect(
      r.said('data.kept.case', {
        number: record?.number ?? '',
        status: t('case.status.pending'),
        words: t('data.kept.words-yes'),
      }),
    ).toBe(true);
    await r.tapOption('my-data', 'after', 'erase');
    await r.tapOption('my-data', 'confirm-erase', 'yes');
    expect(r.said('data.erased')).toBe(true);

    expect(await h.store.sessions.get(r.key, h.clock.now())).toBeNull();
    expect(await h.store.cases.listByResident(r.key)).toEqual([]);
    const erased = await h.store.cases.get(record?.id ?? '');
    expect(erased?.ownWords).toBeUndefined();
    expect(erased?.answers.location).toBeUndefined();
    expect(erased?.erasedAt).toBeInstanceOf(Date);
    expect(erased?.number).toBe(record?.number);
    const trail = await h.store.audit.listForCase(record?.id ?? '');
    expect(trail.map((e) => e.action)).toEqual(['case.opened', 'case.data-erased']);
    await h.close();
  });
});
