import { CodedError } from './coded-error.js';

/** A call that did not answer within its deadline. Carries the method's name, like other boundary errors. */
export class DeadlineExceededError extends CodedError {
  declare readonly code: 'DEADLINE_EXCEEDED';
  constructor(
    readonly method: string,
    readonly deadlineMs: number,
  ) {
    super('DEADLINE_EXCEEDED', 'temporary', `${method} did not answer within ${deadlineMs} ms`);
  }
}

/**
 * Runs `work` and stops waiting for it after `ms`: every outbound call has a deadline, so one slow
 * dependency cannot hold a worker (and the residents queued behind it). The signal is aborted at the
 * deadline for callers that can pass it on; work that cannot be aborted (an SDK that takes no
 * signal) is abandoned, and whatever it answers later is ignored.
 */
export async function withDeadline<T>(
  method: string,
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(method, ms);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
