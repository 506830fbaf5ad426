import { z } from 'zod';

/**
 * Conversation flows are data (flows/*.yaml). Display text never appears here: every `prompt`,
 * `text` and `label` is an i18n key, so a city can change wording in locales/ and order here without
 * touching TypeScript.
 */

const stepId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'step ids are lower-case words joined by -');
const flowId = stepId;
const i18nKey = z.string().regex(/^[a-z0-9-]+(\.[a-zA-Z0-9_-]+)+$/, 'expected a dotted i18n key');
const answerKey = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'answer keys are camelCase');

/** Where a step leads: another step of the same flow, or the start (or a step) of another flow. */
export const transitionSchema = z.union([
  z.object({ next: stepId }).strict(),
  z.object({ goto: z.object({ flow: flowId, step: stepId.optional() }).strict() }).strict(),
]);
export type Transition = z.infer<typeof transitionSchema>;

const transitionFields = {
  next: stepId.optional(),
  goto: z.object({ flow: flowId, step: stepId.optional() }).strict().optional(),
};

/** Built-in actions a step or option can run; everything else is data. */
export const actionSchema = z.enum([
  'set-language', // option value = language code
  'describe-data', // tells the resident what is kept about them
  'erase-data', // erases it
  'warn-open-case', // before erasing: says staff can no longer reply if a case is still open
  'stop', // ends the conversation politely
  'watch-menu', // 見守り: manage it, answer its offer, or ask the window for it
]);
export type FlowAction = z.infer<typeof actionSchema>;

const optionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
    label: i18nKey,
    /** Extra answers recorded when this option is chosen. */
    set: z.record(answerKey, z.union([z.string(), z.boolean()])).optional(),
    action: actionSchema.optional(),
    value: z.string().optional(),
    ...transitionFields,
  })
  .strict();
export type FlowOption = z.infer<typeof optionSchema>;

const callButtonsSchema = z
  .union([z.literal('all'), z.array(z.string().min(1)).min(1)])
  .optional()
  .describe('emergency number ids from the municipality config to offer as tap-to-call buttons');

const base = {
  /** Shown before the prompt, e.g. a short reassurance. */
  intro: z.array(i18nKey).optional(),
};

export const messageStepSchema = z
  .object({
    type: z.literal('message'),
    ...base,
    text: z.array(i18nKey).min(1),
    callButtons: callButtonsSchema,
    ...transitionFields,
  })
  .strict();

export const choiceStepSchema = z
  .object({
    type: z.literal('choice'),
    ...base,
    prompt: i18nKey,
    /** The chosen option's id is stored under this answer key. */
    saveAs: answerKey.optional(),
    /** Shows a summary of the answers so far above the prompt (the confirm step). */
    summary: z.boolean().optional(),
    callButtons: callButtonsSchema,
    options: z.array(optionSchema).min(1),
  })
  .strict();

export const multiChoiceStepSchema = z
  .object({
    type: z.literal('multi-choice'),
    ...base,
    prompt: i18nKey,
    saveAs: answerKey,
    options: z
      .array(optionSchema.omit({ next: true, goto: true, action: true, value: true, set: true }))
      .min(1),
    /** Options that clear the others when chosen (e.g. "don't know"). */
    exclusive: z.array(z.string()).optional(),
    /** Free text here is classified into option ids and proposed to the resident: 'fields' or 'observations'. */
    understand: z.enum(['fields', 'observations']).optional(),
    doneLabel: i18nKey,
    ...transitionFields,
  })
  .strict();

export const textStepSchema = z
  .object({
    type: z.literal('text'),
    ...base,
    prompt: i18nKey,
    saveAs: answerKey,
    maxLength: z.number().int().positive().max(2000).default(1000),
    /** Offers a "skip" button; skipping leaves the answer empty. */
    skipLabel: i18nKey.optional(),
    /** A shared location (LINE's location message) is accepted as the answer. */
    acceptsLocation: z.boolean().optional(),
    ...transitionFields,
  })
  .strict();

/**
 * Which answer of the flow fills which field of the case's intake (core/cases/intake.ts), plus
 * `ownWords`, the text answer that holds the resident's own words. Every answer named here must be
 * the `saveAs` of a step of the same flow (loadFlows checks it), and a choice bound to a field with
 * fixed values may only offer those values as option ids.
 */
export const intakeBindingsSchema = z
  .object({
    fields: answerKey,
    observations: answerKey,
    urgency: answerKey,
    contact: answerKey,
    phone: answerKey,
    area: answerKey,
    location: answerKey,
    ownWords: answerKey,
  })
  .partial()
  .strict();
export type IntakeBindings = z.infer<typeof intakeBindingsSchema>;

export const handoffStepSchema = z
  .object({
    type: z.literal('handoff'),
    ...base,
    /** Who the concern is about: fixed, or read from an answer holding 'self' | 'family' | 'neighbour'. */
    origin: z.union([z.enum(['self', 'family', 'neighbour']), z.object({ answer: answerKey }).strict()]),
    intake: intakeBindingsSchema.default({}),
  })
  .strict();

export const actionStepSchema = z
  .object({ type: z.literal('action'), ...base, action: actionSchema, ...transitionFields })
  .strict();

export const endStepSchema = z
  .object({ type: z.literal('end'), ...base, text: z.array(i18nKey).optional() })
  .strict();

export const stepSchema = z.discriminatedUnion('type', [
  messageStepSchema,
  choiceStepSchema,
  multiChoiceStepSchema,
  textStepSchema,
  handoffStepSchema,
  actionStepSchema,
  endStepSchema,
]);
export type FlowStep = z.infer<typeof stepSchema>;
export type StepOfType<T extends FlowStep['type']> = Extract<FlowStep, { type: T }>;

export const flowSchema = z
  .object({
    /** Bumped when steps change incompatibly; sessions made with another version restart politely. */
    version: z.number().int().positive(),
    id: flowId,
    /** Shown in menus and the data summary. */
    title: i18nKey,
    start: stepId,
    steps: z.record(stepId, stepSchema),
  })
  .strict();
export type Flow = z.infer<typeof flowSchema>;

/** The step's own transition, if it has one. */
export function transitionOf(holder: {
  next?: string | undefined;
  goto?: { flow: string; step?: string | undefined } | undefined;
}): Transition | undefined {
  if (holder.next) return { next: holder.next };
  if (holder.goto) return { goto: holder.goto };
  return undefined;
}
