import { z } from 'zod';
import { CRISIS_CATEGORIES, FIELD_IDS, OBSERVATION_IDS } from '../vocabulary.js';

/**
 * What an intake hands to staff, as a typed value the core owns. Flows name their answers as they
 * like (`saveAs`); a handoff step's `intake` bindings say which answer fills which field here, and
 * `loadFlows` checks every binding. Nothing outside the core reads a case's answers: staff views
 * are built from this value (case-summary.ts).
 *
 * Each field is tagged: `anonymous` fields hold ids from fixed lists (choices, categories, a city
 * area id) and stay after erasure and retention, so anonymised counts remain possible; `personal`
 * fields hold what the resident wrote or sent and go with their data.
 */

export type FieldPrivacy = 'personal' | 'anonymous';

export const SUBJECTS = ['self', 'family', 'neighbour'] as const;
export const URGENCIES = ['today', 'soon', 'anytime'] as const;
/** How staff may answer: through this LINE conversation, by phone, or not at all. */
export const CONTACT_MEANS = ['line', 'phone', 'none'] as const;
/** The resident's answer to the safety question ("are you in danger now?"). */
export const CONCERN_ANSWERS = ['yes', 'unsure', 'no'] as const;

const text = z.string().trim().min(1);
/** An id from a fixed list (a city area id): never what a resident typed, which has spaces or kana. */
const areaId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/);

function field<S extends z.ZodType>(schema: S, privacy: FieldPrivacy, bindable: boolean) {
  return { schema, privacy, bindable };
}

/** Every intake field: its schema, whether it is personal, and whether a flow may fill it. */
export const INTAKE_FIELDS = {
  /** Who the consultation is about. Set from the handoff step's `origin`. */
  subject: field(z.enum(SUBJECTS), 'anonymous', false),
  fields: field(z.array(z.enum(FIELD_IDS)), 'anonymous', true),
  /** What a neighbour noticed (choices, not their words). */
  observations: field(z.array(z.enum(OBSERVATION_IDS)), 'anonymous', true),
  urgency: field(z.enum(URGENCIES), 'anonymous', true),
  contact: field(z.enum(CONTACT_MEANS), 'anonymous', true),
  phone: field(text, 'personal', true),
  /** One of the city's area ids (a fixed list); bound text that names no area goes to `areaText`. */
  area: field(areaId, 'anonymous', true),
  /** The area as the resident typed it, when it named none of the city's areas. */
  areaText: field(text, 'personal', false),
  /** A place as the resident described or shared it. */
  location: field(text, 'personal', true),
  /** `<media>:<contentId>` of images and files sent during the intake. */
  attachments: field(z.array(text), 'personal', false),
  /** Crisis categories detected in what the resident wrote. */
  crisis: field(z.array(z.enum(CRISIS_CATEGORIES)), 'anonymous', false),
  concern: field(z.enum(CONCERN_ANSWERS), 'anonymous', false),
  /** Why routing chose the window (route-to-window.ts RouteReason). */
  route: field(text, 'anonymous', false),
} as const;

type Fields = typeof INTAKE_FIELDS;
export type IntakeField = keyof Fields;

export const intakeSchema = z
  .object(
    Object.fromEntries(Object.entries(INTAKE_FIELDS).map(([k, f]) => [k, f.schema.optional()])) as {
      [K in IntakeField]: z.ZodOptional<Fields[K]['schema']>;
    },
  )
  .strict();
export type Intake = z.infer<typeof intakeSchema>;

export const INTAKE_FIELD_NAMES = Object.keys(INTAKE_FIELDS) as IntakeField[];

/** The fields a flow's handoff step may bind to one of its answers. */
export const BINDABLE_FIELDS = INTAKE_FIELD_NAMES.filter((k) => INTAKE_FIELDS[k].bindable);

export const isIntakeField = (name: string): name is IntakeField => Object.hasOwn(INTAKE_FIELDS, name);

/** The option ids a choice bound to this field may carry, when the field is a fixed list. */
export function allowedValues(name: IntakeField): readonly string[] | undefined {
  let schema: z.ZodType = INTAKE_FIELDS[name].schema;
  if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
  return schema instanceof z.ZodEnum ? (schema.options as string[]) : undefined;
}

/**
 * Reads a stored intake field by field: a field that does not parse is dropped rather than failing
 * the whole case (stored data is input like any other). Cases stored before the intake existed
 * kept a neighbour's "may we contact you" as `contactable: yes/no`; it reads as `contact`.
 */
export function readIntake(stored: unknown): Intake {
  const raw = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const intake: Record<string, unknown> = {};
  for (const name of INTAKE_FIELD_NAMES) {
    const parsed = INTAKE_FIELDS[name].schema.safeParse(raw[name]);
    if (parsed.success) intake[name] = parsed.data;
  }
  if (intake.contact === undefined && (raw.contactable === 'yes' || raw.contactable === 'no'))
    intake.contact = raw.contactable === 'yes' ? 'line' : 'none';
  return intake as Intake;
}

/** The names of the fields with this tag. */
export function fieldsTagged(privacy: FieldPrivacy): IntakeField[] {
  return INTAKE_FIELD_NAMES.filter((k) => INTAKE_FIELDS[k].privacy === privacy);
}

/**
 * The keys of a stored intake that erasure and retention remove: every personal field, and
 * anything not known to be anonymous (a key the intake does not know, an older record's value that
 * does not parse, such as an area stored as the text a resident typed).
 */
export function personalFieldsIn(stored: Record<string, unknown>): string[] {
  return Object.keys(stored).filter(
    (k) =>
      !isIntakeField(k) ||
      INTAKE_FIELDS[k].privacy === 'personal' ||
      !INTAKE_FIELDS[k].schema.safeParse(stored[k]).success,
  );
}

/** Only the anonymous part, for what stays after erasure. */
export function anonymousPart(stored: Record<string, unknown>): Record<string, unknown> {
  const personal = new Set(personalFieldsIn(stored));
  return Object.fromEntries(Object.entries(stored).filter(([k]) => !personal.has(k)));
}

export type AttachmentMedia = 'image' | 'video' | 'audio' | 'file';
const MEDIA: readonly string[] = ['image', 'video', 'audio', 'file'];

/** The files the resident sent during the intake, as media kind and content id. */
export function intakeAttachments(stored: unknown): Array<{ media: AttachmentMedia; contentId: string }> {
  return (readIntake(stored).attachments ?? []).flatMap((entry) => {
    const at = entry.indexOf(':');
    const media = entry.slice(0, at);
    if (at < 1 || !MEDIA.includes(media)) return [];
    return [{ media: media as AttachmentMedia, contentId: entry.slice(at + 1) }];
  });
}
