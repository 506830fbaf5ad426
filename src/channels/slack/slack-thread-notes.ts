import type { types } from '@slack/bolt';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { IncomingContent, MediaKind } from '../../core/ports/incoming-event.js';
import type { ThreadNote } from '../../core/ports/staff-notice.js';
import type { CaseRecord } from '../../core/ports/store.js';
import {
  contextLine,
  escapeSlack,
  groupMention,
  mrkdwnSection,
  plainTextSections,
  userMention,
} from './slack-markup.js';
import type { SlackMessage } from './slack-message.js';
import type { StaffText } from './staff-text.js';

type Location = Extract<IncomingContent, { type: 'location' }>;

/** The first line of every thread note's fallback text: the case number, nothing the resident wrote. */
function fallback(
  s: StaffText,
  record: CaseRecord,
  key: string,
  values: Record<string, string | number> = {},
) {
  return escapeSlack(s.t(key, { number: record.number, ...values }));
}

/**
 * After accept: the intake summary, the resident's own words, the place and the phone number if
 * given. This is the only message that carries them; free text goes in plain_text sections only.
 */
export function renderIntake(record: CaseRecord, s: StaffText, now: Date): SlackMessage {
  const t = s.t;
  const { intake } = s.summary(record, now);
  const lines = intake.lines.map(
    (line) => `*${line.label}*: ${escapeSlack(line.value.replace(/\n/g, ' / '))}`,
  );
  const blocks: types.KnownBlock[] = [mrkdwnSection(`*${t('staff.intake.heading')}*`)];
  if (lines.length > 0) blocks.push(mrkdwnSection(lines.join('\n')));
  const personal = intake.personal;
  const freeText = (label: string, value: string | undefined) => {
    if (!value) return;
    blocks.push(contextLine(`*${label}*`), ...plainTextSections(value));
  };
  freeText(t('staff.intake.own-words'), personal?.ownWords);
  for (const line of personal?.lines ?? []) {
    freeText(line.label, line.value);
    const mapLink = line.key === 'staff.intake.phone' ? undefined : mapLinkIn(line.value, s);
    if (mapLink) blocks.push(contextLine(mapLink));
  }
  if (!personal?.ownWords) blocks.push(contextLine(t('staff.intake.no-own-words')));
  if (record.erasedAt) blocks.push(contextLine(t('staff.alert.erased')));
  const attachments = personal?.attachments ?? 0;
  if (attachments > 0) blocks.push(contextLine(t('staff.intake.attachments', { count: attachments })));
  return residentContent({ text: fallback(s, record, 'staff.intake.fallback'), blocks });
}

/**
 * Marks a message that carries what the resident wrote (their words, place, phone), so that it can
 * be found and deleted from the thread when they erase their data. The mark is a block id, which
 * conversations.replies returns without any extra scope.
 */
export const RESIDENT_CONTENT_BLOCK = 'madoguchi-resident-content';

export function residentContent(message: SlackMessage): SlackMessage {
  const [first, ...rest] = message.blocks ?? [];
  return first ? { ...message, blocks: [{ ...first, block_id: RESIDENT_CONTENT_BLOCK }, ...rest] } : message;
}

export function renderResidentText(record: CaseRecord, text: string, s: StaffText): SlackMessage {
  return residentContent({
    text: fallback(s, record, 'staff.resident.fallback'),
    blocks: [contextLine(s.t('staff.resident.heading')), ...plainTextSections(text)],
  });
}

export function renderResidentSticker(record: CaseRecord, s: StaffText): SlackMessage {
  return {
    text: fallback(s, record, 'staff.resident.fallback'),
    blocks: [contextLine(s.t('staff.resident.sticker'))],
  };
}

/** A file from the resident that could not be brought into Slack: said, not shown. */
export function renderMediaDescription(record: CaseRecord, media: MediaKind, s: StaffText): SlackMessage {
  const kind = s.label('staff.media', media);
  return {
    text: fallback(s, record, 'staff.resident.fallback'),
    blocks: [contextLine(s.t('staff.resident.media-not-uploaded', { kind }))],
  };
}

export function mediaUploadComment(media: MediaKind, s: StaffText): string {
  return s.t('staff.resident.media-uploaded', { kind: s.label('staff.media', media) });
}

export function renderResidentLocation(record: CaseRecord, location: Location, s: StaffText): SlackMessage {
  const place = [location.title, location.address].filter(Boolean).join(' ');
  const blocks: types.KnownBlock[] = [contextLine(s.t('staff.resident.location'))];
  if (place) blocks.push(...plainTextSections(place));
  const link = mapLink(location.latitude, location.longitude, s);
  if (link) blocks.push(mrkdwnSection(link));
  return residentContent({ text: fallback(s, record, 'staff.resident.fallback'), blocks });
}

