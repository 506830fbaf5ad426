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
