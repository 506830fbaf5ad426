import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

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
 * On Node 20 (V8 11) the collection frees the garbage but returns fewer of its pages.
 */
export function releaseStartMemory(): void {
  const collect = (globalThis as { gc?: Collect }).gc ?? collectorFromAContext();
  if (typeof collect !== 'function') return;
  if (collectsLastResort) collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  else collect();
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
