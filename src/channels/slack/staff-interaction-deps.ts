import type { CaseAudit } from '../../core/cases/case-audit.js';
import type { MunicipalityConfig } from '../../core/municipality/municipality-config-schema.js';
import type { CaseRepository } from '../../core/ports/store.js';
import type { Logger } from '../../logger.js';
import type { StaffAuthorizer } from './staff-authorizer.js';
import type { StaffText } from './staff-text.js';

/** What every staff action handler needs: the case, who may act, the words, the log and the audit. */
export interface StaffInteractionDeps {
  cases: Pick<CaseRepository, 'get'>;
  config: MunicipalityConfig;
  authorizer: StaffAuthorizer;
  text: StaffText;
  logger: Logger;
  audit?: CaseAudit | undefined;
}
