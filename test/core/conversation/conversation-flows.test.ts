import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeChoice } from '../../../src/core/conversation/choice-data.js';
import { ConversationHarness, type Resident, t } from '../../support/conversation-harness.js';
import { FakeClock, nextTokyoWeekday } from '../../support/fake-clock.js';

/** Every message a channel gets must fit LINE: at most 13 quick replies, labels of at most 20. */
function expectWithinLineLimits(resident: Resident): void {
  for (const message of resident.last) {
    const replies = message.quickReplies ?? [];
    expect(replies.length).toBeLessThanOrEqual(13);
    for (const r of replies) expect([...r.label].length, r.label).toBeLessThanOrEqual(20);
  }
  expect(resident.last.length).toBeLessThanOrEqual(5);
}

/** The resident-facing name of a window, as the example city's config gives it in Japanese. */
function windowName(h: ConversationHarness, windowId: string | undefined): string {
  const window = h.content.municipality.windows.find((w) => w.id === windowId);
  return window?.names.ja ?? '';
}

describe('conversation flows', () => {
  let h: ConversationHarness;
  // A Wednesday morning: every window of the example city is open.
  beforeEach(async () => {
    h = await ConversationHarness.create({ clock: new FakeClock(nextTokyoWeekday(3, '10:00')) });
  });
  afterEach(() => h.close());

  it('greets a new follower with the notice, the emergency numbers and the menu', async () => {
    const r = h.resident();
    await r.follow();
    expect(r.said('welcome.notice.about')).toBe(true);
    expect(r.said('welcome.notice.privacy')).toBe(true);
    expect(r.text()).toContain('119');
    const menu = ['self', 'neighbour', 'emergency', 'watch', 'data', 'language'];
    expect(r.buttons().map((b) => (b.kind === 'choice' ? b.data : b.kind))).toEqual(
      menu.map((option) => encodeChoice({ kind: 'option', flow: 'welcome', step: 'menu', option })),
    );
    expect(r.buttons().map((b) => b.label)).toEqual(menu.map((option) => t(`welcome.menu.${option}`)));
    expectWithinLineLimits(r);
  });

  // End to end on purpose: this one taps and reads the real Japanese copy, as a resident sees it, so
  // the shipped wording itself is exercised once. Every other test goes by ids and i18n keys.
  it('walks "about myself" to a case at the livelihood window, and tells the resident its number', async () => {
    const r = h.resident();
    await r.follow();
    await r.tap('自分や家族のこと');
    expect(r.text()).toContain('どなたのこと');
    await r.tap('自分のこと');
    await r.tap('お金・仕事・住まい');
    expect(r.buttons()[0]?.label).toBe('これで決定');
    expect(r.buttons().some((b) => b.label === '✓ お金・仕事・住まい')).toBe(true);
    await r.tap('これで決定');
    expect(r.text()).toContain('あなたの言葉');
    await r.say('仕事がなくなって、来月の家賃が払えそうにありません');
    await r.tap('数日のうちに');
    await r.tap('このLINEで');
    await r.tap('とばす');
    expect(r.text()).toContain('お聞きした内容');
    expect(r.text()).toContain('お金・仕事・住まい');
    expect(r.text()).toContain('家賃が払えそうにありません');
    expectWithinLineLimits(r);
    await r.tap('伝える');

    const [record] = await h.store.cases.listByResident(r.key);
    expect(record).toMatchObject({
      windowId: 'kurashi-support',
      fields: ['livelihood'],
      origin: 'self',
      anonymous: true,
      urgent: false,
      status: 'pending',
      language: 'ja',
    });
    expect(record?.ownWords).toContain('家賃');
    expect(record?.answers).toMatchObject({ subject: 'self', urgency: 'soon', contact: 'line' });
    expect(r.text()).toContain(`受付番号は ${record?.number}`);
    expect(r.text()).toContain('くらしサポート');
    expect(r.text()).toContain('このLINEでお返事します');
    expect(h.handoff.events).toEqual([{ kind: 'opened', caseNumber: record?.number, detail: 'open' }]);
  });

  it('sends several fields, or "don\'t know", to the multi-agency coordinator', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.tapOption('intake-self', 'who', 'family');
    await r.tapOption('intake-self', 'fields', 'elderly');
    await r.tapOption('intake-self', 'fields', 'children');
    await r.tapDone('intake-self', 'fields');
    await r.tapSkip('intake-self', 'words');
    await r.tapOption('intake-self', 'urgency', 'anytime');
    await r.tapOption('intake-self', 'contact', 'none');
    await r.tapSkip('intake-self', 'area');
    await r.tapOption('intake-self', 'confirm', 'send');
    const [record] = await h.store.cases.listByResident(r.key);
    expect(record).toMatchObject({
      windowId: 'takikan-kyodo',
      origin: 'family',
      fields: ['elderly', 'children'],
    });
    expect(r.said('handoff.no-reply')).toBe(true);
  });

  it('lets "don\'t know" clear the other choices, and a tap toggle a choice off', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.tapOption('intake-self', 'who', 'self');
    await r.tapOption('intake-self', 'fields', 'disability');
    await r.tapOption('intake-self', 'fields', 'unknown');
    expect(
      r
        .buttons()
        .filter((b) => b.label.startsWith('✓'))
        .map((b) => b.label),
    ).toEqual([`✓ ${t('field.unknown')}`]);
    await r.tapOption('intake-self', 'fields', 'unknown');
    expect(r.buttons().some((b) => b.label.startsWith('✓'))).toBe(false);
    await r.tapOption('intake-self', 'fields', 'disability');
    await r.tapDone('intake-self', 'fields');
    expect(r.said('intake.self.words.prompt')).toBe(true);
  });

  it('asks for one choice at least before moving on', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.tapOption('intake-self', 'who', 'self');
    await r.tapOption('intake-self', 'fields', 'disability');
    await r.tapOption('intake-self', 'fields', 'disability');
    // The done button only shows once something is chosen; a stale done tap is refused politely.
    await r.send({ type: 'choice', data: 'd|intake-self|fields' });
    expect(r.said('common.choose-one-or-more')).toBe(true);
  });

  it("walks a neighbour report anonymously to the area's elderly care centre", async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'neighbour');
    expect(r.said('intake.neighbour.intro')).toBe(true);
    await r.tapOption('intake-neighbour', 'observed', 'not_seen');
    await r.tapOption('intake-neighbour', 'observed', 'mail_piling');
    await r.tapDone('intake-neighbour', 'observed');
    await r.say('一人暮らしのおばあさんを一週間ほど見かけません');
    await r.say('若葉町の公園の近くです');
    await r.tapOption('intake-neighbour', 'contactable', 'none');
    expect(r.text()).toContain(t('observation.not_seen'));
    await r.tapOption('intake-neighbour', 'confirm', 'send');

    const [record] = await h.store.cases.listByResident(r.key);
    expect(record).toMatchObject({ windowId: 'houkatsu-north', origin: 'neighbour', anonymous: true });
    expect(record?.answers).toMatchObject({
      observations: ['not_seen', 'mail_piling'],
      contact: 'none',
      area: 'north',
    });
    expect(record?.answers.location).toBe('若葉町の公園の近くです');
    expect(
      r.said('handoff.received-neighbour', {
        number: record?.number ?? '',
        window: windowName(h, record?.windowId),
      }),
    ).toBe(true);
    // Not seen for days and mail piling up: someone may have collapsed inside (安否確認). The case
    // is urgent, and the reporter is told that 110 or 119 can check now, with the buttons on the last
    // message, where LINE shows them.
    expect(record?.urgent).toBe(true);
    expect(r.last.at(-1)?.text).toBe(t('handoff.welfare-check'));
    const phones = r.buttons().flatMap((b) => (b.kind === 'call' ? [b.phone] : []));
    expect(phones).toEqual(['110', '119']);
  });

  it('accepts a shared LINE location as the place of a neighbour report', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'neighbour');
    await r.tapOption('intake-neighbour', 'observed', 'child_crying');
    await r.tapDone('intake-neighbour', 'observed');
    await r.tapSkip('intake-neighbour', 'details');
    await r.send({ type: 'location', latitude: 35.1234567, longitude: 137.0123456, address: '栄町1-2' });
    await r.tapOption('intake-neighbour', 'contactable', 'line');
    await r.tapOption('intake-neighbour', 'confirm', 'send');
    const [record] = await h.store.cases.listByResident(r.key);
    expect(record?.answers.location).toBe('栄町1-2 (35.12346, 137.01235)');
    expect(record).toMatchObject({ windowId: 'kodomo-katei', anonymous: false });
  });

  it('sends a neighbour worry it cannot place to outreach', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'neighbour');
    await r.tapOption('intake-neighbour', 'observed', 'other');
    await r.tapDone('intake-neighbour', 'observed');
    await r.tapSkip('intake-neighbour', 'details');
    await r.tapSkip('intake-neighbour', 'location');
    await r.tapOption('intake-neighbour', 'contactable', 'none');
    await r.tapOption('intake-neighbour', 'confirm', 'send');
    const [record] = await h.store.cases.listByResident(r.key);
    expect(record?.windowId).toBe('machi-no-mamoribito');
  });

  it('proposes a field from free text and lets the resident confirm it, never deciding alone', async () => {
    const r = h.resident();
    await r.say('母の物忘れがひどくて、介護のことで相談したいです');
    expect(r.said('welcome.notice.about')).toBe(true);
    expect(r.said('proposal.question', { about: t('field.elderly') })).toBe(true);
    expect(r.buttons().map((b) => b.label)).toEqual([t('proposal.yes'), t('proposal.no')]);
    expect(r.buttons().map((b) => (b.kind === 'choice' ? b.data : b.kind))).toEqual([
      encodeChoice({ kind: 'proposal', answer: 'yes' }),
      encodeChoice({ kind: 'proposal', answer: 'no' }),
    ]);
    expect(await h.store.cases.listByResident(r.key)).toEqual([]);
    await r.choose({ kind: 'proposal', answer: 'yes' });
    await r.tapOption('intake-self', 'who', 'family');
    expect(r.buttons().some((b) => b.label === `✓ ${t('field.elderly')}`)).toBe(true);
  });

  it("offers a daughter's worry about her mother's window, and a neighbour's the neighbour's report", async () => {
    // Getting lost on the way home is a sign a neighbour may notice, but told of one's own mother it
    // is a consultation about old age, not an anonymous report.
    const daughter = h.resident();
    await daughter.say('母が最近物忘れがひどくて、一人で出かけると帰れなくなる');
    expect(daughter.said('proposal.question', { about: t('field.elderly') })).toBe(true);
    expect(daughter.said('proposal.question', { about: t('proposal.neighbour') })).toBe(false);

    const neighbour = h.resident();
    await neighbour.say('隣のおばあちゃん、最近一人で出かけると帰れなくなるみたい');
    expect(neighbour.said('proposal.question', { about: t('proposal.neighbour') })).toBe(true);
  });

  it('recognises a household pattern in the own words and routes it to coordination', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.tapOption('intake-self', 'who', 'family');
    await r.tapOption('intake-self', 'fields', 'elderly');
    await r.tapDone('intake-self', 'fields');
    await r.say('80代の親と、仕事をしていない50代の息子がずっと家にこもっています');
    await r.tapOption('intake-self', 'urgency', 'anytime');
    await r.tapOption('intake-self', 'contact', 'line');
    await r.tapSkip('intake-self', 'area');
    await r.tapOption('intake-self', 'confirm', 'send');
    const [record] = await h.store.cases.listByResident(r.key);
    expect(record?.patterns).toContain('8050');
    expect(record?.windowId).toBe('takikan-kyodo');
  });

  it('goes straight on once the resident confirms what was understood from free text at the fields step', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.tapOption('intake-self', 'who', 'self');
    const fieldsPrompt = r.text();
    await r.say('仕事をクビになってお金がない');
    expect(r.text()).toContain(t('field.livelihood'));
    await r.choose({ kind: 'proposal', answer: 'yes' });
    // The next question, not the chooser again with the field ticked.
    expect(r.text()).not.toContain(fieldsPrompt.split('\n').at(-1) ?? '');
    expect(r.buttons().some((b) => b.label.startsWith('✓'))).toBe(false);
    const session = await h.store.sessions.get(r.key, h.clock.now());
    expect(JSON.stringify(session?.state)).toContain('livelihood');
  });

  it('shows the selection after each tap without repeating the whole question', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.tapOption('intake-self', 'who', 'self');
    const question = r.last.map((m) => m.text);
    await r.tapOption('intake-self', 'fields', 'livelihood');
    expect(r.last).toHaveLength(1);
    for (const line of question) expect(r.text()).not.toContain(line);
    expect(r.text()).toContain(t('common.selected', { items: t('field.livelihood') }));
    expect(r.buttons()[0]?.label).toBe(t('common.done'));
    expect(r.buttons().some((b) => b.label === `✓ ${t('field.livelihood')}`)).toBe(true);
  });

  it('answers a sticker at a question kindly and asks the question again', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.send({ type: 'sticker' });
    expect(r.said('reply.sticker')).toBe(true);
    expect(r.said('intake.self.who.prompt')).toBe(true);
  });

  it('recognises a tap on an old button and shows the current question', async () => {
    const r = h.resident();
    await r.follow();
    await r.tapOption('welcome', 'menu', 'self');
    await r.tapOption('intake-self', 'who', 'self');
    await r.send({ type: 'choice', data: 'o|intake-self|who|family' });
    expect(r.said('common.stale-choice')).toBe(true);
    expect(r.said('intake.self.fields.prompt')).toBe(true);
  });

  it('ignores postback data it did not make', async () => {
    const r = h.resident();
    await r.follow();
    await r.send({ type: 'choice', data: 'o|welcome|menu|../../admin' });
    expect(r.said('welcome.menu.prompt')).toBe(true);
    expect(await h.store.cases.listByResident(r.key)).toEqual([]);
  });
});

