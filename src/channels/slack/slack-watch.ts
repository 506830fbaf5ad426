import type { App, BlockAction, ButtonAction, types, ViewSubmitAction } from '@slack/bolt';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { CaseRecord, WatchPlan } from '../../core/ports/store.js';
import { WATCH_OUTCOMES, type WatchNote, type WatchOutcome } from '../../core/ports/watch-notice.js';
import type { WatchDesk } from '../../core/watch/watch-desk.js';
import { describePlan } from '../../core/watch/watch-messages.js';
import { planSchemaFor } from '../../core/watch/watch-plan.js';
import { contextLine, escapeSlack, groupMention, mrkdwnSection, userMention } from './slack-markup.js';
import type { SlackMessage } from './slack-message.js';
import { parseModalContext } from './slack-modals.js';
import { refuse, type StaffSpot, staffRefOf, tellStaff } from './slack-staff-feedback.js';
import type { SlackWebClient } from './slack-web-client.js';
import type { StaffInteractionDeps } from './staff-interaction-deps.js';
import type { StaffText } from './staff-text.js';

/** 見守り's Block Kit ids: the case's button, the modal, the outcome buttons under an alert. */
export const WATCH_ACTION_IDS = { start: 'watch_start', outcome: 'watch_outcome' } as const;
export const WATCH_VIEW_ID = 'watch_start_submit';

const plain = (text: string): types.PlainTextElement => ({
  type: 'plain_text',
  text: text.slice(0, 150),
  emoji: true,
});
const option = (text: string, value: string) => ({ text: plain(text.slice(0, 75)), value });

/** "見守りを始める" on the case's alert (open or closed: it is offered on close too). */
export function watchButton(record: CaseRecord, s: StaffText): types.Button {
  return {
    type: 'button',
    action_id: WATCH_ACTION_IDS.start,
    text: plain(s.t('staff.watch.button')),
    value: record.id,
  };
}

/** A 見守り note in the case thread. The alert mentions the on-call group and goes to the channel too. */
export function renderWatchNote(
  record: CaseRecord,
  note: WatchNote,
  s: StaffText,
  config: MunicipalityConfig,
): SlackMessage & { broadcast: boolean } {
  const fallback = escapeSlack(s.t('staff.watch.fallback', { number: record.number }));
  switch (note.kind) {
    case 'proposed': {
      const plan = escapeSlack(describePlan(note.plan, s.t));
      const line = s.t('staff.watch.proposed', {
        staff: userMention(note.staffId),
        plan,
        threshold: note.plan.missThreshold,
      });
      return { text: fallback, blocks: [contextLine(line)], broadcast: false };
    }
    case 'answer':
      return {
        text: fallback,
        blocks: [mrkdwnSection(s.t(`staff.watch.answer.${note.answer}`))],
        broadcast: false,
      };
    case 'alert': {
      const mention = groupMention(config.escalation.onCallUserGroup) || '<!here>';
      const history = note.history.map(
        (line) =>
          `• ${s.dateTime(new Date(line.dueAt))} ${s.t(`staff.watch.status.${line.status}`)}${
            line.answer ? ` (${s.t(`staff.watch.answer-label.${line.answer}`)})` : ''
          }`,
      );
      return {
        text: `${mention} ${escapeSlack(s.t('staff.watch.alert-fallback', { number: record.number, missed: note.missed }))}`,
        blocks: [
          mrkdwnSection(s.t('staff.watch.alert', { mention, missed: note.missed })),
          mrkdwnSection(`*${s.t('staff.watch.history')}*\n${history.join('\n')}`),
          contextLine(s.t('staff.watch.outcome-prompt')),
          {
            type: 'actions',
            block_id: 'watch_outcomes',
            elements: WATCH_OUTCOMES.map((outcome) => ({
              type: 'button',
              action_id: `${WATCH_ACTION_IDS.outcome}_${outcome}`,
              text: plain(s.t(`staff.watch.outcome.${outcome}`)),
              value: `${record.id}|${outcome}`,
            })),
          },
        ],
        broadcast: true,
      };
    }
    case 'outcome':
      return {
        text: fallback,
        blocks: [
          contextLine(
            s.t('staff.watch.outcome-recorded', {
              staff: userMention(note.staffId),
              outcome: s.t(`staff.watch.outcome.${note.outcome}`),
            }),
          ),
        ],
        broadcast: false,
      };
    default:
      return { text: fallback, blocks: [contextLine(s.t(`staff.watch.${note.kind}`))], broadcast: false };
  }
}

