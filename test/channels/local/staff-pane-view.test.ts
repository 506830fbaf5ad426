import { describe, expect, it } from 'vitest';
import {
  renderCaseView,
  renderFeedEntry,
  renderThreadNote,
  type ViewContext,
} from '../../../src/channels/local/staff-pane-view.js';
import { loadConfig, projectRoot } from '../../../src/config.js';
import type { CaseRecord } from '../../../src/core/ports/store.js';
import { loadConversationContent } from '../../../src/load-conversation-content.js';

const content = loadConversationContent(projectRoot, loadConfig({}).municipalityConfigPath);
const ctx: ViewContext = {
  config: content.municipality,
  t: content.translator.forLanguage('ja'),
  language: 'ja',
  now: new Date('2026-11-04T01:30:00Z'),
};
const windowId = content.municipality.windows[0]?.id ?? '';

const PHONE = '090-1234-5678';
const WORDS = '母が最近ふらついていて心配です';
const PLACE = '若葉町2丁目';

function record(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: 'case-1',
    residentKey: 'local:resident-secret',
    channel: 'local',
    origin: 'family',
    anonymous: false,
    windowId,
    fields: ['elderly'],
    patterns: [],
    urgent: false,
    language: 'ja',
    answers: {
      subject: 'family',
      urgency: 'soon',
      contact: 'phone',
      phone: PHONE,
      area: PLACE,
      location: PLACE,
    },
    ownWords: WORDS,
    createdAt: new Date('2026-11-04T01:00:00Z'),
    number: '2026-000007',
    status: 'pending',
    version: 1,
    updatedAt: new Date('2026-11-04T01:00:00Z'),
    rerouteCount: 0,
    reopenCount: 0,
    ...overrides,
  };
}

