import { z } from 'zod';
import {
  CRISIS_CATEGORIES,
  type CrisisCategory,
  KNOWN_FIELD_IDS,
  type KnownFieldId,
  LOCALES,
  type Locale,
  OBSERVATION_IDS,
  type ObservationId,
  PATTERN_IDS,
} from '../vocabulary.js';

type Ctx = z.RefinementCtx;
const issue = (ctx: Ctx, path: (string | number)[], message: string) =>
  ctx.addIssue({ code: 'custom', message, path });

export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

const knownField = z.enum(KNOWN_FIELD_IDS, {
  error: (iss) =>
    iss.input === 'unknown'
      ? '"unknown" is always routed to the coordination window; do not list it'
      : `must be one of ${KNOWN_FIELD_IDS.join(', ')}`,
});
const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'must be lower-case letters, digits, - or _' });
const text = z.string().trim().min(1, { error: 'must not be empty' });

/** Only `ja` is required; every other locale falls back to it, so readers never meet a missing name. */
const localizedNames = z
  .strictObject({
    ja: text,
    en: text.optional(),
    'ja-easy': text.optional(),
    zh: text.optional(),
    vi: text.optional(),
    'pt-BR': text.optional(),
    ko: text.optional(),
  })
  .transform(
    (names) => Object.fromEntries(LOCALES.map((l) => [l, names[l] ?? names.ja])) as Record<Locale, string>,
  );

/** 110, #8008, 0561-00-1234, 0120-279-889 or a mobile number: what a resident can actually dial. */
const phone = z
  .string()
  .trim()
  .refine(
    (v) =>
      /^(?:1\d\d|#\d{4})$/.test(v) ||
      (/^0\d{1,4}-\d{1,4}-\d{3,4}$/.test(v) && [10, 11].includes(v.replace(/-/g, '').length)),
    {
      error: 'must be a Japanese phone number written with hyphens (0561-00-1234), a 3-digit number or #NNNN',
    },
  );

const slackChannel = z
  .string()
  .regex(/^[CG][A-Z0-9]{8,}$/, { error: 'must be a Slack channel id such as C0123ABCD' });
const slackUserGroup = z
  .string()
  .regex(/^S[A-Z0-9]{8,}$/, { error: 'must be a Slack user group id such as S0123ABCD' });

const time = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'must be HH:MM (00:00-24:00)' });
export const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const openingRange = z.strictObject({ open: time, close: time }).superRefine((r, ctx) => {
  if (toMinutes(r.close) <= toMinutes(r.open)) issue(ctx, ['close'], 'must be after open');
});
const daySchedule = z
  .array(openingRange)
  .default([])
  .superRefine((ranges, ctx) => {
    // Later ranges must start after earlier ones close, so "next opening" can scan them in order.
    ranges.forEach((r, i) => {
      const prev = ranges[i - 1];
      if (prev && toMinutes(r.open) < toMinutes(prev.close)) {
        issue(ctx, [i, 'open'], 'must start after the previous range closes');
      }
    });
  });
const hours = z.strictObject(
  Object.fromEntries(WEEKDAY_KEYS.map((d) => [d, daySchedule])) as Record<WeekdayKey, typeof daySchedule>,
);

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const validMonthDay = (mmdd: string) => {
  const [m, d] = [Number(mmdd.slice(0, 2)), Number(mmdd.slice(3, 5))];
  return m >= 1 && m <= 12 && d >= 1 && d <= (DAYS_IN_MONTH[m - 1] ?? 0);
};
function isRealDate(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d && m >= 1 && m <= 12;
}
const monthDay = z
  .string()
  .regex(/^\d\d-\d\d$/)
  .refine(validMonthDay, { error: 'must be a real MM-DD date' });
const isoDate = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d$/)
  .refine(isRealDate, {
    error: 'must be a real YYYY-MM-DD date',
  });
