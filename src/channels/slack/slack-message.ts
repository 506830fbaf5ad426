import type { types } from '@slack/bolt';

/** One message for the Slack Web API: what every renderer (alert, thread notes, 見守り, sheets) returns. */
export interface SlackMessage {
  /** The notification and fallback text: never any resident text. */
  text: string;
  blocks: types.KnownBlock[];
}
