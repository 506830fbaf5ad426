import { afterEach, describe, expect, it } from 'vitest';
import type { RiskAssessor } from '../../../src/core/understanding/assess-risk.js';
import { NO_RISK, type RiskAssessment } from '../../../src/core/understanding/risk-assessment.js';
import { ConversationHarness } from '../../support/conversation-harness.js';
import { FakeClock, nextTokyoWeekday } from '../../support/fake-clock.js';

/** A risk assessor that knows a few sentences, so the engine's handling of each tier is tested alone. */
function scriptedRisk(script: Record<string, Partial<RiskAssessment>>): RiskAssessor {
  const assessLocally = (text: string): RiskAssessment => ({ ...NO_RISK, ...(script[text] ?? {}) });
  return { assessLocally, assess: async (text) => assessLocally(text) };
}

const CONCERN = '最近ずっと、いなくなりたいと思う';
const FRIEND = '友達が、もう無理って言ってた';
const CRISIS = '今から飛び降りる';
const ENGLISH = 'i cant do this anymore';
const FRIEND_NOW = '友達がいま屋上にいるって連絡してきた';
const risk = scriptedRisk({
  [CONCERN]: { tier: 'concern', categories: ['suicide'], language: 'ja' },
  [FRIEND]: { tier: 'concern', categories: ['suicide'], aboutSomeoneElse: true, language: 'ja' },
  [CRISIS]: { tier: 'crisis', categories: ['suicide'], language: 'ja' },
  [ENGLISH]: { tier: 'concern', categories: ['suicide'], language: 'en' },
  [FRIEND_NOW]: { tier: 'crisis', categories: ['suicide'], aboutSomeoneElse: true, language: 'ja' },
});

describe('the concern tier: ask directly and kindly', () => {
  let h: ConversationHarness;
  const open = async () => {
    h = await ConversationHarness.create({ clock: new FakeClock(nextTokyoWeekday(3, '10:00')), risk });
    return h.content.translator.forLanguage('ja');
  };
  afterEach(() => h.close());

  it('asks whether the resident is in danger now, with answers and the 24-hour numbers one tap away', async () => {
    const t = await open();
    const r = h.resident();
    await r.say(CONCERN);
    expect(r.last).toHaveLength(1);
    expect(r.text()).toContain(t('safety-check.question.suicide'));
    const choices = r.buttons().filter((b) => b.kind === 'choice');
    expect(choices.map((b) => b.label)).toEqual(
      ['yes', 'unsure', 'no'].map((a) => t(`safety-check.answer.${a}`)),
    );
    const phones = r.buttons().flatMap((b) => (b.kind === 'call' ? [b.phone] : []));
    expect(phones).toContain('119');
    expect(phones).toContain('0120-279-338');
    // Nothing is opened or alerted until the resident answers.
    expect(await h.store.cases.listByResident(r.key)).toEqual([]);
  });

  it('treats yes as a crisis: the safety message, an urgent case with the words and the answer', async () => {
    const t = await open();
    const r = h.resident();
    await r.say(CONCERN);
    await r.choose({ kind: 'safety', answer: 'yes' });
    expect(r.text()).toContain(t('crisis.now.self'));
    const [record] = await h.store.cases.listByResident(r.key);
    expect(record).toMatchObject({ urgent: true, answers: { concern: 'yes', crisis: ['suicide'] } });
    expect(record?.ownWords).toContain(CONCERN);
  });

  it('treats "not sure" as a crisis too', async () => {
    await open();
    const r = h.resident();
    await r.say(CONCERN);
    await r.choose({ kind: 'safety', answer: 'unsure' });
    const [record] = await h.store.cases.listByResident(r.key);
    expect(record).toMatchObject({ urgent: true, answers: { concern: 'unsure' } });
  });

  it('on no, thanks the resident and reads the held-back words as the message they were', async () => {
    const t = await open();
    const r = h.resident();
    await r.say('家賃が払えない');
    const proposalBefore = r.text();
    const s = h.resident();
    await s.say(CONCERN);
    await s.choose({ kind: 'safety', answer: 'no' });
    expect(s.text()).toContain(t('safety-check.after-no.self'));
    // A first message: the welcome notice that the question held back comes next.
    expect(s.text()).toContain(t('welcome.notice.about'));
    expect(await h.store.cases.listByResident(s.key)).toEqual([]);
    expect(proposalBefore).not.toContain(t('safety-check.question.suicide'));
  });

  it('takes a typed no as no, and any other typed reply as not sure', async () => {
    const t = await open();
    const r = h.resident();
    await r.say(CONCERN);
    await r.say('大丈夫です');
    expect(r.text()).toContain(t('safety-check.after-no.self'));
    expect(await h.store.cases.listByResident(r.key)).toEqual([]);

    const s = h.resident();
    await s.say(CONCERN);
    await s.say('仕事のことで');
    expect(s.text()).toContain(t('crisis.now.self'));
    const [record] = await h.store.cases.listByResident(s.key);
    expect(record).toMatchObject({ urgent: true, answers: { concern: 'unsure' } });
    expect(record?.ownWords).toContain('仕事のことで');
  });

  it('asks about the other person when the resident writes about someone else', async () => {
    const t = await open();
    const r = h.resident();
    await r.say(FRIEND);
    expect(r.text()).toContain(t('safety-check.question.someone-else'));
    await r.choose({ kind: 'safety', answer: 'no' });
    expect(r.text()).toContain(t('safety-check.after-no.someone-else'));
  });

  it('speaks about the other person when the writer fears for someone else, without a text option for them', async () => {
    const t = await open();
    const r = h.resident();
    await r.say(FRIEND_NOW);
    expect(r.last[0]?.text).toBe(t('crisis.kind.someone-else'));
    expect(r.text()).toContain(t('crisis.now.someone-else'));
    expect(r.text()).not.toContain(t('crisis.kind.suicide'));
    expect(r.buttons().some((b) => b.kind === 'link')).toBe(false);
  });

  it('lets a crisis written while the question waits go straight to the safety message', async () => {
    const t = await open();
    const r = h.resident();
    await r.say(CONCERN);
    await r.say(CRISIS);
    expect(r.text()).toContain(t('crisis.now.self'));
    const [record] = await h.store.cases.listByResident(r.key);
    expect(record?.ownWords).toContain(CONCERN);
    expect(record?.ownWords).toContain(CRISIS);
  });

  it('lets a command leave the question', async () => {
    await open();
    const r = h.resident();
    await r.say(CONCERN);
    await r.say('最初から');
    expect(r.buttons().some((b) => b.kind === 'choice' && b.data.startsWith('k|'))).toBe(false);
    expect(await h.store.cases.listByResident(r.key)).toEqual([]);
  });

  it('answers in the language the message was written in, when the resident chose none', async () => {
    await open();
    const r = h.resident();
    await r.say(ENGLISH);
    const en = h.content.translator.forLanguage('en');
    expect(r.text()).toContain(en('safety-check.question.suicide'));
    const [state] = [await h.store.sessions.get(r.key, h.clock.now())];
    expect(state?.state).toMatchObject({ language: 'en', languageSource: 'detected' });
  });

  it('says a stale safety answer is stale rather than acting on it', async () => {
    const t = await open();
    const r = h.resident();
    await r.follow();
    await r.send({ type: 'choice', data: 'k|yes' });
    expect(r.text()).toContain(t('common.stale-choice'));
    expect(await h.store.cases.listByResident(r.key)).toEqual([]);
  });
});