/** 'YYYY-MM-DD' once, 'MM-DD' every year; a recurring range may cross the year end (12-29 to 01-03). */
const closedDate = z.union([
  isoDate,
  monthDay,
  z.strictObject({ from: monthDay, to: monthDay }),
  z
    .strictObject({ from: isoDate, to: isoDate })
    .refine((r) => r.from <= r.to, { error: 'must not be before from', path: ['to'] }),
]);

const windowSchema = z.strictObject({
  id,
  kind: z.enum(['single-field', 'coordination', 'outreach']),
  names: localizedNames,
  fields: z.array(knownField).default([]),
  /** Absent: the window serves the whole city. */
  areas: z.array(id).min(1).optional(),
  phone,
  slackChannel: slackChannel.optional(),
  hours,
  closedOnPublicHolidays: z.boolean().default(true),
  closedDates: z.array(closedDate).default([]),
});

/** LINE shows at most 20 characters on a quick-reply button. */
const BUTTON_LABEL_MAX = 20;

const emergencyNumber = z
  .strictObject({
    id,
    phone,
    names: localizedNames,
    /**
     * The call button's text per language, number included ("119 Ambulance/fire"), at most 20
     * characters; without one the button shows the number and name when they fit, else the number.
     */
    buttonLabels: z.partialRecord(z.enum(LOCALES), z.string().min(1).max(BUTTON_LABEL_MAX)).default({}),
    categories: z.array(z.enum(CRISIS_CATEGORIES)).min(1),
    twentyFourHours: z.boolean(),
  })
  .superRefine((n, ctx) => {
    for (const [language, label] of Object.entries(n.buttonLabels)) {
      if (label && !label.includes(n.phone)) {
        ctx.addIssue({
          code: 'custom',
          path: ['buttonLabels', language],
          message: `must show the number ${n.phone}: a resident sees what they are about to call`,
        });
      }
    }
  });

/**
 * National numbers (checked against the domain brief). A municipality that lists its own replaces the
 * whole list, so it can add its prefecture's lines without losing sight of these.
 */
function national(
  id: string,
  phone: string,
  categories: CrisisCategory[],
  twentyFourHours: boolean,
  names: [string, string, string, string, string, string, string],
  /** Button labels, number included, at most 20 characters: same order as `names`. */
  labels: [string, string, string, string, string, string, string],
): z.input<typeof emergencyNumber> {
  const inLocales = ([ja, en, jaEasy, zh, vi, pt, ko]: typeof names) => ({
    ja,
    en,
    'ja-easy': jaEasy,
    zh,
    vi,
    'pt-BR': pt,
    ko,
  });
  return { id, phone, categories, twentyFourHours, names: inLocales(names), buttonLabels: inLocales(labels) };
}

