import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** V8's own factor (Node 20 to 24): the young generation doubles each time it grows. */
const V8_SEMI_SPACE_GROWTH_FACTOR = 2;

/** V8 12 (Node 22) and later collect "as a last resort" on request: compacted, with free pages returned. */
const collectsLastResort = Number(process.versions.v8.split('.')[0]) >= 12;

/**
 * Reading the dictionaries, the models, the flows and the locales leaves garbage behind: about
 * 80 MB on the processing thread and 35 MB on the HTTP thread (--trace-gc). V8 keeps those pages
 * until its memory reducer finds the thread quiet, which on Node 20 took about 30 s and on Node 24
 * (the image's runtime) had not happened 40 s after start: the idle service held 505 MB there, and
 * 300 MB with this collection. One collection once a thread has loaded, before it takes work, returns
 * them at once (tens of milliseconds).
 *
 * The collector is reached through the --expose-gc flag, which V8 applies to contexts created
 * after it is set: one vm context here, and the flag is cleared again, so nothing else sees gc()
 * (in a process started with --expose-gc, the global gc() is used and the flag left as it was).
 *
 * Node 20 (V8 11) has no such collection: a plain one frees the garbage but leaves the survivors
 * spread over the pages it shared with them, and keeps those pages (RSS grew with the residents'
 * data read at start: 284 / 326 / 327 MB at 1,000 / 10,000 / 100,000 residents). So there the one
 * collection also compacts, moving the survivors together and returning the emptied pages: 272 MB
 * at all three sizes in the same hour.
 */
export function releaseStartMemory(): void {
  const collect = (globalThis as { gc?: Collect }).gc ?? collectorFromAContext();
  if (typeof collect !== 'function') return;
  if (collectsLastResort) {
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    return;
  }
  setFlagsFromString('--compact-on-every-full-gc');
  try {
    collect();
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc');
  }
}

/** gc() from a fresh context, the flag set only while it is made (a process started with it keeps it). */
function collectorFromAContext(): Collect | undefined {
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as Collect | undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/**
 * While a thread loads, nearly everything it allocates is kept, and V8 reads a young generation whose
 * objects survive as one too small: it doubles it to its largest (two 16 MB semi-spaces). Node 20
 * (V8 11) never gives that back while the service runs; nothing in a collection asks it to, and each
 * thread of the idle service held 33 MB of empty young generation (v8.getHeapSpaceStatistics), 67 MB
 * of the 340 MB the bench read at 10,000 residents. So the young generation of the HTTP thread is
 * held at its first size until the service has started (hold-young-generation.ts, imported first by
 * main.ts), and may grow again under load from then on. The flag is the process's, read by V8 at
 * each resize of this thread's young generation; a worker thread's heap does not follow it, so the
 * processing thread has a limit of its own (processing-thread.ts).
 */
export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Lets the young generation grow again, by V8's own factor, once the service has loaded. */
export function letYoungGenerationGrow(): void {
  setFlagsFromString(`--semi-space-growth-factor=${V8_SEMI_SPACE_GROWTH_FACTOR}`);
}
