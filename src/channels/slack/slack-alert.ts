import type { types } from '@slack/bolt';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { CaseRecord } from '../../core/ports/store.js';
import { handoverButton } from './slack-handover.js';
import { contextLine, escapeSlack, groupMention, mrkdwnSection, userMention } from './slack-markup.js';
import type { SlackMessage } from './slack-message.js';
import { watchButton } from './slack-watch.js';
import type { StaffText } from './staff-text.js';

/** The Block Kit action ids the alert's buttons carry; slack-app.ts listens for them. */
export const CASE_ACTION_IDS = {
  accept: 'case_accept',
  reroute: 'case_reroute',
  reply: 'case_reply',
  close: 'case_close',
} as const;

/**
 * The case's alert in its window's channel: the case summary's alert lines (core/cases/
 * case-summary.ts), which never hold the resident key, a name, a phone number, a place, or anything
 * the resident wrote. Those appear in the thread after accept.
 */
export function renderAlert(
  record: CaseRecord,
  options: { text: StaffText; config: MunicipalityConfig; now: Date; mentionOnCall: boolean },
): SlackMessage {
  const { text: s, config } = options;
  const t = s.t;
  const closed = record.status === 'closed';
  const titleKey = closed
    ? 'staff.alert.title-closed'
    : record.urgent
      ? 'staff.alert.title-urgent'
      : 'staff.alert.title';
  const mention =
    options.mentionOnCall && record.urgent && !closed ? groupMention(config.escalation.onCallUserGroup) : '';

  const summary = s.summary(record, options.now);
  const blocks: types.KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: t(titleKey, { number: record.number }), emoji: true },
    },
  ];
  if (mention) blocks.push(mrkdwnSection(t('staff.alert.on-call', { mention })));
  const received = field(t('staff.alert.received'), s.dateTime(record.createdAt));
  blocks.push({
    type: 'section',
    fields: [
      ...summary.alert.flatMap((line) => [
        ...(line.key === 'staff.alert.hours' ? [received] : []),
        field(line.label, escapeSlack(line.value)),
      ]),
      field(t('staff.alert.status'), status(record, s)),
    ],
  });
  const notes = [
    record.rerouteCount > 0 ? t('staff.alert.rerouted-count', { count: record.rerouteCount }) : '',
    record.reopenCount > 0 ? t('staff.alert.reopened-count', { count: record.reopenCount }) : '',
    record.erasedAt ? t('staff.alert.erased') : '',
  ].filter(Boolean);
  if (notes.length > 0) blocks.push(contextLine(notes.join('　')));
  if (!closed) {
    blocks.push(contextLine(t('staff.alert.privacy-note')));
    blocks.push({ type: 'actions', block_id: 'case_actions', elements: buttons(record, s) });
  } else if (!record.erasedAt) {
    // 見守り is offered on close: the case stays in reach after the first contact.
    blocks.push({ type: 'actions', block_id: 'case_actions', elements: [watchButton(record, s)] });
  }

  const fallbackKey = closed
    ? 'staff.alert.fallback-closed'
    : record.urgent
      ? 'staff.alert.fallback-urgent'
      : 'staff.alert.fallback';
  const fallback = t(fallbackKey, { number: record.number, window: s.windowName(record.windowId) });
  return { text: mention ? `${mention} ${escapeSlack(fallback)}` : escapeSlack(fallback), blocks };
}

/** What the old alert says once the case moved to another window's channel. */
export function renderMovedAlert(record: CaseRecord, text: StaffText): SlackMessage {
  const window = text.windowName(record.windowId);
  return {
    text: escapeSlack(text.t('staff.alert.fallback-moved', { number: record.number, window })),
    blocks: [
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: text.t('staff.alert.title-moved', { number: record.number }),
          emoji: true,
        },
      },
      mrkdwnSection(text.t('staff.alert.moved', { window: escapeSlack(window) })),
    ],
  };
}

function field(label: string, value: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text: `*${label}*\n${value || '—'}` };
}

function status(record: CaseRecord, s: StaffText): string {
  switch (record.status) {
    case 'pending':
      return s.t('staff.status.pending');
    case 'assigned':
      return s.t('staff.status.assigned', {
        staff: record.assignee ? userMention(record.assignee) : '—',
        time: record.acceptedAt ? s.time(record.acceptedAt) : '',
      });
    case 'closed':
      return s.t('staff.status.closed', { time: record.closedAt ? s.dateTime(record.closedAt) : '' });
  }
}

function buttons(record: CaseRecord, s: StaffText): types.Button[] {
  const button = (actionId: string, label: string, style?: 'primary' | 'danger'): types.Button => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: s.t(label), emoji: true },
    value: record.id,
    ...(style ? { style } : {}),
  });
  const list: types.Button[] = [];
  if (record.status === 'pending')
    list.push(button(CASE_ACTION_IDS.accept, 'staff.button.accept', 'primary'));
  list.push(button(CASE_ACTION_IDS.reroute, 'staff.button.reroute'));
  if (record.status === 'assigned') list.push(button(CASE_ACTION_IDS.reply, 'staff.button.reply', 'primary'));
  list.push(...handoverButton(record, s));
  list.push(button(CASE_ACTION_IDS.close, 'staff.button.close', 'danger'));
  if (!record.erasedAt) list.push(watchButton(record, s));
  return list;
}