// biome-ignore format: one number per row reads as the table it is; expanded it would run to 120 lines.
const NATIONAL_EMERGENCY_NUMBERS: z.input<typeof emergencyNumber>[] = [
  national('police', '110', ['violence', 'domestic_violence', 'child_abuse', 'elder_abuse'], true,
    ['警察', 'Police', 'けいさつ', '警察', 'Cảnh sát', 'Polícia', '경찰'], ['110 警察', '110 Police', '110 けいさつ', '110 警察', '110 Cảnh sát', '110 Polícia', '110 경찰']),
  national('fire-ambulance', '119', ['medical', 'suicide'], true,
    ['消防・救急', 'Fire and ambulance', 'かじ・きゅうきゅうしゃ', '消防・急救', 'Cứu hỏa và cấp cứu', 'Bombeiros e ambulância', '소방·구급'], ['119 救急・消防', '119 Ambulance/fire', '119 きゅうきゅうしゃ', '119 急救・消防', '119 Cấp cứu/cứu hỏa', '119 Ambulância', '119 구급·소방']),
  national('child-abuse-189', '189', ['child_abuse'], true,
    ['児童相談所虐待対応ダイヤル', 'Child abuse hotline (Child Guidance Center)', 'こどもの ぎゃくたいの でんわ', '儿童咨询所虐待举报热线', 'Đường dây nóng về ngược đãi trẻ em', 'Linha contra maus-tratos infantis', '아동상담소 학대 신고 전화'], ['189 児童虐待', '189 Child abuse line', '189 こどもの ぎゃくたい', '189 儿童虐待热线', '189 Trẻ bị ngược đãi', '189 Abuso infantil', '189 아동학대 신고']),
  national('dv-navi', '#8008', ['domestic_violence'], false,
    ['DV相談ナビ', 'Domestic violence helpline navigator', 'DV（かぞくなどからの ぼうりょく）の そうだん', '家庭暴力咨询导航', 'Tư vấn bạo lực gia đình (DV Navi)', 'Orientação sobre violência doméstica', '가정폭력 상담 안내'], ['#8008 DV相談ナビ', '#8008 DV helpline', '#8008 DVの そうだん', '#8008 家暴咨询', '#8008 Bạo lực GĐ', '#8008 Violência dom.', '#8008 가정폭력 상담']),
  national('dv-soudan-plus', '0120-279-889', ['domestic_violence', 'violence'], true,
    ['DV相談＋', 'DV Soudan Plus (domestic violence helpline)', 'DVの そうだん', '家庭暴力咨询＋', 'Tư vấn bạo lực gia đình Plus', 'DV Soudan Plus (violência doméstica)', 'DV 상담 플러스'], ['0120-279-889 DV相談＋', '0120-279-889 DV line', '0120-279-889 DV', '0120-279-889 家暴', '0120-279-889 BLGĐ', '0120-279-889 DV', '0120-279-889 DV상담']),
  national('kokoro', '0570-064-556', ['suicide'], false,
    ['こころの健康相談統一ダイヤル', 'Mental health helpline', 'こころの そうだん', '心理健康咨询统一热线', 'Đường dây tư vấn sức khỏe tinh thần', 'Linha de apoio à saúde mental', '마음 건강 상담 전화'], ['0570-064-556 こころ', '0570-064-556 Kokoro', '0570-064-556 こころ', '0570-064-556 心理', '0570-064-556 Tâm lý', '0570-064-556 Mental', '0570-064-556 마음']),
  national('yorisoi', '0120-279-338', ['suicide', 'violence', 'domestic_violence'], true,
    ['よりそいホットライン', 'Yorisoi Hotline', 'よりそい ホットライン', 'Yorisoi 热线', 'Đường dây nóng Yorisoi', 'Linha Yorisoi', '요리소이 핫라인'], ['0120-279-338 よりそい', '0120-279-338 Yorisoi', '0120-279-338 よりそい', '0120-279-338 Yorisoi', '0120-279-338 Yorisoi', '0120-279-338 Yorisoi', '0120-279-338 요리소이']),
];

/** What a neighbour saw, read as the field most likely behind it; `other` maps to nothing (outreach). */
const DEFAULT_OBSERVATION_FIELDS: Record<ObservationId, KnownFieldId[]> = {
  not_seen: ['elderly'],
  mail_piling: ['elderly'],
  smell: ['isolation'],
  shouting: ['violence'],
  child_crying: ['children'],
  rubbish: ['isolation'],
  unwell_confused: ['elderly'],
  child_alone: ['children'],
  other: [],
};

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const area = z.strictObject({ id, names: localizedNames, match: z.array(text).default([]) });

/** A page residents open from LINE: https only, so no one is sent to a plain-http copy. */
const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https:// address' });
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour written #RRGGBB' });

/**
 * The front door as the greeting presents it: when people answer (as the city words it, per
 * language), and the city's own privacy policy and terms of use.
 */
const frontDoor = z.strictObject({
  hours: localizedNames,
  privacyPolicyUrl: httpsUrl,
  termsUrl: httpsUrl,
});

/** The city's colours, for the rich menu image (npm run line:rich-menu). */
const branding = z
  .strictObject({
    primaryColor: colour.default('#1d6b57'),
    backgroundColor: colour.default('#f6f3ec'),
    textColor: colour.default('#1f2a27'),
  })
  .prefault({});