describe('after hours', () => {
  it('tells the resident when a person will read it, with the 24-hour numbers', async () => {
    const h = await ConversationHarness.create({ clock: new FakeClock(nextTokyoWeekday(6, '10:00')) });
    const r = h.resident();
    await r.completeSelfIntake('disability');
    const monday = t('handoff.next-opening', { weekday: t('time.weekday.1'), time: '8:30' });
    expect(r.said('handoff.after-hours', { when: monday })).toBe(true);
    expect(r.buttons().map((b) => b.kind)).toEqual(expect.arrayContaining(['call']));
    expect(r.buttons().some((b) => b.kind === 'call' && b.phone === '0120-279-338')).toBe(true);
    expect(h.handoff.events[0]?.detail).toBe('after-hours');
    await h.close();
  });

  it('offers the 24-hour lines that fit the case: 189 for children, not the partner-violence line', async () => {
    const h = await ConversationHarness.create({ clock: new FakeClock(nextTokyoWeekday(6, '10:00')) });
    const r = h.resident();
    await r.completeSelfIntake('children');
    const phones = r.buttons().flatMap((b) => (b.kind === 'call' ? [b.phone] : []));
    expect(phones).toEqual(expect.arrayContaining(['119', '110', '189']));
    expect(phones).toContain('189');
    expect(phones).not.toContain('0120-279-889');
    await h.close();
  });
});

