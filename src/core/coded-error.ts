/**
 * Whether trying again can help: `temporary` for infrastructure that may recover (a deadline, a
 * conflicting writer, a store or API that did not answer), `permanent` for a bug or bad input that
 * will fail the same way every time.
 */
export type ErrorKind = 'temporary' | 'permanent';

/**
 * An error that crosses a boundary: a stable `code` (UPPER_SNAKE_CASE, never reworded once
 * published), whether retrying can help, and the original as `cause`.
 */
export class CodedError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** JavaScript's own errors for code that is wrong: retrying runs the same code again. */
const BUG_ERRORS = [TypeError, ReferenceError, RangeError, SyntaxError];

/**
 * Whether an error is worth retrying. Coded errors say so themselves; JavaScript's errors for
 * wrong code are permanent; anything else (a driver's or library's own error) is taken as
 * temporary, since the store and the network are what usually throw it.
 */
export function isTemporary(error: unknown): boolean {
  if (error instanceof CodedError) return error.kind === 'temporary';
  if (BUG_ERRORS.some((type) => error instanceof type)) return false;
  return true;
}
