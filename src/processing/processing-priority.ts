import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { promisify } from 'node:util';
import type { ProcessingPriority } from '../config.js';

/** What the thread got: `idle` falls back to `low` where SCHED_IDLE cannot be set. */
export interface PriorityOutcome {
  priority: ProcessingPriority;
  /** Why it is not the one asked for (not Linux, no `chrt`), when it is not. */
  reason?: string;
}

/** Nice value of `low`, and of `idle` where it falls back. */
const LOW_NICE = 10;
/** `chrt` is a quick local program; one that hangs does not hold the thread's start. */
const CHRT_TIMEOUT_MS = 5_000;

const run = promisify(execFile);

/**
 * On Linux a thread is a task with an id of its own (/proc/thread-self): setpriority and
 * sched_setscheduler on that id apply to the calling thread alone. Node has setpriority
 * (os.setPriority) but not sched_setscheduler, so SCHED_IDLE is set with util-linux's `chrt`,
 * which is part of every Debian system (and of the image). Lowering a priority needs no privilege.
 */
export async function lowerThisThreadPriority(wanted: ProcessingPriority): Promise<PriorityOutcome> {
  if (wanted === 'normal') return { priority: 'normal' };
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) throw new Error('no thread id in /proc/thread-self');
    setPriority(tid, LOW_NICE);
  } catch (error) {
    return { priority: 'normal', reason: `no per-thread priority here (${describe(error)})` };
  }
  if (wanted === 'low') return { priority: 'low' };
  try {
    await run('chrt', ['--idle', '--pid', '0', String(tid)], { timeout: CHRT_TIMEOUT_MS });
    return { priority: 'idle' };
  } catch (error) {
    return { priority: 'low', reason: `chrt could not set SCHED_IDLE (${describe(error)})` };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] || error.name : String(error);
}
