import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { IncomingEvent } from '../../core/ports/incoming-event.js';

/** A simulated resident's id: also their address on the 'local' channel (session key `local:<id>`). */
export const residentIdSchema = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, { error: 'must be 1-40 lower-case letters, digits or -' });

/** What the resident pane can send, with LINE's own limits so flows behave as they will on LINE. */
export const residentEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('text'),
    text: z
      .string()
      .max(5000)
      .refine((t) => t.trim().length > 0, { error: 'must not be blank' }),
  }),
  z.strictObject({ type: z.literal('choice'), data: z.string().min(1).max(300) }),
  z.strictObject({ type: z.literal('follow') }),
  z.strictObject({ type: z.literal('sticker') }),
  z.strictObject({
    type: z.literal('location'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    address: z.string().trim().min(1).max(200).optional(),
  }),
]);

export type ResidentEventBody = z.infer<typeof residentEventSchema>;

/** Turns one request of the resident pane into the channel-neutral event the core reads. */
export function convertResidentEvent(residentId: string, body: ResidentEventBody, now: Date): IncomingEvent {
  return {
    id: randomUUID(),
    channel: 'local',
    address: residentId,
    occurredAt: now,
    sequence: 0,
    replyToken: undefined,
    content: body,
  };
}
