import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import { WATCH_OUTCOMES } from '../../core/ports/watch-notice.js';
import type { WatchDesk } from '../../core/watch/watch-desk.js';
import { planSchemaFor } from '../../core/watch/watch-plan.js';
import type { Logger } from '../../logger.js';
import { caseIdSchema, parseOr400, STAFF_IDS } from './playground-schemas.js';
import type { PracticeClock } from './practice-clock.js';

export interface WatchRoutesOptions {
  watch: WatchDesk;
  config: MunicipalityConfig;
  logger: Logger;
  now: () => Date;
  /** The skip-ahead clock; absent when the playground runs beside LINE. */
  clock?: PracticeClock | undefined;
  /** Runs whatever the clock made due (見守り steps, escalations) and delivers it. */
  runDue: () => Promise<void>;
}

const staffId = z.enum(STAFF_IDS);
const skipSchema = z.strictObject({
  minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
});

/**
 * 見守り in the playground: the staff pane's 見守りを始める and outcome buttons call the same WatchDesk
 * that Slack's buttons call; the practice clock moves time on to see check-ins arrive.
 */
export function mountWatchRoutes(router: Router, options: WatchRoutesOptions): void {
  const { watch, logger: log } = options;
  const proposeSchema = z.strictObject({ staffId, plan: planSchemaFor(options.config) });
  const outcomeSchema = z.strictObject({ staffId, outcome: z.enum(WATCH_OUTCOMES) });
  const caseId = (req: Request, res: Response) => parseOr400(caseIdSchema, req.params.caseId, res, 'caseId');

  router.get('/playground/api/watch/options', (_req, res) => {
    res.json({ slots: options.config.watch.slots, maxDurationDays: options.config.watch.maxDurationDays });
  });

  router.post('/playground/api/cases/:caseId/watch', async (req, res) => {
    const id = caseId(req, res);
    const body = id && parseOr400(proposeSchema, req.body, res, 'body');
    if (!id || !body) return;
    const result = await watch.propose(id, body.plan, { id: body.staffId });
    log.info({ caseId: id, outcome: result.kind }, '見守り offered from the playground');
    const status = result.kind === 'proposed' ? 200 : result.kind === 'not-found' ? 404 : 409;
    res.status(status).json({ kind: result.kind });
  });

  router.post('/playground/api/cases/:caseId/watch/outcome', async (req, res) => {
    const id = caseId(req, res);
    const body = id && parseOr400(outcomeSchema, req.body, res, 'body');
    if (!id || !body) return;
    const result = await watch.recordOutcome(id, body.outcome, { id: body.staffId });
    res.status(result.kind === 'recorded' ? 200 : 404).json({ kind: result.kind });
  });

  router.get('/playground/api/clock', (_req, res) => {
    res.json({
      now: options.now().toISOString(),
      timezone: options.config.timezone,
      canSkip: options.clock !== undefined,
    });
  });

  router.post('/playground/api/clock/skip', async (req, res) => {
    if (!options.clock) {
      res
        .status(409)
        .json({ error: 'clock_fixed', message: 'the clock moves only in a playground without LINE' });
      return;
    }
    const body = parseOr400(skipSchema, req.body, res, 'body');
    if (!body) return;
    // An hour at a time, so each check-in, its wait and the next one happen in their order.
    for (let left = body.minutes; left > 0; left -= 60) {
      options.clock.skip(Math.min(60, left));
      await options.runDue();
    }
    res.json({ now: options.now().toISOString() });
  });
}
