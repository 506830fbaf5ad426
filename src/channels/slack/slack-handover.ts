import type { App, BlockAction, ButtonAction, types, ViewSubmitAction } from '@slack/bolt';
import { residentAddress } from '../../core/cases/case-actions.js';
import type { HandoverDesk } from '../../core/cases/handover-desk.js';
import { canRecordConsent, type HandoverSheet, handoverMarkdown } from '../../core/cases/handover-sheet.js';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { CaseRecord, CaseRepository } from '../../core/ports/store.js';
import type { Logger } from '../../logger.js';
import { contextLine, escapeSlack, userMention } from './slack-markup.js';
import type { SlackMessage } from './slack-message.js';
import { type ModalContext, parseModalContext } from './slack-modals.js';
import { refuse, type StaffSpot, staffRefOf, tellStaff } from './slack-staff-feedback.js';
import { residentContent } from './slack-thread-notes.js';
import type { SlackWebClient } from './slack-web-client.js';
import type { StaffAuthorizer } from './staff-authorizer.js';
import type { StaffText } from './staff-text.js';

/** The alert's つなぐシート button and its modal. */
export const HANDOVER_ACTION_ID = 'case_handover';
export const HANDOVER_VIEW_ID = 'case_handover_submit';

const INPUT = {
  window: { block: 'handover_window', action: 'handover_window' },
  consent: { block: 'handover_consent', action: 'handover_consent' },
  /** The reroute modal's offer to attach a sheet for the receiving window. */
  attach: { block: 'handover_attach', action: 'handover_attach' },
} as const;
const CONSENT = 'consent';
/** Ask the resident on LINE instead: their answer decides the sheet. */
const ASK = 'ask';
const ATTACH = 'attach';

/** Slack's markdown block takes 12,000 characters; the PDF has the whole sheet. */
const MARKDOWN_MAX = 11_500;

const plain = (text: string, max = 150): types.PlainTextElement => ({
  type: 'plain_text',
  text: text.slice(0, max),
  emoji: true,
});

/** Shown once someone has taken the case (until then the thread holds nothing personal either). */
export function handoverButton(record: CaseRecord, s: StaffText): types.Button[] {
  if (record.status === 'pending') return [];
  return [
    {
      type: 'button',
      action_id: HANDOVER_ACTION_ID,
      text: plain(s.t('handover.button')),
      value: record.id,
    },
  ];
}

function consentInput(record: CaseRecord, s: StaffText): types.KnownBlock {
  if (!canRecordConsent(record))
    return {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: escapeSlack(s.t('handover.modal.no-consent')) }],
    };
  return {
    type: 'input',
    block_id: INPUT.consent.block,
    optional: true,
    label: plain(s.t('handover.modal.consent')),
    hint: plain(s.t('handover.modal.consent-hint')),
    element: {
      type: 'checkboxes',
      action_id: INPUT.consent.action,
      options: [
        { text: plain(s.t('handover.modal.consent-option')), value: CONSENT },
        ...(residentAddress(record) ? [{ text: plain(s.t('handover.modal.ask-option')), value: ASK }] : []),
      ],
    },
  };
}

export function handoverModal(
  record: CaseRecord,
  config: MunicipalityConfig,
  context: ModalContext,
  s: StaffText,
): types.ModalView {
  const options = config.windows.slice(0, 100).map((w) => ({ text: plain(w.names.ja, 75), value: w.id }));
  const current = options.find((o) => o.value === record.windowId);
  return {
    type: 'modal',
    callback_id: HANDOVER_VIEW_ID,
    title: plain(s.t('handover.modal.title'), 24),
    submit: plain(s.t('handover.modal.submit')),
    close: plain(s.t('staff.modal.cancel')),
    private_metadata: JSON.stringify(context),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: s.t('staff.modal.case', {
            number: record.number,
            window: escapeSlack(s.windowName(record.windowId)),
          }),
        },
      },
      {
        type: 'input',
        block_id: INPUT.window.block,
        label: plain(s.t('handover.modal.window')),
        element: {
          type: 'static_select',
          action_id: INPUT.window.action,
          options,
          ...(current ? { initial_option: current } : {}),
        },
      },
      consentInput(record, s),
    ],
  };
}

/** The reroute modal's offer: attach a sheet for the receiving window (ticked unless staff untick it). */
export function attachSheetInput(record: CaseRecord, s: StaffText): types.KnownBlock[] {
  const attach = { text: plain(s.t('handover.modal.attach-option')), value: ATTACH };
  const consent = { text: plain(s.t('handover.modal.consent-option')), value: CONSENT };
  return [
    {
      type: 'input',
      block_id: INPUT.attach.block,
      optional: true,
      label: plain(s.t('handover.modal.attach')),
      element: {
        type: 'checkboxes',
        action_id: INPUT.attach.action,
        options: canRecordConsent(record) ? [attach, consent] : [attach],
        initial_options: [attach],
      },
    },
  ];
}

type ViewState = Record<
  string,
  Record<
    string,
    { selected_option?: { value?: string } | null; selected_options?: Array<{ value?: string }> | null }
  >
>;

const ticked = (values: ViewState, input: { block: string; action: string }, value: string) =>
  (values[input.block]?.[input.action]?.selected_options ?? []).some((o) => o.value === value);

