import type { types } from '@slack/bolt';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { CaseRecord } from '../../core/ports/store.js';
import { escapeSlack } from './slack-markup.js';
import type { StaffText } from './staff-text.js';

/** The callback ids of the case modals; slack-app.ts listens for their submissions. */
export const CASE_VIEW_IDS = {
  reroute: 'case_reroute_submit',
  close: 'case_close_submit',
  reply: 'case_reply_submit',
} as const;

/** The largest max_length Slack accepts on a plain_text_input (Block Kit reference). */
const SLACK_INPUT_MAX_LENGTH = 3000;

const INPUT = {
  window: { block: 'window', action: 'window' },
  note: { block: 'note', action: 'note' },
  reply: { block: 'reply', action: 'reply' },
} as const;

/** What a modal carries between opening and submitting: which case, and where its alert is. */
export interface ModalContext {
  caseId: string;
  channel?: string | undefined;
  threadTs?: string | undefined;
}

const plain = (text: string): types.PlainTextElement => ({
  type: 'plain_text',
  text: text.slice(0, 150),
  emoji: true,
});

function modal(
  callbackId: string,
  title: string,
  submit: string,
  context: ModalContext,
  blocks: types.KnownBlock[],
  s: StaffText,
): types.ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    // Title: at most 24 characters.
    title: { type: 'plain_text', text: title.slice(0, 24) },
    submit: plain(submit),
    close: plain(s.t('staff.modal.cancel')),
    private_metadata: JSON.stringify(context),
    blocks,
  };
}

export function rerouteModal(
  record: CaseRecord,
  config: MunicipalityConfig,
  context: ModalContext,
  s: StaffText,
): types.ModalView {
  const options = config.windows
    .filter((w) => w.id !== record.windowId)
    .slice(0, 100)
    .map((w) => ({ text: plain(w.names.ja.slice(0, 75)), value: w.id }));
  return modal(
    CASE_VIEW_IDS.reroute,
    s.t('staff.modal.reroute.title'),
    s.t('staff.modal.reroute.submit'),
    context,
    [
      { type: 'section', text: { type: 'mrkdwn', text: caseLine(record, s) } },
      {
        type: 'input',
        block_id: INPUT.window.block,
        label: plain(s.t('staff.modal.reroute.label')),
        element: {
          type: 'static_select',
          action_id: INPUT.window.action,
          options,
          placeholder: plain(s.t('staff.modal.reroute.placeholder')),
        },
      },
    ],
    s,
  );
}

export function closeModal(record: CaseRecord, context: ModalContext, s: StaffText): types.ModalView {
  return modal(
    CASE_VIEW_IDS.close,
    s.t('staff.modal.close.title'),
    s.t('staff.modal.close.submit'),
    context,
    [
      { type: 'section', text: { type: 'mrkdwn', text: caseLine(record, s) } },
      {
        type: 'input',
        block_id: INPUT.note.block,
        optional: true,
        label: plain(s.t('staff.modal.close.label')),
        hint: plain(s.t('staff.modal.close.hint')),
        element: {
          type: 'plain_text_input',
          action_id: INPUT.note.action,
          multiline: true,
          max_length: 2000,
        },
      },
    ],
    s,
  );
}

/**
 * The reply modal. `limit` is the longest reply the resident's channel takes (CaseActions.replyLimit);
 * Slack stops staff at it as they type, up to the most Slack allows on an input.
 */
export function replyModal(
  record: CaseRecord,
  context: ModalContext,
  s: StaffText,
  limit: number,
): types.ModalView {
  return modal(
    CASE_VIEW_IDS.reply,
    s.t('staff.modal.reply.title'),
    s.t('staff.modal.reply.submit'),
    context,
    [
      { type: 'section', text: { type: 'mrkdwn', text: caseLine(record, s) } },
      {
        type: 'input',
        block_id: INPUT.reply.block,
        label: plain(s.t('staff.modal.reply.label')),
        hint: plain(s.t('staff.modal.reply.hint')),
        element: {
          type: 'plain_text_input',
          action_id: INPUT.reply.action,
          multiline: true,
          min_length: 1,
          max_length: Math.min(limit, SLACK_INPUT_MAX_LENGTH),
        },
      },
    ],
    s,
  );
}

function caseLine(record: CaseRecord, s: StaffText): string {
  return s.t('staff.modal.case', {
    number: record.number,
    window: escapeSlack(s.windowName(record.windowId)),
  });
}

/** The submitted values the case modals ask for (state.values of a view_submission). */
type ViewState = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
>;

export function submittedWindow(values: ViewState): string | undefined {
  return values[INPUT.window.block]?.[INPUT.window.action]?.selected_option?.value ?? undefined;
}

export function submittedNote(values: ViewState): string | undefined {
  return values[INPUT.note.block]?.[INPUT.note.action]?.value?.trim() || undefined;
}

/** A view_submission answer that keeps the reply modal open with `message` under the reply input. */
export function replyInputError(message: string): {
  response_action: 'errors';
  errors: Record<string, string>;
} {
  return { response_action: 'errors', errors: { [INPUT.reply.block]: message } };
}

export function submittedReply(values: ViewState): string | undefined {
  return values[INPUT.reply.block]?.[INPUT.reply.action]?.value?.trim() || undefined;
}

export function parseModalContext(metadata: string | undefined): ModalContext | undefined {
  try {
    const parsed = JSON.parse(metadata ?? '') as Partial<ModalContext>;
    if (typeof parsed.caseId !== 'string') return undefined;
    return {
      caseId: parsed.caseId,
      channel: typeof parsed.channel === 'string' ? parsed.channel : undefined,
      threadTs: typeof parsed.threadTs === 'string' ? parsed.threadTs : undefined,
    };
  } catch {
    return undefined;
  }
}