const INPUT = {
  frequency: 'frequency',
  weekdays: 'weekdays',
  every: 'every',
  slot: 'slot',
  duration: 'duration',
  threshold: 'threshold',
  daysOff: 'days_off',
} as const;

/** The modal behind "見守りを始める": how often, which days, at what time, how long, after how many misses. */
export function watchModal(
  record: CaseRecord,
  config: MunicipalityConfig,
  context: { caseId: string; channel?: string | undefined; threadTs?: string | undefined },
  s: StaffText,
): types.ModalView {
  const weekdays = [1, 2, 3, 4, 5, 6, 0].map((d) => option(s.t(`time.weekday.${d}`), String(d)));
  const input = (
    id: string,
    label: string,
    element: types.InputBlock['element'],
    optional = false,
  ): types.InputBlock => ({ type: 'input', block_id: id, label: plain(label), optional, element });
  const number = (id: string, initial: number, min: number, max: number) =>
    ({
      type: 'number_input',
      action_id: id,
      is_decimal_allowed: false,
      initial_value: String(initial),
      min_value: String(min),
      max_value: String(max),
    }) as types.NumberInput;
  return {
    type: 'modal',
    callback_id: WATCH_VIEW_ID,
    title: plain(s.t('staff.watch.modal.title').slice(0, 24)),
    submit: plain(s.t('staff.watch.modal.submit')),
    close: plain(s.t('staff.modal.cancel')),
    private_metadata: JSON.stringify(context),
    blocks: [
      mrkdwnSection(
        s.t('staff.modal.case', {
          number: record.number,
          window: escapeSlack(s.windowName(record.windowId)),
        }),
      ),
      contextLine(s.t('staff.watch.modal.note')),
      input(INPUT.frequency, s.t('staff.watch.modal.frequency'), {
        type: 'radio_buttons',
        action_id: INPUT.frequency,
        initial_option: option(s.t('staff.watch.frequency.daily'), 'daily'),
        options: ['daily', 'weekdays', 'every'].map((f) => option(s.t(`staff.watch.frequency.${f}`), f)),
      }),
      input(
        INPUT.weekdays,
        s.t('staff.watch.modal.weekdays'),
        { type: 'checkboxes', action_id: INPUT.weekdays, options: weekdays },
        true,
      ),
      input(INPUT.every, s.t('staff.watch.modal.every'), number(INPUT.every, 2, 2, 30), true),
      input(INPUT.slot, s.t('staff.watch.modal.slot'), {
        type: 'static_select',
        action_id: INPUT.slot,
        initial_option: option(config.watch.slots[0] ?? '', config.watch.slots[0] ?? ''),
        options: config.watch.slots.map((slot) => option(slot, slot)),
      }),
      input(
        INPUT.duration,
        s.t('staff.watch.modal.duration'),
        number(INPUT.duration, 30, 1, config.watch.maxDurationDays),
      ),
      input(INPUT.threshold, s.t('staff.watch.modal.threshold'), number(INPUT.threshold, 2, 1, 10)),
      input(
        INPUT.daysOff,
        s.t('staff.watch.modal.days-off'),
        { type: 'checkboxes', action_id: INPUT.daysOff, options: weekdays },
        true,
      ),
    ],
  };
}

type Values = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value?: string } | null;
      selected_options?: Array<{ value?: string }> | null;
    }
  >
>;

/** The submitted plan, checked against the city's rules; or the first problem, for the modal. */
export function submittedPlan(
  values: Values,
  config: MunicipalityConfig,
): { ok: true; plan: WatchPlan } | { ok: false; block: string; problem: string } {
  const get = (id: string) => values[id]?.[id];
  const days = (id: string) => (get(id)?.selected_options ?? []).map((o) => Number(o.value));
  const kind = get(INPUT.frequency)?.selected_option?.value ?? 'daily';
  const frequency =
    kind === 'weekdays'
      ? { kind, days: days(INPUT.weekdays) }
      : kind === 'every'
        ? { kind, days: Number(get(INPUT.every)?.value) }
        : { kind };
  const parsed = planSchemaFor(config).safeParse({
    frequency,
    slot: get(INPUT.slot)?.selected_option?.value,
    durationDays: Number(get(INPUT.duration)?.value),
    missThreshold: Number(get(INPUT.threshold)?.value),
    daysOff: days(INPUT.daysOff),
  });
  if (parsed.success) return { ok: true, plan: parsed.data };
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const block =
    field === 'frequency'
      ? kind === 'weekdays'
        ? INPUT.weekdays
        : kind === 'every'
          ? INPUT.every
          : INPUT.frequency
      : field === 'durationDays'
        ? INPUT.duration
        : field === 'missThreshold'
          ? INPUT.threshold
          : field === 'daysOff'
            ? INPUT.daysOff
            : INPUT.slot;
  return { ok: false, block, problem: issue?.message ?? 'invalid' };
}

