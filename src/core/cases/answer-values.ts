/**
 * Readers for intake answers. Answers are stored as `unknown` (flows define them), so whoever
 * shows or routes a case reads them through these, never trusting their shape.
 */

/** A non-blank string answer, or undefined. */
export function answerText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/** The strings of a list answer; anything else reads as an empty list. */
export function answerList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
}
