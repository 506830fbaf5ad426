import { z } from 'zod';
import { CONCERN_ANSWERS } from '../cases/intake.js';
import { CRISIS_CATEGORIES } from '../vocabulary.js';

/**
 * What the engine keeps between messages, parsed with zod on every read: stored state is input like
 * any other. `schema` versions this shape; each flow position carries the version of the flow it
 * was made with, so a session from an older flow restarts politely instead of landing on a step
 * that no longer exists.
 */
export const SESSION_SCHEMA_VERSION = 1;

const answerValue = z.union([z.string(), z.boolean(), z.array(z.string())]);

export const flowPositionSchema = z.object({
  flowId: z.string(),
  flowVersion: z.number().int(),
  stepId: z.string(),
});
export type FlowPosition = z.infer<typeof flowPositionSchema>;

export const sessionStateSchema = z.object({
  schema: z.literal(SESSION_SCHEMA_VERSION),
  language: z.string(),
  /** Where the language came from: the resident's own choice wins over the LINE profile. */
  languageSource: z.enum(['default', 'profile', 'detected', 'chosen']),
  position: flowPositionSchema.optional(),
  /** The current flow's answers, under the flow's own `saveAs` names. */
  answers: z.record(z.string(), answerValue).default({}),
  /**
   * What the engine itself gathered beside the flow's questions, for the case: words written
   * outside a question, files sent, household patterns recognised, the safety question's answer.
   */
  heard: z
    .object({
      words: z.string().optional(),
      attachments: z.array(z.string()).optional(),
      patterns: z.array(z.string()).optional(),
      concern: z.enum(CONCERN_ANSWERS).optional(),
    })
    .default({}),
  /** A guess from free text awaiting the resident's yes or no. */
  proposal: z
    .object({
      kind: z.enum(['fields', 'observations', 'start-self', 'start-neighbour']),
      values: z.array(z.string()),
    })
    .optional(),
  /** Set while asking whether to resume an interrupted flow. */
  resumePending: z.boolean().optional(),
  /**
   * Set while the resident is asked whether they (or the person they wrote about) are in danger now:
   * what raised the question, and their words, which go to the case or back through the
   * conversation once they answer.
   */
  safetyCheck: z
    .object({
      categories: z.array(z.enum(CRISIS_CATEGORIES)),
      aboutSomeoneElse: z.boolean(),
      words: z.string(),
      /** The question came before the welcome notice, which follows a "no". */
      firstMessage: z.boolean(),
    })
    .optional(),
  /**
   * Talk mode after an alarm: the resident's words go to this urgent case, with no form questions,
   * until they go back to the menu or the case is closed.
   */
  talk: z
    .object({ caseId: z.string(), since: z.string().datetime(), lastAckAt: z.string().datetime().optional() })
    .optional(),
  /** The open case this conversation is handed off to. */
  caseId: z.string().optional(),
  urgent: z.boolean().default(false),
  lastActiveAt: z.string().datetime(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export function newSessionState(
  language: string,
  languageSource: SessionState['languageSource'],
  now: Date,
): SessionState {
  return {
    schema: SESSION_SCHEMA_VERSION,
    language,
    languageSource,
    answers: {},
    heard: {},
    urgent: false,
    lastActiveAt: now.toISOString(),
  };
}

/** Parses stored state; anything unreadable (older schema, corruption) yields null and a fresh start. */
export function parseSessionState(raw: unknown): SessionState | null {
  const parsed = sessionStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Forgets the intake in progress: the flow's answers and what was heard beside them. */
export function forgetIntake(state: SessionState): void {
  state.answers = {};
  state.heard = {};
}
