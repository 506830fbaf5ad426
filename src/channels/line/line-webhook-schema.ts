import { z } from 'zod';

/**
 * The LINE webhook body, validated after the signature check. Only the event and message types we
 * act on are described in detail; any other type (join, beacon, things, ones LINE adds later) is
 * recognised as "unknown" instead of failing the whole delivery, because a 4xx makes LINE drop
 * every event in it.
 */

const nonEmpty = z.string().min(1);

/**
 * Parses `{ type, ... }` values with `known` when their type is one of `knownTypes`, and lets every
 * other type through untouched as `{ known: false }` once it passes `envelope`. A plain
 * discriminated union would refuse the unknown types; a plain union would hide the precise issues
 * of a malformed known one. A value of a known type is parsed by `known` alone, which checks
 * everything the envelope does, so each event is read once.
 */
function openUnion<Envelope extends z.ZodType<{ type: string }>, Known extends z.ZodType>(
  envelope: Envelope,
  knownTypes: readonly string[],
  known: Known,
) {
  const isKnown = new Set(knownTypes);
  return z.unknown().transform((input, ctx) => {
    const refuse = (error: z.ZodError) => {
      for (const issue of error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    };
    const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
    if (typeof type === 'string' && isKnown.has(type)) {
      const parsed = known.safeParse(input);
      return parsed.success
        ? { known: true as const, value: parsed.data as z.output<Known> }
        : refuse(parsed.error);
    }
    const parsed = envelope.safeParse(input);
    return parsed.success
      ? { known: false as const, raw: parsed.data as z.output<Envelope> }
      : refuse(parsed.error);
  });
}

// ---------------------------------------------------------------- message contents

const lineKnownMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), id: nonEmpty, text: z.string() }),
  z.object({ type: z.literal('sticker'), id: nonEmpty }),
  z.object({ type: z.enum(['image', 'video', 'audio']), id: nonEmpty }),
  z.object({ type: z.literal('file'), id: nonEmpty, fileName: z.string().optional() }),
  z.object({
    type: z.literal('location'),
    id: nonEmpty,
    latitude: z.number(),
    longitude: z.number(),
    title: z.string().optional(),
    address: z.string().optional(),
  }),
]);

export type LineKnownMessage = z.infer<typeof lineKnownMessageSchema>;

const lineMessageSchema = openUnion(
  z.looseObject({ type: z.string() }),
  ['text', 'sticker', 'image', 'video', 'audio', 'file', 'location'],
  lineKnownMessageSchema,
);

// ---------------------------------------------------------------- events

const lineSourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), userId: nonEmpty.optional() }),
  z.object({ type: z.literal('group'), groupId: nonEmpty, userId: nonEmpty.optional() }),
  z.object({ type: z.literal('room'), roomId: nonEmpty, userId: nonEmpty.optional() }),
]);

const commonEventFields = {
  webhookEventId: nonEmpty,
  timestamp: z.number().nonnegative(),
  source: lineSourceSchema.optional(),
  mode: z.enum(['active', 'standby']),
  deliveryContext: z.object({ isRedelivery: z.boolean() }),
};

const lineKnownEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    ...commonEventFields,
    replyToken: nonEmpty.optional(),
    message: lineMessageSchema,
  }),
  z.object({ type: z.literal('follow'), ...commonEventFields, replyToken: nonEmpty.optional() }),
  z.object({ type: z.literal('unfollow'), ...commonEventFields }),
  z.object({
    type: z.literal('postback'),
    ...commonEventFields,
    replyToken: nonEmpty.optional(),
    postback: z.object({ data: z.string() }),
  }),
]);

export type LineKnownEvent = z.infer<typeof lineKnownEventSchema>;

/**
 * Every event must carry a webhookEventId, whatever its type: it is the only dedupe key for LINE's
 * redeliveries, so a body without one is refused as a whole.
 */
export const lineWebhookEventSchema = openUnion(
  z.looseObject({ type: z.string(), webhookEventId: nonEmpty }),
  ['message', 'follow', 'unfollow', 'postback'],
  lineKnownEventSchema,
);

export type LineWebhookEvent = z.infer<typeof lineWebhookEventSchema>;

export const lineWebhookBodySchema = z.object({
  destination: z.string(),
  events: z.array(lineWebhookEventSchema),
});

export type LineWebhookBody = z.infer<typeof lineWebhookBodySchema>;
