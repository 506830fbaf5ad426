import type { types } from '@slack/bolt';
import { answerList, answerText } from '../../core/cases/answer-values.js';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import { isOpen } from '../../core/municipality/opening-hours.js';
import type { CaseRecord } from '../../core/store.js';
import { contextLine, escapeSlack, groupMention, mrkdwnSection, userMention } from './slack-markup.js';
import type { StaffText } from './staff-text.js';

/** The Block Kit action ids the alert's buttons carry; slack-app.ts listens for them. */
export const CASE_ACTION_IDS = {
  accept: 'case_accept',
  reroute: 'case_reroute',
  reply: 'case_reply',
  close: 'case_close',
} as const;

export interface SlackMessage {
  /** The notification and fallback text: never any resident text. */
  text: string;
  blocks: types.KnownBlock[];
}

/**
 * The case's alert in its window's channel. Minimal personal data by construction: it reads only
 * structured fields (ids of choices, flags, times) and never the resident key, a name, a phone
 * number, a place, or anything the resident wrote. Those appear in the thread after accept.
 */
export function renderAlert(
  record: CaseRecord,
  options: { text: StaffText; config: MunicipalityConfig; now: Date; mentionOnCall: boolean },
): SlackMessage {
  const { text: s, config } = options;
  const t = s.t;
  const window = escapeSlack(s.windowName(record.windowId));
  const closed = record.status === 'closed';
  const titleKey = closed
    ? 'staff.alert.title-closed'
    : record.urgent
      ? 'staff.alert.title-urgent'
      : 'staff.alert.title';
  const mention =
    options.mentionOnCall && record.urgent && !closed ? groupMention(config.escalation.onCallUserGroup) : '';

  const blocks: types.KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: t(titleKey, { number: record.number }), emoji: true },
    },
  ];
  if (mention) blocks.push(mrkdwnSection(t('staff.alert.on-call', { mention })));
  blocks.push({
    type: 'section',
    fields: [
      field(t('staff.alert.window'), window),
      field(...subjectField(record, s)),
      field(t('staff.alert.urgency'), urgency(record, s)),
      field(t('staff.alert.origin'), s.label('staff.origin', record.origin)),
      field(t('staff.alert.contact'), contact(record, s)),
      field(t('staff.alert.language'), escapeSlack(s.label('language.name', record.language))),
      field(t('staff.alert.received'), s.dateTime(record.createdAt)),
      field(t('staff.alert.hours'), hours(record, options)),
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

function subjectField(record: CaseRecord, s: StaffText): [string, string] {
  const observations = answerList(record.answers.observations);
  const patterns = record.patterns.map((p) => s.label('staff.pattern', p));
  const main =
    record.origin === 'neighbour' && observations.length > 0
      ? s.list(observations.map((o) => s.label('observation', o)))
      : s.list((record.fields.length > 0 ? record.fields : ['unknown']).map((f) => s.label('field', f)));
  const withPatterns =
    patterns.length > 0 ? `${main}\n${s.t('staff.alert.patterns', { patterns: s.list(patterns) })}` : main;
  const label =
    record.origin === 'neighbour' && observations.length > 0
      ? 'staff.alert.observations'
      : 'staff.alert.fields';
  return [s.t(label), escapeSlack(withPatterns)];
}

function urgency(record: CaseRecord, s: StaffText): string {
  const chosen = answerText(record.answers.urgency);
  const parts = chosen ? [s.label('intake.urgency', chosen)] : [];
  const concern = answerText(record.answers.concern);
  if (concern) parts.unshift(s.label('staff.alert.concern', concern));
  if (record.urgent) {
    const crisis = answerList(record.answers.crisis).map((c) => s.label('staff.crisis', c));
    parts.unshift(
      crisis.length > 0
        ? s.t('staff.alert.crisis-with', { categories: s.list(crisis) })
        : s.t('staff.alert.crisis'),
    );
  }
  return escapeSlack(parts.join('\n') || s.t('staff.alert.urgency-unknown'));
}

/** Whether staff can answer and whether the person is anonymous: never the means' details (the number). */
function contact(record: CaseRecord, s: StaffText): string {
  const identity = record.anonymous ? s.t('staff.contact.anonymous') : s.t('staff.contact.identified');
  const means =
    record.origin === 'neighbour'
      ? answerText(record.answers.contactable) === 'yes'
        ? s.t('staff.contact.reporter-contactable')
        : s.t('staff.contact.reporter-not-contactable')
      : answerText(record.answers.contact)
        ? s.label('staff.contact.means', answerText(record.answers.contact) as string)
        : '';
  return escapeSlack(means ? `${identity}\n${means}` : identity);
}

function hours(
  record: CaseRecord,
  options: { text: StaffText; config: MunicipalityConfig; now: Date },
): string {
  const { text: s, config, now } = options;
  const window = config.windows.find((w) => w.id === record.windowId);
  if (!window) return '—';
  const arrived = isOpen(window, record.createdAt, config.timezone)
    ? s.t('staff.hours.arrived-open')
    : s.t('staff.hours.arrived-after-hours');
  const next = s.nextOpening(record.windowId, now);
  const current = isOpen(window, now, config.timezone)
    ? s.t('staff.hours.open-now')
    : next
      ? s.t('staff.hours.closed-now-until', { next })
      : s.t('staff.hours.closed-now');
  return escapeSlack(`${arrived}\n${current}`);
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
  list.push(button(CASE_ACTION_IDS.close, 'staff.button.close', 'danger'));
  return list;
}