export function submittedHandover(values: ViewState): {
  windowId: string | undefined;
  consent: boolean;
  /** Ask the resident rather than record consent (wins over the consent tick). */
  ask: boolean;
} {
  return {
    windowId: values[INPUT.window.block]?.[INPUT.window.action]?.selected_option?.value ?? undefined,
    consent: ticked(values, INPUT.consent, CONSENT),
    ask: ticked(values, INPUT.consent, ASK),
  };
}

/** What the reroute modal's offer says: attach a sheet, and whether the person consented. */
export function submittedAttach(values: ViewState): { attach: boolean; consent: boolean } {
  return { attach: ticked(values, INPUT.attach, ATTACH), consent: ticked(values, INPUT.attach, CONSENT) };
}

/**
 * The sheet in the thread, as Markdown. Marked as resident content, so erasure and retention delete
 * it (with the PDF the bot uploaded) like the other copies of what the resident said.
 */
export function renderHandoverMessage(sheet: HandoverSheet, staffId: string, s: StaffText): SlackMessage {
  const markdown = handoverMarkdown(sheet, escapeSlack);
  return residentContent({
    text: s.t('handover.thread.fallback', { number: sheet.number }),
    blocks: [
      contextLine(
        s.t('handover.thread.posted', {
          variant: s.t(`handover.variant.${sheet.variant}`),
          window: escapeSlack(sheet.targetWindow.name),
          staff: userMention(staffId),
        }),
      ),
      {
        type: 'markdown',
        text: markdown.length > MARKDOWN_MAX ? `${markdown.slice(0, MARKDOWN_MAX)}…` : markdown,
      },
    ],
  });
}

/** What staff are told after asking the resident, by outcome. */
const ASK_REPLY = {
  asked: 'handover.ephemeral.asked',
  'not-found': 'staff.ephemeral.not-found',
  'unknown-window': 'staff.ephemeral.not-found',
  'cannot-ask': 'handover.ephemeral.cannot-ask',
  'already-answered': 'handover.ephemeral.already-answered',
} as const;

export interface HandoverInteractionDeps {
  handover: Pick<HandoverDesk, 'request' | 'askConsent'>;
  cases: Pick<CaseRepository, 'get'>;
  config: MunicipalityConfig;
  authorizer: StaffAuthorizer;
  text: StaffText;
  logger: Logger;
  audit?: Parameters<typeof refuse>[0]['audit'];
}

type Button = BlockAction<ButtonAction>;

/** The button opens the modal; its submission asks the desk for a sheet, which arrives in the thread. */
export function registerHandoverInteractions(app: App, deps: HandoverInteractionDeps): void {
  const { config, authorizer, text: s } = deps;
  const log = deps.logger.child({ component: 'slack-handover' });

  async function authorised(client: SlackWebClient, spot: StaffSpot, caseId: string) {
    const record = await deps.cases.get(caseId);
    if (!record) {
      await tellStaff(client, spot, s.t('staff.ephemeral.not-found'), log);
      return undefined;
    }
    if (!(await authorizer.canAct(spot.user, record.windowId))) {
      await refuse({ client, text: s, logger: log, audit: deps.audit }, spot, record, 'handover-sheet');
      return undefined;
    }
    return record;
  }

  async function safely(client: SlackWebClient, spot: StaffSpot, work: () => Promise<void>) {
    try {
      await work();
    } catch (error) {
      log.error({ err: error }, 'handover sheet request failed');
      await tellStaff(client, spot, s.t('staff.ephemeral.error'), log);
    }
  }

  app.action<Button>(
    { type: 'block_actions', action_id: HANDOVER_ACTION_ID },
    async ({ ack, body, action, client }) => {
      await ack();
      const spot: StaffSpot = { user: body.user.id, channel: body.channel?.id };
      await safely(client, spot, async () => {
        const record = await authorised(client, spot, action.value ?? '');
        if (!record) return;
        const context: ModalContext = {
          caseId: record.id,
          channel: body.channel?.id,
          threadTs: body.message?.ts,
        };
        await client.views.open({
          trigger_id: body.trigger_id,
          view: handoverModal(record, config, context, s),
        });
      });
    },
  );

  app.view<ViewSubmitAction>(HANDOVER_VIEW_ID, async ({ ack, body, view, client }) => {
    await ack();
    const context = parseModalContext(view.private_metadata);
    const { windowId, consent, ask } = submittedHandover(view.state.values as ViewState);
    if (!context || !windowId) return;
    const spot: StaffSpot = { user: body.user.id, channel: context.channel };
    await safely(client, spot, async () => {
      const record = await authorised(client, spot, context.caseId);
      if (!record) return;
      const staff = await staffRefOf(client, spot.user, config, log);
      if (ask) {
        const asked = await deps.handover.askConsent(record.id, windowId, staff, view.id);
        log.info({ caseNumber: record.number, window: windowId, outcome: asked.kind }, 'consent question');
        await tellStaff(client, spot, s.t(ASK_REPLY[asked.kind]), log);
        return;
      }
      // The view id makes a submission delivered twice produce one sheet.
      const result = await deps.handover.request(record.id, windowId, staff, consent, view.id);
      if (result.kind !== 'requested') {
        await tellStaff(client, spot, s.t('staff.ephemeral.not-found'), log);
        return;
      }
      log.info(
        { caseNumber: record.number, window: windowId, consent: result.consent },
        'handover sheet requested',
      );
      await tellStaff(client, spot, s.t('handover.ephemeral.requested'), log);
    });
  });
}
