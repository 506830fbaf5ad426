/**
 * The playground's "skip ahead" clock: real time plus an offset that only moves forward. It exists
 * only in a playground without LINE, so practising never moves time for a real resident.
 */
export class PracticeClock {
  private offsetMs = 0;

  constructor(private readonly base: () => Date = () => new Date()) {}

  now(): Date {
    return new Date(this.base().getTime() + this.offsetMs);
  }

  /** Moves the clock on; returns the new time. */
  skip(minutes: number): Date {
    this.offsetMs += Math.max(0, minutes) * 60_000;
    return this.now();
  }
}