describe('the staff pane view', () => {
  const line = (view: { alert: Array<{ key: string; value: string }> }, key: string) =>
    view.alert.find((l) => l.key === key)?.value;
  const t = ctx.t;

  it('shows the alert data only: never the resident id, phone, place or own words', () => {
    const view = renderCaseView(record({ status: 'assigned', assignee: 'staff-a' }), ctx);
    expect(view).toMatchObject({
      number: '2026-000007',
      origin: { id: 'family', label: t('staff.origin.family') },
      anonymous: false,
      status: 'assigned',
      assignee: 'staff-a',
    });
    expect(line(view, 'staff.alert.fields')).toBe(t('field.elderly'));
    expect(line(view, 'staff.alert.urgency')).toBe(t('intake.urgency.soon'));
    expect(line(view, 'staff.alert.contact')).toBe(
      `${t('staff.contact.identified')}\n${t('staff.contact.means.phone')}`,
    );
    const json = JSON.stringify(view);
    for (const secret of ['resident-secret', PHONE, PLACE, WORDS]) expect(json).not.toContain(secret);
  });

  it('shows what a neighbour noticed, the crisis categories and household patterns, as the Slack alert does', () => {
    const view = renderCaseView(
      record({
        origin: 'neighbour',
        anonymous: true,
        urgent: true,
        patterns: ['hoarding'],
        answers: {
          observations: ['rubbish', 'smell'],
          contactable: 'no',
          crisis: ['elder_abuse'],
          location: PLACE,
        },
      }),
      ctx,
    );
    const separator = t('common.list-separator');
    expect(line(view, 'staff.alert.observations')).toBe(
      `${t('observation.rubbish')}${separator}${t('observation.smell')}\n${t('staff.alert.patterns', { patterns: t('staff.pattern.hoarding') })}`,
    );
    expect(line(view, 'staff.alert.urgency')).toBe(
      t('staff.alert.crisis-with', { categories: t('staff.crisis.elder_abuse') }),
    );
    expect(line(view, 'staff.alert.contact')).toBe(
      `${t('staff.contact.anonymous')}\n${t('staff.contact.reporter-not-contactable')}`,
    );
    expect(view.crisis).toBe(true);
    expect(JSON.stringify(view)).not.toContain(PLACE);
  });

  it('labels a case with no recognised field as unknown', () => {
    expect(line(renderCaseView(record({ fields: [] }), ctx), 'staff.alert.fields')).toBe(t('field.unknown'));
  });

  it('says a resident who chose this LINE can be answered here, not that nobody may contact them', () => {
    const view = renderCaseView(
      record({ anonymous: true, answers: { subject: 'self', urgency: 'soon', contact: 'line' } }),
      ctx,
    );
    expect(line(view, 'staff.alert.contact')).toBe(
      `${t('staff.contact.anonymous')}\n${t('staff.contact.means.line')}`,
    );
  });

  it('says a crisis case opened before any question can be answered in its conversation', () => {
    const view = renderCaseView(
      record({ anonymous: true, urgent: true, answers: { subject: 'self', crisis: ['suicide'] } }),
      ctx,
    );
    expect(line(view, 'staff.alert.contact')).toBe(
      `${t('staff.contact.anonymous')}\n${t('staff.contact.means.line')}`,
    );
  });

  it("shows one urgency: danger outranks the resident's own choice, the safety answer follows", () => {
    const view = renderCaseView(
      record({ urgent: true, answers: { urgency: 'soon', crisis: ['suicide'], concern: 'unsure' } }),
      ctx,
    );
    expect(line(view, 'staff.alert.urgency')).toBe(
      `${t('staff.alert.crisis-with', { categories: t('staff.crisis.suicide') })}\n${t('staff.alert.concern.unsure')}`,
    );
    expect(line(view, 'staff.alert.urgency')).not.toContain(t('intake.urgency.soon'));
  });

  it('withholds the intake until someone has taken the case', () => {
    expect(renderThreadNote({ type: 'intake' }, record(), ctx)).toEqual({ type: 'intake', hidden: true });
    const shown = renderThreadNote(
      { type: 'intake' },
      record({ status: 'assigned', assignee: 'staff-a' }),
      ctx,
    );
    expect(shown).toMatchObject({ type: 'intake', hidden: false, ownWords: WORDS });
    expect(JSON.stringify(shown)).toContain(PHONE);
    expect(JSON.stringify(shown)).toContain(PLACE);
  });

  it('withholds everything personal once the resident erased their data', () => {
    const erased = record({ status: 'assigned', assignee: 'staff-a', erasedAt: new Date() });
    expect(renderThreadNote({ type: 'intake' }, erased, ctx)).toEqual({ type: 'intake', hidden: true });
    const message = renderThreadNote(
      { type: 'resident-message', content: { type: 'text', text: WORDS }, eventId: 'e1' },
      erased,
      ctx,
    );
    expect(message).toEqual({ type: 'resident-message', hidden: true });
  });

  it('describes what a resident sent that is not text', () => {
    const taken = record({ status: 'assigned', assignee: 'staff-a' });
    const location = renderThreadNote(
      {
        type: 'resident-message',
        content: { type: 'location', latitude: 35.1, longitude: 137.05, address: '本町1-1' },
        eventId: 'e1',
      },
      taken,
      ctx,
    );
    expect(location).toEqual({
      type: 'resident-message',
      hidden: false,
      text: '📍 位置情報: 本町1-1 / 35.10000, 137.05000',
    });
  });

  it('names the windows of a reroute, and draws a feed entry from the case as it is now', () => {
    const other = content.municipality.windows[1];
    if (!other) throw new Error('the example city has one window');
    const entry = renderFeedEntry(
      {
        sequence: 4,
        at: '2026-11-04T01:00:00.000Z',
        caseId: 'case-1',
        kind: 'notice',
        notice: {
          kind: 'thread',
          caseId: 'case-1',
          note: { type: 'rerouted', fromWindowId: windowId, toWindowId: other.id, staffId: 'staff-b' },
        },
      },
      record({ windowId: other.id }),
      ctx,
    );
    expect(entry.alert).toBe(false);
    expect(entry.note).toEqual({
      type: 'rerouted',
      from: content.municipality.windows[0]?.names.ja,
      to: other.names.ja,
      staffId: 'staff-b',
    });
    expect(entry.case?.window.id).toBe(other.id);
  });
});
