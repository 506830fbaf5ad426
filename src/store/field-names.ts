/**
 * Free-form data (session state, intake answers, audit details) may use keys such as
 * "intake.neighbour.observed" or "$ref". MongoDB gives dotted and `$`-prefixed names special meaning in queries and updates, so such keys
 * are stored percent-escaped and restored on read (in both backends, so the documents have one
 * shape; the earlier nedb files, which refused such names, are imported as they are). `%` is escaped too, which keeps the mapping
 * reversible for keys that already contain it.
 */
const ESCAPE = /[%.$]/g;
const UNESCAPE = /%(25|2E|24)/g;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function mapKeys(value: unknown, mapKey: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => mapKeys(item, mapKey));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [mapKey(k), mapKeys(v, mapKey)]));
}

export function escapeFieldNames(value: unknown): unknown {
  return mapKeys(value, (k) => k.replace(ESCAPE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}

export function unescapeFieldNames(value: unknown): unknown {
  return mapKeys(value, (k) =>
    k.replace(UNESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
  );
}
