import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HandoverDesk } from '../../../src/core/cases/handover-desk.js';
import type { ChoiceData } from '../../../src/core/conversation/choice-data.js';
import type { CaseRecord } from '../../../src/core/ports/store.js';
import { ConversationHarness, type Resident, t } from '../../support/conversation-harness.js';
import { FakeClock, nextTokyoWeekday } from '../../support/fake-clock.js';

const staff = { id: 'U0STAFFA', displayName: 'sato' };
const TARGET = 'kodomo-katei';

function selfCase(r: Resident): Promise<CaseRecord> {
  return r.consultAboutSelf(['children'], '090-1234-5678');
}

const answer = (record: CaseRecord, yes: boolean): ChoiceData => ({
  kind: 'consent',
  answer: yes ? 'yes' : 'no',
  caseId: record.id,
  window: TARGET,
});

describe('つなぐシート: asking the resident for consent', () => {
  let h: ConversationHarness;
  let desk: HandoverDesk;

  beforeEach(async () => {
    h = await ConversationHarness.create({
      clock: new FakeClock(nextTokyoWeekday(3, '10:00')),
      withStaff: true,
    });
    if (!h.handover) throw new Error('no staff');
    desk = h.handover;
  });
  afterEach(() => h.close());

  async function sheetNotes(caseId: string) {
    return (await h.staffNotices(caseId)).flatMap((n) =>
      n.kind === 'thread' && n.note.type === 'handover-sheet' ? [n.note] : [],
    );
  }

  async function ask(record: CaseRecord, r: Resident) {
    await h.staffNotices(record.id);
    const result = await desk.askConsent(record.id, TARGET, staff);
    expect(result.kind).toBe('asked');
    await r.receivePushed();
    const window = h.content.municipality.windows.find((w) => w.id === TARGET)?.names.ja ?? '';
    expect(r.said('handover.ask.question', { window })).toBe(true);
    const notes = await h.staffNotices(record.id);
    expect(notes).toContainEqual({
      kind: 'thread',
      caseId: record.id,
      note: { type: 'consent-asked', windowId: TARGET, staffId: staff.id },
    });
    return window;
  }

  it('yes: thanks the resident, records the answer and produces the consented sheet', async () => {
    const r = h.resident();
    const record = await selfCase(r);
    const window = await ask(record, r);
    await r.choose(answer(record, true));
    expect(r.said('handover.ask.thanks-yes', { window })).toBe(true);
    expect((await h.store.cases.get(record.id))?.handoverConsent).toEqual({ [TARGET]: 'yes' });
    expect(await sheetNotes(record.id)).toEqual([
      expect.objectContaining({ type: 'handover-sheet', windowId: TARGET, consent: true, staffId: staff.id }),
    ]);
    // The sheet says the person agreed themselves, not that staff confirmed it.
    const stored = await h.store.cases.get(record.id);
    if (!stored) throw new Error('case gone');
    const consentLine = (await desk.build(stored, TARGET, true)).sections.find((s) => s.id === 'consent');
    expect(consentLine?.items[0]?.value).toBe(t('handover.consent.yes-resident'));
    const trail = await h.store.audit.listForCase(record.id);
    expect(trail.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'case.handover-consent-asked',
        'case.handover-consent-answered',
        'case.handover-sheet',
      ]),
    );
    const asked = trail.find((e) => e.action === 'case.handover-consent-asked');
    expect(asked?.actor).toEqual({ kind: 'staff', id: staff.id });
    expect(asked?.details).toEqual({ number: record.number, window: TARGET });
  });

  it('no: the 支援会議 sheet, and their support goes on', async () => {
    const r = h.resident();
    const record = await selfCase(r);
    const window = await ask(record, r);
    await r.choose(answer(record, false));
    expect(r.said('handover.ask.thanks-no', { window })).toBe(true);
    expect((await h.store.cases.get(record.id))?.handoverConsent).toEqual({ [TARGET]: 'no' });
    expect(await sheetNotes(record.id)).toEqual([
      expect.objectContaining({ type: 'handover-sheet', windowId: TARGET, consent: false }),
    ]);
  });

  it('a repeated tap does nothing more: no second sheet, no change of answer', async () => {
    const r = h.resident();
    const record = await selfCase(r);
    await ask(record, r);
    const buttons = r.buttons();
    await r.choose(answer(record, true));
    expect((await sheetNotes(record.id)).length).toBe(1);
    // The same message's buttons, tapped again (yes, then no).
    r.last = [{ type: 'text', text: '', quickReplies: buttons }];
    await r.choose(answer(record, true));
    expect(r.said('handover.ask.already')).toBe(true);
    r.last = [{ type: 'text', text: '', quickReplies: buttons }];
    await r.choose(answer(record, false));
    expect(r.said('handover.ask.already')).toBe(true);
    expect(await sheetNotes(record.id)).toEqual([]);
    expect((await h.store.cases.get(record.id))?.handoverConsent).toEqual({ [TARGET]: 'yes' });
    // And staff asking again are told the answer stands.
    expect(await desk.askConsent(record.id, TARGET, staff)).toEqual({
      kind: 'already-answered',
      answer: 'yes',
    });
  });

  it('a tap never asked for (or on someone else case) is harmless', async () => {
    const r = h.resident();
    const record = await selfCase(r);
    await r.receive({
      type: 'choice',
      data: `g|yes|${record.id}|${TARGET}`,
    });
    expect(r.said('handover.ask.already')).toBe(true);
    expect(await sheetNotes(record.id)).toEqual([]);
    expect((await h.store.cases.get(record.id))?.handoverConsent).toBeUndefined();
  });

  it('a neighbour report can never be asked', async () => {
    const r = h.resident();
    const record = await r.reportNeighbour('一人暮らしの方を一週間見ていません', 'line');
    await h.staffNotices(record.id);
    expect(await desk.askConsent(record.id, TARGET, staff)).toEqual({ kind: 'cannot-ask' });
    expect(await h.pushed(r.address)).toEqual([]);
    expect(await h.staffNotices(record.id)).toEqual([]);
    expect((await h.store.cases.get(record.id))?.handoverConsent).toBeUndefined();
  });
});
