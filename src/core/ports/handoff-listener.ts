import type { Logger } from '../../logger.js';
import type { IncomingContent } from './incoming-event.js';
import type { CaseRecord } from './store.js';

/**
 * Where cases go once the conversation has done its part: a person must take them. The Slack
 * adapter implements this; without Slack the cases are stored and logged.
 */
export interface HandoffListener {
  /** A new case waits for a person. `afterHours`: its window is closed right now. */
  caseOpened(record: CaseRecord, context: { afterHours: boolean }): Promise<void>;
  /** An open case changed in a way staff must see: the intake finished, or a crisis was detected. */
  caseUpdated(record: CaseRecord, change: 'intake-completed' | 'crisis'): Promise<void>;
  /** The resident wrote again while their case is open. */
  residentMessage(record: CaseRecord, content: IncomingContent, eventId: string): Promise<void>;
  /** A closed case came back to life: the resident wrote again soon after it was closed. */
  caseReopened(record: CaseRecord): Promise<void>;
  /** The resident erased their data: staff see that it happened. */
  caseErased(record: CaseRecord): Promise<void>;
}

/** Without a staff channel, cases are kept in the store and announced in the log (no personal data). */
export function createLoggingHandoffListener(logger: Logger): HandoffListener {
  const log = logger.child({ component: 'handoff' });
  const describe = (r: CaseRecord) => ({
    caseNumber: r.number,
    windowId: r.windowId,
    fields: r.fields,
    urgent: r.urgent,
    status: r.status,
  });
  return {
    async caseOpened(record, context) {
      log.info({ ...describe(record), afterHours: context.afterHours }, 'case waiting for staff');
    },
    async caseUpdated(record, change) {
      log.info({ ...describe(record), change }, 'case updated');
    },
    async residentMessage(record, content) {
      log.info({ caseNumber: record.number, type: content.type }, 'resident wrote to an open case');
    },
    async caseReopened(record) {
      log.info(describe(record), 'case reopened');
    },
    async caseErased(record) {
      log.info({ caseNumber: record.number }, 'resident erased their data');
    },
  };
}
