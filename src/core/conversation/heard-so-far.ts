import type { SessionState } from './session-state.js';

/**
 * What the engine keeps for staff beside the flow's answers (SessionState.heard): the resident's
 * words written outside a question, files they sent, household patterns recognised.
 */
export function rememberWords(state: SessionState, text: string): void {
  const previous = state.heard.words;
  state.heard.words = previous ? `${previous}\n${text}` : text;
}

export function rememberAttachment(state: SessionState, contentId: string, media: string): void {
  state.heard.attachments = [...(state.heard.attachments ?? []), `${media}:${contentId}`];
}

export function rememberPatterns(state: SessionState, patterns: readonly string[]): void {
  if (patterns.length === 0) return;
  state.heard.patterns = [...new Set([...(state.heard.patterns ?? []), ...patterns])];
}
