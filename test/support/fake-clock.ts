import holidayJp from '@holiday-jp/holiday_jp';
/**
 * A clock the test moves by hand, so retries and token expiry need no real waiting. It starts at the
 * real time because stores judge retention (expiresAt) by the wall clock, as MongoDB's TTL monitor does.
 */
export class FakeClock {
  constructor(private ms = Date.now()) {}
  now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * The next ordinary weekday (not a Japanese public holiday, not the year-end closure) at a given
 * Tokyo time, from now: tests that need an open or closed window stay true whenever they run.
 */
export function nextTokyoWeekday(weekday: number, hhmm: string, from = Date.now()): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  for (let day = 1; day < 60; day++) {
    const tokyoDate = new Date(from + day * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
    const at = Date.parse(
      `${tokyoDate}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00+09:00`,
    );
    const date = new Date(`${tokyoDate}T00:00:00Z`);
    const monthDay = tokyoDate.slice(5);
    if (
      date.getUTCDay() !== weekday ||
      holidayJp.isHoliday(tokyoDate) ||
      monthDay >= '12-29' ||
      monthDay <= '01-03'
    )
      continue;
    return at;
  }
  throw new Error('no ordinary weekday within 60 days');
}
