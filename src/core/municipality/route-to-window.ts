import type { FieldId, KnownFieldId, ObservationId, PatternId } from '../vocabulary.js';
import type { ConsultationWindow, MunicipalityConfig } from './municipality-config-schema.js';

export type RouteOrigin = 'self' | 'family' | 'neighbour';

export interface RouteInput {
  fields: FieldId[];
  patterns: PatternId[];
  origin: RouteOrigin;
  observations?: ObservationId[] | undefined;
  /** Free text the resident wrote ("若葉町3丁目", "near Komorebi station") or an area id. */
  area?: string | undefined;
}

export type RouteReason =
  | 'single-field'
  | 'multiple-fields'
  | 'household-pattern'
  | 'unknown'
  | 'neighbour-observation'
  | 'neighbour-unclear';

export interface Route {
  windowId: string;
  reason: RouteReason;
}

/**
 * Folds the ways residents write place names into one form: full/half width (NFKC), case,
 * katakana/hiragana, ヶ/ケ/が in 町名 like 桜ヶ丘, and spacing or separators.
 */
function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[ヶヵ]/g, 'ケ')
    .replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60))
    .replace(/[\s\-_.,、。・･]/g, '');
}

/**
 * The area a resident's words point to, or undefined. A phrase found inside a longer one is ignored
 * (本町 inside 北本町); if what remains points to two areas, the answer is undefined rather than a
 * guess. Only the id, the Japanese name and `match` are used: short translated names (きた, North)
 * hide inside too many ordinary words.
 */
export function resolveArea(config: Pick<MunicipalityConfig, 'areas'>, text: string): string | undefined {
  const trimmed = text.trim();
  const byId = config.areas.find((a) => a.id === trimmed);
  if (byId) return byId.id;
  const haystack = normalize(trimmed);

  const hits: { areaId: string; start: number; end: number }[] = [];
  for (const area of config.areas) {
    for (const phrase of [area.id, area.names.ja, ...area.match]) {
      const p = normalize(phrase);
      // One-character phrases (北, 南) would match almost any sentence.
      if (p.length < 2) continue;
      for (let at = haystack.indexOf(p); at !== -1; at = haystack.indexOf(p, at + 1)) {
        hits.push({ areaId: area.id, start: at, end: at + p.length });
      }
    }
  }
  const outer = hits.filter(
    (h) => !hits.some((o) => o.start <= h.start && h.end <= o.end && o.end - o.start > h.end - h.start),
  );
  const areaIds = new Set(outer.map((h) => h.areaId));
  return areaIds.size === 1 ? [...areaIds][0] : undefined;
}

/**
 * The window for this area when the service is split by area; otherwise a whole-city window; failing
 * both (area unknown, field split by area) the first listed, whose staff pass the case to the right
 * centre: a resident who did not say where they live is still received, never bounced.
 */
function pickByArea(
  candidates: ConsultationWindow[],
  areaId: string | undefined,
): ConsultationWindow | undefined {
  return (
    (areaId === undefined ? undefined : candidates.find((w) => w.areas?.includes(areaId))) ??
    candidates.find((w) => w.areas === undefined) ??
    candidates[0]
  );
}

function coordinationWindow(config: MunicipalityConfig): ConsultationWindow {
  const window = config.windows.find((w) => w.kind === 'coordination');
  // The schema guarantees exactly one; reaching this means an unvalidated config was passed in.
  if (!window) throw new Error('municipality config has no coordination window');
  return window;
}

function fieldWindow(
  config: MunicipalityConfig,
  field: KnownFieldId,
  areaId: string | undefined,
): ConsultationWindow {
  return (
    pickByArea(
      config.windows.filter((w) => w.fields.includes(field)),
      areaId,
    ) ?? coordinationWindow(config)
  );
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** The rules every origin shares: one field to its window, everything tangled to the coordinator. */
function routeByFields(
  config: MunicipalityConfig,
  fields: readonly FieldId[],
  patterns: readonly PatternId[],
  areaId: string | undefined,
): Route {
  const known = [...new Set(fields.filter((f): f is KnownFieldId => f !== 'unknown'))];
  const hasUnknown = fields.includes('unknown');
  if (patterns.length > 0) {
    const routedAs = [...new Set(patterns.map((p) => config.patternRoutes[p]))];
    const [only] = routedAs;
    const alone =
      routedAs.length === 1 && only !== undefined && known.every((f) => f === only) && !hasUnknown;
    if (!alone) return { windowId: coordinationWindow(config).id, reason: 'household-pattern' };
    return { windowId: fieldWindow(config, only, areaId).id, reason: 'single-field' };
  }
  if (known.length === 0) return { windowId: coordinationWindow(config).id, reason: 'unknown' };
  const [only] = known;
  if (only && known.length === 1 && !hasUnknown) {
    return { windowId: fieldWindow(config, only, areaId).id, reason: 'single-field' };
  }
  const combination = hasUnknown ? undefined : config.fieldCombinations.find((c) => sameSet(c.fields, known));
  const window = combination ? fieldWindow(config, combination.routeAs, areaId) : coordinationWindow(config);
  return { windowId: window.id, reason: 'multiple-fields' };
}

/** Outreach is for households that will not or cannot ask: the right receiver of a worry with no field. */
function outreach(config: MunicipalityConfig, areaId: string | undefined): Route {
  const window = pickByArea(
    config.windows.filter((w) => w.kind === 'outreach'),
    areaId,
  );
  return { windowId: (window ?? coordinationWindow(config)).id, reason: 'neighbour-unclear' };
}

/**
 * Which window receives a consultation. Pure and total: every input reaches a window, because the
 * front door never turns anyone away (断らない相談支援).
 * - one field, no pattern → that field's window (by area when split), reason `single-field`;
 * - a household pattern → coordinator (`household-pattern`); `unknown` or nothing → coordinator
 *   (`unknown`); two or more fields → coordinator, or the `routeAs` field's window when the set is a
 *   configured `fieldCombinations` entry (`multiple-fields`);
 * - a neighbour: observations become fields through `observationFields` and the rules above pick the
 *   window, reason `neighbour-observation`; when nothing maps, outreach (`neighbour-unclear`). A
 *   neighbour's `unknown` is dropped: "I can't tell" is what the observations already say.
 */
export function routeToWindow(config: MunicipalityConfig, input: RouteInput): Route {
  const areaId = input.area === undefined ? undefined : resolveArea(config, input.area);
  if (input.origin !== 'neighbour') return routeByFields(config, input.fields, input.patterns, areaId);

  // A neighbour reports what they saw, not a field: the observation table turns one into the other.
  const observed = (input.observations ?? []).flatMap((o) => config.observationFields[o] ?? []);
  const fields = [...input.fields.filter((f) => f !== 'unknown'), ...observed];
  if (fields.length === 0 && input.patterns.length === 0) return outreach(config, areaId);
  const route = routeByFields(config, fields, input.patterns, areaId);
  return observed.length > 0 ? { windowId: route.windowId, reason: 'neighbour-observation' } : route;
}