export interface WatchInteractionDeps extends StaffInteractionDeps {
  watch: WatchDesk;
}

type Button = BlockAction<ButtonAction>;

/** 見守りを始める (button → modal → offer to the resident) and the outcome buttons under an alert. */
export function registerWatchInteractions(app: App, deps: WatchInteractionDeps): void {
  const { watch, config, text: s } = deps;
  const log = deps.logger.child({ component: 'slack-watch' });

  async function authorised(client: SlackWebClient, spot: StaffSpot, caseId: string, action: string) {
    const record = await deps.cases.get(caseId);
    if (!record) {
      await tellStaff(client, spot, s.t('staff.watch.ephemeral.not-found'), log);
      return undefined;
    }
    if (!(await deps.authorizer.canAct(spot.user, record.windowId))) {
      await refuse({ client, text: s, logger: log, audit: deps.audit }, spot, record, action);
      return undefined;
    }
    return record;
  }

  app.action<Button>(
    { type: 'block_actions', action_id: WATCH_ACTION_IDS.start },
    async ({ ack, body, action, client }) => {
      await ack();
      const spot: StaffSpot = { user: body.user.id, channel: body.channel?.id };
      try {
        const record = await authorised(client, spot, action.value ?? '', 'watch-start');
        if (!record) return;
        const context = { caseId: record.id, channel: body.channel?.id, threadTs: body.message?.ts };
        await client.views.open({
          trigger_id: body.trigger_id,
          view: watchModal(record, config, context, s),
        });
      } catch (error) {
        log.error({ err: error }, '見守り modal could not open');
        await tellStaff(client, spot, s.t('staff.ephemeral.error'), log);
      }
    },
  );

  app.view<ViewSubmitAction>(WATCH_VIEW_ID, async ({ ack, body, view, client }) => {
    const submitted = submittedPlan(view.state.values as Values, config);
    if (!submitted.ok) {
      await ack({
        response_action: 'errors',
        errors: { [submitted.block]: s.t('staff.watch.modal.invalid', { problem: submitted.problem }) },
      });
      return;
    }
    await ack();
    const context = parseModalContext(view.private_metadata);
    if (!context) return;
    const spot: StaffSpot = { user: body.user.id, channel: context.channel, threadTs: context.threadTs };
    try {
      const record = await authorised(client, spot, context.caseId, 'watch-start');
      if (!record) return;
      const result = await watch.propose(
        record.id,
        submitted.plan,
        await staffRefOf(client, spot.user, config, log),
      );
      await tellStaff(client, spot, s.t(`staff.watch.ephemeral.${result.kind}`), log);
    } catch (error) {
      log.error({ err: error }, '見守り could not be offered');
      await tellStaff(client, spot, s.t('staff.ephemeral.error'), log);
    }
  });

  app.action<Button>(
    { type: 'block_actions', action_id: new RegExp(`^${WATCH_ACTION_IDS.outcome}_`) },
    async ({ ack, body, action, client }) => {
      await ack();
      const spot: StaffSpot = { user: body.user.id, channel: body.channel?.id, threadTs: body.message?.ts };
      const [caseId = '', outcome = ''] = (action.value ?? '').split('|');
      if (!(WATCH_OUTCOMES as readonly string[]).includes(outcome)) return;
      try {
        const record = await authorised(client, spot, caseId, 'watch-outcome');
        if (!record) return;
        await watch.recordOutcome(record.id, outcome as WatchOutcome, { id: spot.user });
        await tellStaff(client, spot, s.t('staff.watch.ephemeral.recorded'), log);
      } catch (error) {
        log.error({ err: error }, '見守り outcome could not be recorded');
        await tellStaff(client, spot, s.t('staff.ephemeral.error'), log);
      }
    },
  );
}
