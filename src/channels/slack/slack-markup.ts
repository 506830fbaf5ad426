import type { types } from '@slack/bolt';

/** Section text objects take at most 3,000 characters. */
const SECTION_TEXT_LIMIT = 3000;

/** Slack's three control characters; everything else is shown as it is. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text someone outside staff wrote (a resident), as sections of plain_text: never parsed for
 * mentions, links or formatting, and escaped on top of that. Long text is split on code points so
 * an entity or a surrogate pair is never cut.
 */
export function plainTextSections(text: string): types.SectionBlock[] {
  const chunks: string[] = [];
  let current = '';
  for (const char of text) {
    const piece = escapeSlack(char);
    if (current.length + piece.length > SECTION_TEXT_LIMIT) {
      chunks.push(current);
      current = '';
    }
    current += piece;
  }
  if (current || chunks.length === 0) chunks.push(current || ' ');
  return chunks.map((chunk) => ({
    type: 'section',
    text: { type: 'plain_text', text: chunk, emoji: false },
  }));
}

/** A mrkdwn section for text staff-facing code wrote (labels, mentions it chose). */
export function mrkdwnSection(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: text.slice(0, SECTION_TEXT_LIMIT) } };
}

export function contextLine(text: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: text.slice(0, SECTION_TEXT_LIMIT) }] };
}

/** A user mention for a Slack user id; anything that is not an id is shown escaped, never parsed. */
export function userMention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeSlack(userId);
}

/** A user group mention (config ids are checked by the schema: S followed by capitals and digits). */
export function groupMention(groupId: string | undefined): string {
  return groupId && /^S[A-Z0-9]+$/.test(groupId) ? `<!subteam^${groupId}>` : '';
}

/**
 * What staff typed in Slack, as plain text for the resident: Slack sends message text with its own
 * markup (`<@U1>`, `<https://x|label>`, `&lt;`), which means nothing on LINE.
 */
export function slackToPlainText(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, (_m, url: string, label: string) =>
      label === url.replace(/^mailto:/, '') ? label : `${label} (${url.replace(/^mailto:/, '')})`,
    )
    .replace(/<((?:https?|mailto):[^>]+)>/g, (_m, url: string) => url.replace(/^mailto:/, ''))
    .replace(/<#[CG][A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<#[CG][A-Z0-9]+>/g, '#')
    .replace(/<@[UW][A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name: string | undefined) => (name ? `@${name}` : '@'))
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name: string | undefined) => name ?? '@')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
