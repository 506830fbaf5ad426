import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LINE_SECRET, LINE_TOKEN } from '../support/line-webhook-bodies.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';
import { tempDataDir } from '../support/test-service.js';

/** sched(7): SCHED_OTHER and SCHED_IDLE as /proc reports them. */
const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

interface ThreadScheduling {
  tid: number;
  nice: number;
  policy: number;
}

/** Each thread's nice value and scheduling policy (fields 19 and 41 of /proc/<pid>/task/<tid>/stat). */
function threadsOf(pid: number): ThreadScheduling[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start with field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { tid: Number(tid), nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
  });
}

function hasChrt(): boolean {
  try {
    execFileSync('chrt', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * PROCESSING_PRIORITY, on a real process: the processing thread steps aside for the thread that
 * acknowledges webhooks, and nothing else in the process is lowered with it.
 */
describe.skipIf(process.platform !== 'linux' || !hasChrt())('the processing thread priority', () => {
  const running: Array<{ proc: ServiceProcess; data: ReturnType<typeof tempDataDir> }> = [];
  afterEach(async () => {
    for (const { proc, data } of running.splice(0)) {
      await proc.kill('SIGKILL');
      data.remove();
    }
  });

  async function threadsOfService(priority: string): Promise<ThreadScheduling[]> {
    const data = tempDataDir();
    const proc = startServiceProcess({
      LINE_CHANNEL_SECRET: LINE_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
      DATA_DIR: data.dir,
      PROCESSING_PRIORITY: priority,
      LOG_LEVEL: 'debug',
    });
    running.push({ proc, data });
    await proc.url();
    expect(proc.output().out).toContain('conversations are handled on a processing thread');
    expect(proc.output().out).not.toContain('another priority than asked');
    const pid = proc.child.pid as number;
    const threads = threadsOf(pid);
    // The HTTP thread (its id is the process's) keeps the process's priority.
    expect(threads.find((t) => t.tid === pid)).toMatchObject({ nice: 0, policy: SCHED_OTHER });
    return threads;
  }

  it('with PROCESSING_PRIORITY=idle (the default) puts the processing thread, and it alone, in the idle class', async () => {
    const threads = await threadsOfService('idle');
    const lowered = threads.filter((t) => t.policy !== SCHED_OTHER || t.nice !== 0);
    expect(lowered).toHaveLength(1);
    expect(lowered[0]?.policy).toBe(SCHED_IDLE);
  }, 90_000);

  it('with PROCESSING_PRIORITY=low gives it nice 10 instead', async () => {
    const threads = await threadsOfService('low');
    expect(threads.filter((t) => t.policy !== SCHED_OTHER)).toEqual([]);
    expect(threads.filter((t) => t.nice !== 0).map((t) => t.nice)).toEqual([10]);
  }, 90_000);

  it('with PROCESSING_PRIORITY=normal leaves every thread as it is', async () => {
    const threads = await threadsOfService('normal');
    expect(threads.filter((t) => t.policy !== SCHED_OTHER || t.nice !== 0)).toEqual([]);
  }, 90_000);
});
