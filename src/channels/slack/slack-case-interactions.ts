import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { CaseActions } from '../../core/cases/case-actions.js';
import type { HandoverDesk } from '../../core/cases/handover-desk.js';
import type { CaseRecord } from '../../core/ports/store.js';
import { CASE_ACTION_IDS } from './slack-alert.js';
import { attachSheetInput, submittedAttach } from './slack-handover.js';
import { contextLine, plainTextSections, userMention } from './slack-markup.js';
import {
  CASE_VIEW_IDS,
  closeModal,
  type ModalContext,
  parseModalContext,
  replyInputError,
  replyModal,
  rerouteModal,
  submittedNote,
  submittedReply,
  submittedWindow,
} from './slack-modals.js';
import { refuse, replyRefusal, type StaffSpot, staffRefOf, tellStaff } from './slack-staff-feedback.js';
import type { SlackWebClient } from './slack-web-client.js';
import type { StaffInteractionDeps } from './staff-interaction-deps.js';

export interface CaseInteractionDeps extends StaffInteractionDeps {
  actions: CaseActions;
  /** つなぐシート: the reroute modal offers one for the receiving window. */
  handover?: Pick<HandoverDesk, 'request' | 'askConsent'> | undefined;
}

type Button = BlockAction<ButtonAction>;

/**
 * The alert's buttons and the modals behind them. Each acks at once (Slack wants an answer within
 * 3 s), then checks who is asking, then hands the decision to CaseActions and tells the person the
 * outcome when it is not visible on the alert itself.
 */
