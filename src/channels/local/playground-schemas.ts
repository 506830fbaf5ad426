import type { Response } from 'express';
import { type ZodType, z } from 'zod';

/** The people the staff pane can act as. "supervisor" may close a case someone else holds. */
export const STAFF_IDS = ['staff-a', 'staff-b', 'supervisor'] as const;
export type StaffId = (typeof STAFF_IDS)[number];
export const SUPERVISOR: StaffId = 'supervisor';

const staffId = z.enum(STAFF_IDS);
const nonBlank = (max: number) =>
  z
    .string()
    .max(max)
    .refine((t) => t.trim().length > 0, { error: 'must not be blank' });

export const caseIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'is not a case id' });

export const cursorQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  lang: z.string().max(20).optional(),
  caseId: caseIdSchema.optional(),
});

export const languageQuerySchema = z.object({ lang: z.string().max(20).optional() });

export const acceptSchema = z.strictObject({ staffId });
export const rerouteSchema = z.strictObject({ staffId, windowId: z.string().min(1).max(64) });
export const closeSchema = z.strictObject({ staffId, note: z.string().trim().max(1000).optional() });
export const replySchema = z.strictObject({
  staffId,
  text: nonBlank(2000),
  // Carried inside the outbox cause `staff-reply:<case>:<reply>`, so no colon.
  replyId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be 1-64 letters, digits or -' }),
});

/** Parses request input; on failure answers 400 with every problem (paths and messages, never the input). */
export function parseOr400<T>(
  schema: ZodType<T>,
  input: unknown,
  res: Response,
  what: string,
): T | undefined {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  res.status(400).json({
    error: 'invalid_request',
    message: `invalid ${what}`,
    details: parsed.error.issues.map((issue) => ({
      path: [what, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  });
  return undefined;
}

/** つなぐシート: staff ask for one for a window, with or without the person's consent. */
export const handoverSchema = z.strictObject({
  staffId,
  windowId: z.string().min(1).max(64),
  consent: z.boolean().default(false),
  /** Ask the resident in the chat instead: their answer decides the sheet (wins over `consent`). */
  ask: z.boolean().default(false),
});

/** The sheet's download links carry what its notice said (window, consent, who asked). */
export const handoverQuerySchema = z.object({
  window: z.string().min(1).max(64),
  consent: z.enum(['0', '1']).default('0'),
  by: z.string().max(64).optional(),
});
