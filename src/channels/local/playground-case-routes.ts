import type { Request, Response, Router } from 'express';
import type { CaseActions } from '../../core/cases/case-actions.js';
import type { StaffRef } from '../../core/ports/staff-notice.js';
import type { CaseRecord } from '../../core/ports/store.js';
import type { Logger } from '../../logger.js';
import type { LocalSender } from './local-sender.js';
import {
  acceptSchema,
  caseIdSchema,
  closeSchema,
  parseOr400,
  replySchema,
  rerouteSchema,
  type StaffId,
  SUPERVISOR,
} from './playground-schemas.js';
import type { CaseView } from './staff-pane-view.js';

export interface CaseRoutesOptions {
  actions: CaseActions;
  sender: LocalSender;
  logger: Logger;
  now: () => Date;
  /** The case as the staff pane shows it (alert data only), in the language the request asked for. */
  view: (record: CaseRecord, req: Request) => CaseView;
  /** The name the resident may be told (only if the city opts in), for a staff id. */
  staffName: (staffId: StaffId) => string;
}

/** Expected outcomes of staff actions, as HTTP: the body always carries the outcome's `kind`. */
const STATUS: Record<string, number> = {
  accepted: 200,
  rerouted: 200,
  closed: 200,
  queued: 202,
  'not-found': 404,
  'unknown-window': 400,
  'not-owner': 403,
  unreachable: 410,
};
const statusOf = (kind: string) => STATUS[kind] ?? 409;

/**
 * 担当する / 他の窓口へ / クローズ / 住民に返信: the staff pane calls the same CaseActions that
 * Slack's buttons call. Who may act is the staff channel's business; here anyone on the pane may.
 */
export function mountCaseRoutes(router: Router, options: CaseRoutesOptions): void {
  const { actions, sender, now } = options;
  const log = options.logger;

  const caseId = (req: Request, res: Response) => parseOr400(caseIdSchema, req.params.caseId, res, 'caseId');
  const staff = (id: StaffId): StaffRef => ({ id, displayName: options.staffName(id) });
  const answer = (
    req: Request,
    res: Response,
    id: string,
    action: string,
    result: Record<string, unknown>,
  ) => {
    const { kind } = result as { kind: string };
    log.info({ caseId: id, action, outcome: kind }, 'staff action from the playground');
    const { record, ...rest } = result as { record?: CaseRecord };
    res.status(statusOf(kind)).json({ ...rest, ...(record ? { case: options.view(record, req) } : {}) });
  };

  router.post('/playground/api/cases/:caseId/accept', async (req, res) => {
    const id = caseId(req, res);
    const body = id && parseOr400(acceptSchema, req.body, res, 'body');
    if (!id || !body) return;
    const result = await actions.accept(id, staff(body.staffId));
    // Whoever holds it is what a second clicker needs to know ("already taken by ...").
    const extra = result.kind === 'taken' ? { assignee: result.record.assignee } : {};
    answer(req, res, id, 'accept', { ...result, ...extra });
  });

  router.post('/playground/api/cases/:caseId/reroute', async (req, res) => {
    const id = caseId(req, res);
    const body = id && parseOr400(rerouteSchema, req.body, res, 'body');
    if (!id || !body) return;
    answer(req, res, id, 'reroute', await actions.reroute(id, body.windowId, staff(body.staffId)));
  });

  router.post('/playground/api/cases/:caseId/close', async (req, res) => {
    const id = caseId(req, res);
    const body = id && parseOr400(closeSchema, req.body, res, 'body');
    if (!id || !body) return;
    const result = await actions.close(id, staff(body.staffId), {
      note: body.note || undefined,
      asSupervisor: body.staffId === SUPERVISOR,
    });
    answer(req, res, id, 'close', { ...result });
  });

  router.post('/playground/api/cases/:caseId/reply', async (req, res) => {
    const id = caseId(req, res);
    const body = id && parseOr400(replySchema, req.body, res, 'body');
    if (!id || !body) return;
    const result = await actions.reply(id, staff(body.staffId), body.text, body.replyId);
    if (result.kind === 'queued') sender.recordStaffReply(id, body, now());
    answer(req, res, id, 'reply', { ...result });
  });
}