describe('the privacy notice', () => {
  it('says how long records are kept, from the city config', async () => {
    const h = await ConversationHarness.create();
    const r = h.resident();
    await r.follow();
    const days = h.content.municipality.retention.conversationDaysAfterClose;
    expect(r.said('welcome.notice.privacy', { retentionDays: days })).toBe(true);
    expect(h.content.translator.forLanguage('en')('welcome.notice.privacy')).toContain(`${days} days`);
    await h.close();
  });
});

describe('erasing while a case is open', () => {
  it('warns first that staff can then no longer reply, and says nothing of the kind without a case', async () => {
    const h = await ConversationHarness.create();
    const ja = h.content.translator.forLanguage('ja');
    const r = h.resident();
    await r.completeSelfIntake('livelihood');
    await r.say('メニュー');
    await r.tapOption('welcome', 'menu', 'data');
    await r.tapOption('my-data', 'menu', 'erase');
    expect(r.text()).toContain(ja('data.erase.open-case'));
    expect(r.text()).toContain(ja('data.erase.confirm'));

    const s = h.resident();
    await s.follow();
    await s.tapOption('welcome', 'menu', 'data');
    await s.tapOption('my-data', 'menu', 'erase');
    expect(s.text()).not.toContain(ja('data.erase.open-case'));
    expect(s.text()).toContain(ja('data.erase.confirm'));
    await h.close();
  });
});