export function registerCaseInteractions(app: App, deps: CaseInteractionDeps): void {
  const { actions, authorizer, config, text: s } = deps;
  const log = deps.logger.child({ component: 'slack-interactions' });

  /** Runs the work after the ack; a failure is logged and the person is told to try again. */
  async function safely(client: SlackWebClient, spot: StaffSpot, action: string, work: () => Promise<void>) {
    try {
      await work();
    } catch (error) {
      log.error({ err: error, action }, 'staff action failed');
      await tellStaff(client, spot, s.t('staff.ephemeral.error'), log);
    }
  }

  /** Reads the case and checks the person may act on it; answers them itself when not. */
  async function authorised(
    client: SlackWebClient,
    spot: StaffSpot,
    caseId: string,
    action: string,
    allowSupervisor = false,
  ): Promise<CaseRecord | undefined> {
    const record = await deps.cases.get(caseId);
    if (!record) {
      await tellStaff(client, spot, s.t('staff.ephemeral.not-found'), log);
      return undefined;
    }
    const allowed =
      (await authorizer.canAct(spot.user, record.windowId)) ||
      (allowSupervisor && (await authorizer.isSupervisor(spot.user)));
    if (!allowed) {
      await refuse({ client, text: s, logger: log, audit: deps.audit }, spot, record, action);
      return undefined;
    }
    return record;
  }

  const withSheetOffer = (view: ReturnType<typeof rerouteModal>, record: CaseRecord) =>
    deps.handover ? { ...view, blocks: [...view.blocks, ...attachSheetInput(record, s)] } : view;

  const buttonSpot = (body: Button): StaffSpot => ({ user: body.user.id, channel: body.channel?.id });
  const modalContext = (body: Button, caseId: string): ModalContext => ({
    caseId,
    channel: body.channel?.id,
    threadTs: body.message?.ts,
  });

  app.action<Button>(
    { type: 'block_actions', action_id: CASE_ACTION_IDS.accept },
    async ({ ack, body, action, client }) => {
      await ack();
      const spot = buttonSpot(body);
      await safely(client, spot, 'accept', async () => {
        const record = await authorised(client, spot, action.value ?? '', 'accept');
        if (!record) return;
        const result = await actions.accept(record.id, await staffRefOf(client, spot.user, config, log));
        if (result.kind === 'accepted') {
          log.info({ caseNumber: result.record.number }, 'case accepted');
          return;
        }
        const message =
          result.kind === 'taken'
            ? s.t('staff.ephemeral.taken', { staff: userMention(result.record.assignee ?? '') })
            : s.t(`staff.ephemeral.${result.kind}`);
        await tellStaff(client, spot, message, log);
      });
    },
  );

  /** The three buttons that open a modal: reroute, close, reply. */
  const modals = [
    { actionId: CASE_ACTION_IDS.reroute, action: 'reroute', supervisor: false },
    { actionId: CASE_ACTION_IDS.close, action: 'close', supervisor: true },
    { actionId: CASE_ACTION_IDS.reply, action: 'reply', supervisor: false },
  ] as const;
  for (const { actionId, action: name, supervisor } of modals) {
    app.action<Button>(
      { type: 'block_actions', action_id: actionId },
      async ({ ack, body, action, client }) => {
        await ack();
        const spot = buttonSpot(body);
        await safely(client, spot, name, async () => {
          const record = await authorised(client, spot, action.value ?? '', name, supervisor);
          if (!record) return;
          const context = modalContext(body, record.id);
          const view =
            name === 'reroute'
              ? withSheetOffer(rerouteModal(record, config, context, s), record)
              : name === 'close'
                ? closeModal(record, context, s)
                : replyModal(record, context, s, actions.replyLimit);
          await client.views.open({ trigger_id: body.trigger_id, view });
        });
      },
    );
  }

  app.view<ViewSubmitAction>(CASE_VIEW_IDS.reroute, async ({ ack, body, view, client }) => {
    await ack();
    const context = parseModalContext(view.private_metadata);
    const windowId = submittedWindow(view.state.values);
    if (!context || !windowId) return;
    const spot: StaffSpot = { user: body.user.id, channel: context.channel };
    await safely(client, spot, 'reroute', async () => {
      const record = await authorised(client, spot, context.caseId, 'reroute');
      if (!record) return;
      const staff = await staffRefOf(client, spot.user, config, log);
      const result = await actions.reroute(record.id, windowId, staff);
      if (result.kind === 'rerouted') {
        log.info({ caseNumber: result.record.number, to: windowId }, 'case rerouted');
        const offer = submittedAttach(view.state.values);
        // Queued behind the reroute's notices: the sheet lands in the receiving window's new thread.
        if (deps.handover && offer.attach)
          await deps.handover.request(record.id, windowId, staff, offer.consent, `${view.id}:reroute`);
      } else await tellStaff(client, spot, s.t(`staff.ephemeral.reroute.${result.kind}`), log);
    });
  });

  app.view<ViewSubmitAction>(CASE_VIEW_IDS.close, async ({ ack, body, view, client }) => {
    await ack();
    const context = parseModalContext(view.private_metadata);
    if (!context) return;
    const note = submittedNote(view.state.values);
    const spot: StaffSpot = { user: body.user.id, channel: context.channel };
    await safely(client, spot, 'close', async () => {
      const record = await authorised(client, spot, context.caseId, 'close', true);
      if (!record) return;
      const asSupervisor = await authorizer.isSupervisor(spot.user);
      const staff = await staffRefOf(client, spot.user, config, log);
      const result = await actions.close(record.id, staff, { note, asSupervisor });
      if (result.kind === 'closed') {
        log.info({ caseNumber: result.record.number }, 'case closed');
        return;
      }
      const message =
        result.kind === 'not-owner'
          ? s.t('staff.ephemeral.not-owner', { staff: userMention(result.assignee ?? '') })
          : s.t(result.kind === 'already-closed' ? 'staff.ephemeral.closed' : 'staff.ephemeral.not-found');
      await tellStaff(client, spot, message, log);
    });
  });

  app.view<ViewSubmitAction>(CASE_VIEW_IDS.reply, async ({ ack, body, view, client }) => {
    const reply = submittedReply(view.state.values);
    // Slack's max_length counts characters its own way (and stops at 3,000): the limit is checked here
    // too, and an over-long reply keeps the modal open with the text, saying how long it may be.
    if (reply && reply.length > actions.replyLimit) {
      await ack(replyInputError(replyRefusal(s, { kind: 'too-long', limit: actions.replyLimit })));
      return;
    }
    await ack();
    const context = parseModalContext(view.private_metadata);
    if (!context || !reply) return;
    const spot: StaffSpot = { user: body.user.id, channel: context.channel, threadTs: context.threadTs };
    await safely(client, spot, 'reply', async () => {
      const record = await authorised(client, spot, context.caseId, 'reply');
      if (!record) return;
      // The view id is the reply's id: a submission delivered twice reaches the resident once.
      const staff = await staffRefOf(client, spot.user, config, log);
      const result = await actions.reply(record.id, staff, reply, view.id);
      if (result.kind !== 'queued') {
        await tellStaff(client, spot, replyRefusal(s, result), log);
        return;
      }
      await showSentReply(client, record, spot.user, reply);
    });
  });

  /** Staff read in the thread what was sent; the delivery mark follows from the outbox. Best effort. */
  async function showSentReply(client: SlackWebClient, record: CaseRecord, user: string, reply: string) {
    const thread = record.staffThread;
    if (!thread) return;
    try {
      await client.chat.postMessage({
        channel: thread.channel,
        thread_ts: thread.ts,
        text: s.t('staff.thread.replied-fallback', { number: record.number }),
        blocks: [
          contextLine(s.t('staff.thread.replied', { staff: userMention(user) })),
          ...plainTextSections(reply),
        ],
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (error) {
      const code = (error as { data?: { error?: unknown } }).data?.error;
      log.warn(
        { error: typeof code === 'string' ? code : String(error) },
        'the sent reply could not be shown in the thread',
      );
    }
  }
}