const baseSchema = z.strictObject({
  version: z.literal(1),
  municipality: z.strictObject({ id, names: localizedNames }),
  timezone: z
    .string()
    .default('Asia/Tokyo')
    .refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Tokyo' }),
  areas: z.array(area).default([]),
  windows: z.array(windowSchema).min(1),
  /** Field sets that one field's window handles better than the coordinator (e.g. abuse of a child). */
  fieldCombinations: z
    .array(z.strictObject({ fields: z.array(knownField).min(2), routeAs: knownField }))
    .default([]),
  /**
   * A household pattern that one field's window serves best when it is the only thing said (ひきこもり
   * alone → the outreach team); any other pattern, or a pattern with other fields, goes to the coordinator.
   */
  patternRoutes: z.partialRecord(z.enum(PATTERN_IDS), knownField).default({}),
  observationFields: z
    .partialRecord(z.enum(OBSERVATION_IDS), z.array(knownField))
    .default({})
    .transform((given) => ({ ...DEFAULT_OBSERVATION_FIELDS, ...given })),
  emergencyNumbers: z.array(emergencyNumber).min(1).prefault(NATIONAL_EMERGENCY_NUMBERS),
  /**
   * Where someone who cannot phone can talk by text: the national list of SNS counselling services
   * (厚生労働省「まもろうよ こころ」) unless the city names its own.
   */
  textCounsellingUrl: z.string().url().default('https://www.mhlw.go.jp/mamorouyokokoro/'),
  escalation: z
    .strictObject({
      pendingMinutes: z.number().int().positive().default(30),
      urgentPendingMinutes: z.number().int().positive().default(5),
      supervisorMinutes: z.number().int().positive().default(120),
      onCallUserGroup: slackUserGroup.optional(),
      supervisorChannel: slackChannel.optional(),
      staffUserGroup: slackUserGroup.optional(),
    })
    .prefault({}),
  reopenDays: z.number().int().positive().default(14),
  retention: z
    .strictObject({
      conversationDaysAfterClose: z.number().int().positive().default(90),
      inboxDays: z.number().int().positive().default(7),
      auditYears: z.number().int().positive().default(5),
      // The promise made to neighbours ("no one will know it was you") is not a local option.
      anonymousReporterLinkRemovedAtClose: z.literal(true).default(true),
    })
    .prefault({}),
  staff: z.strictObject({ showStaffNameToResident: z.boolean().default(false) }).prefault({}),
  frontDoor,
  branding,
  /** 見守り: gentle check-ins tied to a case (core/watch). */
  watch: z
    .strictObject({
      /** The fixed times a check-in may go out, "HH:MM"; never at night (07:00-20:00 only). */
      slots: z
        .array(
          z
            .string()
            .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time written HH:MM' })
            .refine((t) => t >= '07:00' && t <= '20:00', { error: 'must be between 07:00 and 20:00' }),
        )
        .min(1)
        .max(8)
        .default(['09:00', '11:00', '15:00', '18:00']),
      /** A check-in due while the service was down is still sent this long after its time. */
      lateMinutes: z.number().int().positive().max(720).default(180),
      /** How long a check-in waits for an answer before it counts as missed. */
      answerHours: z.number().int().positive().max(72).default(12),
      /** No check-in while the resident wrote this recently (a conversation is going on). */
      quietAfterActivityMinutes: z.number().int().nonnegative().default(120),
      /** しばらくお休み: how long a pause lasts. */
      pauseDays: z.number().int().positive().max(90).default(7),
      maxDurationDays: z.number().int().positive().max(730).default(365),
      /** How long the history of check-ins (answers, misses) is kept. */
      historyDays: z.number().int().positive().default(180),
    })
    .prefault({}),
});

type Parsed = z.output<typeof baseSchema>;

function uniqueIds(items: { id: string }[], what: string, at: string, ctx: Ctx): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) issue(ctx, [at, i, 'id'], `duplicate ${what} id "${item.id}"`);
    seen.add(item.id);
  });
}