/** An OpenStreetMap link for coordinates, or undefined for numbers that are not a place on Earth. */
function mapLink(latitude: number, longitude: number, s: StaffText): string | undefined {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  const url = `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
  return `<${escapeSlack(url)}|${escapeSlack(s.t('staff.map-link', { lat, lon }))}>`;
}

/** A shared location the intake stored as text ends with "(lat, lon)": link it too. */
function mapLinkIn(text: string | undefined, s: StaffText): string | undefined {
  const match = text?.match(/\((-?\d{1,3}\.\d+), (-?\d{1,3}\.\d+)\)\s*$/);
  return match ? mapLink(Number(match[1]), Number(match[2]), s) : undefined;
}

/** The simple notes: one message in the thread, no look-ups. */
export function renderSimpleNote(
  record: CaseRecord,
  note: Exclude<
    ThreadNote,
    { type: 'intake' | 'resident-message' | 'escalation' | 'handover-sheet' | 'watch' }
  >,
  s: StaffText,
  config: MunicipalityConfig,
): SlackMessage {
  const t = s.t;
  switch (note.type) {
    case 'crisis': {
      const mention = groupMention(config.escalation.onCallUserGroup);
      const line = t('staff.thread.crisis', { mention });
      return {
        text: `${mention ? `${mention} ` : ''}${fallback(s, record, 'staff.thread.crisis-fallback')}`,
        blocks: [mrkdwnSection(line)],
      };
    }
    case 'delivery': {
      const line = note.delivered ? t('staff.thread.delivered') : t('staff.thread.not-delivered');
      const blocks: types.KnownBlock[] = [contextLine(line)];
      if (!note.delivered && note.error) blocks.push(contextLine(escapeSlack(note.error.slice(0, 500))));
      return {
        text: fallback(
          s,
          record,
          note.delivered ? 'staff.thread.delivered-fallback' : 'staff.thread.not-delivered-fallback',
        ),
        blocks,
      };
    }
    case 'accepted':
      return {
        text: fallback(s, record, 'staff.thread.accepted-fallback'),
        blocks: [
          contextLine(
            t('staff.thread.accepted', {
              staff: userMention(note.staffId),
              time: s.time(record.acceptedAt ?? record.updatedAt),
            }),
          ),
        ],
      };
    case 'rerouted':
      return {
        text: fallback(s, record, 'staff.thread.rerouted-fallback'),
        blocks: [
          contextLine(
            t('staff.thread.rerouted', {
              staff: userMention(note.staffId),
              from: escapeSlack(s.windowName(note.fromWindowId)),
              to: escapeSlack(s.windowName(note.toWindowId)),
            }),
          ),
        ],
      };
    case 'closed': {
      const blocks: types.KnownBlock[] = [
        contextLine(t('staff.thread.closed', { staff: userMention(note.staffId) })),
      ];
      if (note.note)
        blocks.push(contextLine(`*${t('staff.thread.closed-note')}*`), ...plainTextSections(note.note));
      return { text: fallback(s, record, 'staff.thread.closed-fallback'), blocks };
    }
    case 'reopened':
      return {
        text: fallback(s, record, 'staff.thread.reopened-fallback'),
        blocks: [mrkdwnSection(t('staff.thread.reopened'))],
      };
    case 'consent-asked':
      return {
        text: fallback(s, record, 'handover.thread.consent-asked-fallback'),
        blocks: [
          contextLine(
            t('handover.thread.consent-asked', {
              staff: userMention(note.staffId),
              window: escapeSlack(s.windowName(note.windowId)),
            }),
          ),
        ],
      };
    case 'satisfaction':
      return {
        text: fallback(s, record, 'staff.thread.satisfaction-fallback'),
        blocks: [contextLine(t('staff.thread.satisfaction', { score: note.score }))],
      };
    case 'erased':
      return {
        text: fallback(s, record, 'staff.thread.erased-fallback'),
        blocks: [
          contextLine(t(note.reason === 'retention' ? 'staff.thread.expired' : 'staff.thread.erased')),
        ],
      };
  }
}

export function renderEscalation(
  record: CaseRecord,
  waitingMinutes: number,
  s: StaffText,
  config: MunicipalityConfig,
): SlackMessage {
  const mention = groupMention(config.escalation.onCallUserGroup);
  return {
    text: `${mention ? `${mention} ` : ''}${fallback(s, record, 'staff.thread.escalation-fallback', { minutes: waitingMinutes })}`,
    blocks: [mrkdwnSection(s.t('staff.thread.escalation', { mention, minutes: waitingMinutes }))],
  };
}

/** Level 2, in the supervisor channel: the case number, window, wait and a link to the thread. */
export function renderSupervisorEscalation(
  record: CaseRecord,
  waitingMinutes: number,
  permalink: string | undefined,
  s: StaffText,
  config: MunicipalityConfig,
): SlackMessage {
  const mention = groupMention(config.escalation.onCallUserGroup);
  const values = {
    number: record.number,
    window: escapeSlack(s.windowName(record.windowId)),
    minutes: waitingMinutes,
    mention,
  };
  const blocks: types.KnownBlock[] = [mrkdwnSection(s.t('staff.supervisor.escalation', values))];
  if (permalink)
    blocks.push(
      mrkdwnSection(`<${escapeSlack(permalink)}|${escapeSlack(s.t('staff.supervisor.open-thread'))}>`),
    );
  return {
    text: `${mention ? `${mention} ` : ''}${escapeSlack(s.t('staff.supervisor.fallback', { number: record.number, minutes: waitingMinutes }))}`,
    blocks,
  };
}

export function renderSupervisorTold(record: CaseRecord, s: StaffText): SlackMessage {
  return {
    text: fallback(s, record, 'staff.thread.supervisor-told-fallback'),
    blocks: [contextLine(s.t('staff.thread.supervisor-told'))],
  };
}
