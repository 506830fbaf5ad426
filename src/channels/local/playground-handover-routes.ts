import type { Request, Response, Router } from 'express';
import type { HandoverDesk } from '../../core/cases/handover-desk.js';
import { handoverMarkdown } from '../../core/cases/handover-sheet.js';
import type { CaseRepository } from '../../core/ports/store.js';
import { renderHandoverPdf } from '../../documents/handover-sheet-pdf.js';
import type { Logger } from '../../logger.js';
import {
  caseIdSchema,
  handoverQuerySchema,
  handoverSchema,
  parseOr400,
  type StaffId,
} from './playground-schemas.js';

export interface HandoverRoutesOptions {
  handover: Pick<HandoverDesk, 'request' | 'build' | 'askConsent'>;
  cases: Pick<CaseRepository, 'get'>;
  logger: Logger;
  staffName: (staffId: StaffId) => string;
}

/**
 * つなぐシート in the playground: the staff pane asks for one (audited, and announced in the case
 * thread through the outbox like Slack's), then opens it as a PDF or reads it as Markdown. The sheet
 * is built from the case on each download: nothing is stored that erasure would have to find.
 */
export function mountHandoverRoutes(router: Router, options: HandoverRoutesOptions): void {
  const { handover, cases, logger } = options;

  router.post('/playground/api/cases/:caseId/handover-sheet', async (req, res) => {
    const id = parseOr400(caseIdSchema, req.params.caseId, res, 'caseId');
    const body = id && parseOr400(handoverSchema, req.body, res, 'body');
    if (!id || !body) return;
    if (body.ask) {
      const staff = { id: body.staffId, displayName: options.staffName(body.staffId) };
      const asked = await handover.askConsent(id, body.windowId, staff);
      logger.info(
        { caseId: id, action: 'handover-consent-ask', outcome: asked.kind },
        'staff action from the playground',
      );
      const status = {
        asked: 202,
        'not-found': 404,
        'unknown-window': 400,
        'cannot-ask': 409,
        'already-answered': 409,
      };
      res.status(status[asked.kind]).json(asked.kind === 'asked' ? { kind: asked.kind } : asked);
      return;
    }
    const result = await handover.request(
      id,
      body.windowId,
      { id: body.staffId, displayName: options.staffName(body.staffId) },
      body.consent,
    );
    logger.info(
      { caseId: id, action: 'handover-sheet', outcome: result.kind },
      'staff action from the playground',
    );
    const status = result.kind === 'requested' ? 202 : result.kind === 'not-found' ? 404 : 400;
    res
      .status(status)
      .json(result.kind === 'requested' ? { kind: result.kind, consent: result.consent } : result);
  });

  const download = (format: 'pdf' | 'md') => async (req: Request, res: Response) => {
    const id = parseOr400(caseIdSchema, req.params.caseId, res, 'caseId');
    const query = id && parseOr400(handoverQuerySchema, req.query, res, 'query');
    if (!id || !query) return;
    const record = await cases.get(id);
    if (!record) {
      res.status(404).json({ error: 'not_found' });
      return;
    }
    const sheet = await handover.build(record, query.window, query.consent === '1', query.by);
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'md') {
      res.type('text/markdown; charset=utf-8').send(handoverMarkdown(sheet));
      return;
    }
    const pdf = await renderHandoverPdf(sheet);
    res.setHeader('Content-Disposition', `inline; filename="${sheet.fileName}"`);
    res.type('application/pdf').send(pdf);
  };
  router.get('/playground/api/cases/:caseId/handover-sheet.pdf', download('pdf'));
  router.get('/playground/api/cases/:caseId/handover-sheet.md', download('md'));
}
