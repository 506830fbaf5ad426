import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseAudit } from '../../../src/core/cases/case-audit.js';
import { HandoverDesk } from '../../../src/core/cases/handover-desk.js';
import { type HandoverSheet, handoverMarkdown } from '../../../src/core/cases/handover-sheet.js';
import { Outbox } from '../../../src/core/outbox.js';
import type { CaseRecord } from '../../../src/core/ports/store.js';
import { renderHandoverPdf } from '../../../src/documents/handover-sheet-pdf.js';
import { ConversationHarness, type Resident, t } from '../../support/conversation-harness.js';
import { FakeClock, nextTokyoWeekday } from '../../support/fake-clock.js';
import { extractPdfText } from '../../support/pdf-text.js';

const staff = { id: 'U0STAFFA', displayName: 'sato' };
const OWN_WORDS = '母の介護と子どもの世話で、もう限界です';
const PHONE = '090-1234-5678';
const NEIGHBOUR_WORDS = '一人暮らしの方を一週間見ていません';

/** A resident consulting about themselves, who wrote their words and asked for a phone call. */
function selfCase(r: Resident): Promise<CaseRecord> {
  return r.consultAboutSelf(['elderly', 'children'], PHONE, OWN_WORDS);
}

function neighbourCase(r: Resident): Promise<CaseRecord> {
  return r.reportNeighbour(NEIGHBOUR_WORDS, 'line');
}

/** Requests a sheet as staff do, then builds it as the staff channel does on delivery. */
async function produce(desk: HandoverDesk, caseId: string, windowId: string, consent: boolean) {
  const result = await desk.request(caseId, windowId, staff, consent);
  if (result.kind !== 'requested') throw new Error(result.kind);
  return desk.build(result.record, windowId, result.consent, staff.displayName);
}

const allText = (sheet: HandoverSheet) =>
  [
    sheet.title,
    sheet.notice,
    ...sheet.sections.flatMap((s) => [s.heading, ...s.items.flatMap((i) => [i.label ?? '', i.value])]),
  ].join('\n');

/** pdf.js puts spaces between text runs; compare without them. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('つなぐシート (handover sheet)', () => {
  let h: ConversationHarness;
  let desk: HandoverDesk;

  beforeEach(async () => {
    h = await ConversationHarness.create({
      clock: new FakeClock(nextTokyoWeekday(3, '10:00')),
      withStaff: true,
    });
    const config = h.content.municipality;
    desk = new HandoverDesk({
      cases: h.store.cases,
      auditLog: h.store.audit,
      audit: new CaseAudit(h.store.audit, config.retention.auditYears, h.clock.now),
      outbox: new Outbox(h.store.outbox, h.clock.now),
      staffChannel: 'slack',
      config,
      t: (key, values) => t(key, values),
      translator: h.content.translator,
      now: h.clock.now,
    });
  });
  afterEach(() => h.close());

  it('with consent: the own words, contact and history, in Markdown and in a PDF whose text reads back', async () => {
    const r = h.resident();
    const record = await selfCase(r);
    const actions = h.actions;
    if (!actions) throw new Error('no staff');
    await actions.accept(record.id, staff);
    const sheet = await produce(desk, record.id, 'kodomo-katei', true);
    expect(sheet.variant).toBe('consented');
    expect(sheet.title).toBe(t('handover.title.consented'));
    const text = allText(sheet);
    for (const expected of [
      record.number,
      OWN_WORDS,
      PHONE,
      t('handover.consent.yes'),
      t('handover.history.opened'),
      t('handover.history.accepted'),
      t('handover.wishes.urgency.soon'),
      t('handover.wishes.contact.phone'),
    ])
      expect(text).toContain(expected);

    const markdown = handoverMarkdown(sheet);
    expect(markdown).toContain(`# ${t('handover.title.consented')}（${record.number}）`);
    expect(markdown).toContain(`> ${OWN_WORDS}`);

    const pdf = await renderHandoverPdf(sheet);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfText = squeeze(await extractPdfText(pdf));
    for (const expected of [
      record.number,
      OWN_WORDS,
      PHONE,
      t('handover.title.consented'),
      t('handover.consent.yes'),
    ])
      expect(pdfText).toContain(squeeze(expected));
  });

  it('without consent (a neighbour report): no words, no reporter identity or contact; for a 支援会議 only', async () => {
    const r = h.resident();
    const record = await neighbourCase(r);
    // Staff ticking "consent" cannot turn a neighbour's report into a consented sheet.
    const sheet = await produce(desk, record.id, 'takikan-kyodo', true);
    expect(sheet.variant).toBe('support-meeting');
    const text = allText(sheet);
    expect(text).toContain(t('handover.notice.support-meeting'));
    expect(text).toContain(t('handover.omitted.neighbour'));
    for (const hidden of [
      NEIGHBOUR_WORDS,
      '栄町',
      r.key,
      t('handover.contact.line'),
      t('staff.contact.reporter-contactable'),
    ])
      expect(text).not.toContain(hidden);

    const pdfText = squeeze(await extractPdfText(await renderHandoverPdf(sheet)));
    expect(pdfText).toContain(squeeze(t('handover.title.support-meeting')));
    expect(pdfText).toContain('支援会議');
    expect(pdfText).toContain(record.number);
    for (const hidden of [NEIGHBOUR_WORDS, '栄町', r.key]) expect(pdfText).not.toContain(squeeze(hidden));
    expect(handoverMarkdown(sheet)).not.toContain(NEIGHBOUR_WORDS);
  });

  it('without consent for a self consultation: the words and phone stay out', async () => {
    const record = await selfCase(h.resident());
    const result = { sheet: await produce(desk, record.id, 'kodomo-katei', false) };
    const text = allText(result.sheet);
    expect(result.sheet.variant).toBe('support-meeting');
    expect(text).not.toContain(OWN_WORDS);
    expect(text).not.toContain(PHONE);
    expect(text).toContain(t('handover.omitted.no-consent'));
  });

  it('audits who produced a sheet for which window, without its words; an unknown window produces nothing', async () => {
    const record = await selfCase(h.resident());
    await produce(desk, record.id, 'kodomo-katei', true);
    expect(await desk.request(record.id, 'nowhere', staff, true)).toEqual({ kind: 'unknown-window' });
    const entries = (await h.store.audit.listForCase(record.id)).filter(
      (e) => e.action === 'case.handover-sheet',
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { kind: 'staff', id: staff.id },
      details: { number: record.number, window: 'kodomo-katei', variant: 'consented', consent: true },
    });
    expect(JSON.stringify(entries)).not.toContain(OWN_WORDS);
    expect(JSON.stringify(entries)).not.toContain(PHONE);
  });

  it('after erasure, a sheet carries nothing the resident wrote', async () => {
    const r = h.resident();
    const record = await selfCase(r);
    await h.store.cases.eraseResident(r.key, h.clock.now());
    const result = { sheet: await produce(desk, record.id, 'kodomo-katei', true) };
    expect(result.sheet.variant).toBe('support-meeting');
    expect(allText(result.sheet)).not.toContain(OWN_WORDS);
    expect(allText(result.sheet)).not.toContain(PHONE);
  });
});
