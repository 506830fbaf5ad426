import type { CaseDesk } from '../cases/case-desk.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { HandoffListener } from '../ports/handoff-listener.js';
import { nextOpeningText } from './handoff-receipt.js';
import type { Turn } from './turn.js';

/** While a case is open, the resident talks to staff: their messages are relayed, and they rate the close. */
export class OpenCaseRelay {
  constructor(
    private readonly desk: CaseDesk,
    private readonly handoff: HandoffListener,
    private readonly config: MunicipalityConfig,
    private readonly now: () => Date,
  ) {}

  /**
   * While a case is open and no flow runs, what the resident writes goes to staff and the bot stays
   * quiet; writing soon after a close reopens the same case, and the resident is told so.
   */
  async relay(turn: Turn): Promise<'relayed' | 'reopened' | false> {
    const caseId = turn.state.caseId;
    if (!caseId || turn.state.position || turn.event.content.type === 'choice') return false;
    let record = await this.desk.get(caseId);
    let reopened = false;
    if (record?.status === 'closed' && record.residentKey === turn.key && this.desk.canReopen(record)) {
      record = await this.desk.reopen(record);
      reopened = record !== null && record.status !== 'closed';
    }
    if (!record || record.status === 'closed' || record.residentKey !== turn.key) {
      turn.state.caseId = undefined;
      turn.state.urgent = false;
      return false;
    }
    await this.handoff.residentMessage(record, turn.event.content, turn.event.id);
    if (reopened) this.tellReopened(turn, record.windowId);
    return reopened ? 'reopened' : 'relayed';
  }

  private tellReopened(turn: Turn, windowId: string): void {
    const window = this.config.windows.find((w) => w.id === windowId);
    const when =
      window && !this.desk.isWindowOpen(windowId)
        ? nextOpeningText(turn, window, this.now(), this.config.timezone)
        : undefined;
    turn.say(when ? 'handoff.reopened-later' : 'handoff.reopened', when ? { when } : undefined);
  }

  /**
   * Words written beside a question while a case is open (at the menu, in the data menu): they go to
   * that case now, so that "担当者に伝えました" is true. False when no case is open.
   */
  async passOn(turn: Turn): Promise<boolean> {
    const caseId = turn.state.caseId;
    if (!caseId || turn.event.content.type === 'choice') return false;
    const record = await this.desk.get(caseId);
    if (!record || record.status === 'closed' || record.residentKey !== turn.key) return false;
    await this.handoff.residentMessage(record, turn.event.content, turn.event.id);
    return true;
  }

  /** The 1-5 answer after a case was closed. */
  async rate(turn: Turn, caseId: string, score: number): Promise<void> {
    if (await this.desk.rate(caseId, turn.key, score)) turn.say('handoff.rating-thanks');
  }
}