/** A field split by area must leave no resident without a window; a whole-city window is the safety net. */
function checkAreaSplit(
  field: KnownFieldId,
  serving: Parsed['windows'],
  areaIds: Set<string>,
  ctx: Ctx,
): void {
  if (!serving.some((w) => w.areas) || serving.some((w) => !w.areas)) return;
  const owner = new Map<string, string>();
  for (const w of serving) {
    for (const a of w.areas ?? []) {
      const other = owner.get(a);
      if (other)
        issue(ctx, ['windows'], `area "${a}" has two windows for field "${field}" (${other}, ${w.id})`);
      owner.set(a, w.id);
    }
  }
  for (const a of areaIds) {
    if (!owner.has(a))
      issue(ctx, ['windows'], `field "${field}" is split by area but area "${a}" has no window`);
  }
}

function crossCheck(c: Parsed, ctx: Ctx): void {
  uniqueIds(c.windows, 'window', 'windows', ctx);
  uniqueIds(c.areas, 'area', 'areas', ctx);
  uniqueIds(c.emergencyNumbers, 'emergency number', 'emergencyNumbers', ctx);
  const areaIds = new Set(c.areas.map((a) => a.id));
  c.windows.forEach((w, i) => {
    w.areas?.forEach((a, j) => {
      if (!areaIds.has(a)) issue(ctx, ['windows', i, 'areas', j], `unknown area "${a}"`);
    });
    if (w.kind === 'single-field' && w.fields.length === 0) {
      issue(ctx, ['windows', i, 'fields'], 'a single-field window needs at least one field');
    }
  });

  const coordinators = c.windows.filter((w) => w.kind === 'coordination').length;
  if (coordinators !== 1) {
    issue(
      ctx,
      ['windows'],
      `needs exactly one coordination window (found ${coordinators}): it takes unknown, multiple fields and household patterns`,
    );
  }
  if (!c.windows.some((w) => w.kind === 'outreach'))
    issue(ctx, ['windows'], 'needs at least one outreach window');

  for (const field of KNOWN_FIELD_IDS) {
    const serving = c.windows.filter((w) => w.fields.includes(field));
    if (serving.length === 0) issue(ctx, ['windows'], `no window handles field "${field}"`);
    else checkAreaSplit(field, serving, areaIds, ctx);
  }

  c.fieldCombinations.forEach((combo, i) => {
    if (!combo.fields.includes(combo.routeAs)) {
      issue(ctx, ['fieldCombinations', i, 'routeAs'], 'must be one of the combination fields');
    }
    if (new Set(combo.fields).size !== combo.fields.length) {
      issue(ctx, ['fieldCombinations', i, 'fields'], 'must not repeat a field');
    }
  });

  const e = c.escalation;
  if (e.urgentPendingMinutes > e.pendingMinutes) {
    issue(ctx, ['escalation', 'urgentPendingMinutes'], 'must not be longer than pendingMinutes');
  }
  if (e.supervisorMinutes < e.pendingMinutes) {
    issue(ctx, ['escalation', 'supervisorMinutes'], 'must not be shorter than pendingMinutes');
  }
}

/** A municipality's windows, areas, emergency numbers and service rules: configuration, never code. */
export const municipalityConfigSchema = baseSchema.superRefine(crossCheck);

export type MunicipalityConfig = z.output<typeof municipalityConfigSchema>;
export type MunicipalityConfigInput = z.input<typeof municipalityConfigSchema>;
export type ConsultationWindow = MunicipalityConfig['windows'][number];
export type WindowKind = ConsultationWindow['kind'];
export type OpeningHours = ConsultationWindow['hours'];
export type ClosedDate = ConsultationWindow['closedDates'][number];
export type EmergencyNumber = MunicipalityConfig['emergencyNumbers'][number];
export type Area = MunicipalityConfig['areas'][number];
export type LocalizedNames = Record<Locale, string>;
