/** Japan has had no daylight saving time since 1951, so Asia/Tokyo is a fixed UTC+9. */
const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The year a case belongs to: residents and staff count years in Japanese local time. */
export function caseYear(createdAt: Date): number {
  return new Date(createdAt.getTime() + TOKYO_OFFSET_MS).getUTCFullYear();
}

/** The counter document that numbers one year's cases. */
export function caseCounterId(year: number): string {
  return `case-${year}`;
}

export function formatCaseNumber(year: number, seq: number): string {
  return `${year}-${String(seq).padStart(6, '0')}`;
}
