import { describe, expect, it } from 'vitest';
import { renderWatchNote, submittedPlan, watchModal } from '../../../src/channels/slack/slack-watch.js';
import type { CaseRecord } from '../../../src/core/ports/store.js';
import { CASE_ID, ja, municipality, ON_CALL_GROUP, staffText } from './slack-test-support.js';

const record = {
  id: CASE_ID,
  number: '2026-000123',
  windowId: municipality.windows[0]?.id ?? '',
} as CaseRecord;

const value = (v: string) => ({ value: v });
const selected = (v: string) => ({ selected_option: { value: v } });
const checked = (...v: string[]) => ({ selected_options: v.map((value) => ({ value })) });

describe('見守り in Slack', () => {
  it('alerts a missed streak in the thread and the channel: a mention, the history, the outcome buttons', () => {
    const message = renderWatchNote(
      record,
      {
        kind: 'alert',
        missed: 2,
        history: [
          { dueAt: '2027-01-04T00:00:00.000Z', status: 'answered', answer: 'fine' },
          { dueAt: '2027-01-05T00:00:00.000Z', status: 'missed' },
          { dueAt: '2027-01-06T00:00:00.000Z', status: 'missed' },
        ],
      },
      staffText,
      municipality,
    );
    expect(message.broadcast).toBe(true);
    expect(message.text).toContain(`<!subteam^${ON_CALL_GROUP}>`);
    expect(message.text).toContain('2026-000123');
    const json = JSON.stringify(message.blocks);
    expect(json).toContain(ja('staff.watch.status.missed'));
    expect(json).toContain(ja('staff.watch.answer-label.fine'));
    const buttons = message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b) => ('action_id' in b ? b.action_id : ''))).toEqual([
      'watch_outcome_visited',
      'watch_outcome_phoned',
      'watch_outcome_hospital',
      'watch_outcome_ended',
    ]);
  });

  it('tells the thread of other changes without mentioning anyone', () => {
    const message = renderWatchNote(record, { kind: 'agreed' }, staffText, municipality);
    expect(message.broadcast).toBe(false);
    expect(JSON.stringify(message.blocks)).toContain(ja('staff.watch.agreed'));
    expect(message.text).not.toContain('<!');
  });

  it('reads the modal into a plan, and names the field a bad plan fails on', () => {
    const view = watchModal(record, municipality, { caseId: CASE_ID }, staffText);
    expect(view.callback_id).toBe('watch_start_submit');
    const slot = municipality.watch.slots[0] ?? '';
    const values = {
      frequency: { frequency: selected('weekdays') },
      weekdays: { weekdays: checked('1', '4') },
      every: { every: value('2') },
      slot: { slot: selected(slot) },
      duration: { duration: value('30') },
      threshold: { threshold: value('2') },
      days_off: { days_off: checked() },
    };
    expect(submittedPlan(values, municipality)).toEqual({
      ok: true,
      plan: {
        frequency: { kind: 'weekdays', days: [1, 4] },
        slot,
        durationDays: 30,
        missThreshold: 2,
        daysOff: [],
      },
    });
    const noDays = submittedPlan({ ...values, weekdays: { weekdays: checked() } }, municipality);
    expect(noDays).toMatchObject({ ok: false, block: 'weekdays' });
    const noThreshold = submittedPlan({ ...values, threshold: { threshold: value('0') } }, municipality);
    expect(noThreshold).toMatchObject({ ok: false, block: 'threshold' });
  });
});
