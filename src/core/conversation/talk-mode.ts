import type { CaseDesk } from '../cases/case-desk.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { QuickReply } from '../ports/outgoing-message.js';
import { encodeChoice } from './choice-data.js';
import { nextOpeningText } from './handoff-receipt.js';
import type { Turn } from './turn.js';

/** A resident writing several messages in a row is told once in this long that they are received. */
const ACK_EVERY_MS = 10 * 60_000;

/**
 * After an alarm the resident is not put back into a form: the conversation becomes a conversation
 * with the urgent case. Everything they write goes to that case (and to the staff thread once a
 * member of staff has accepted it); they are told honestly when a person will read it; the menu is
 * one tap away, and closing the case ends it.
 */
export class TalkMode {
  constructor(
    private readonly desk: CaseDesk,
    private readonly config: MunicipalityConfig,
    private readonly now: () => Date,
  ) {}

  /** Called once the crisis case is open: no question of a form follows. */
  enter(turn: Turn): void {
    const caseId = turn.state.caseId;
    if (!caseId) return;
    turn.state.position = undefined;
    turn.state.proposal = undefined;
    turn.state.resumePending = undefined;
    turn.state.talk = { caseId, since: this.now().toISOString() };
  }

  /** On while its case is the conversation's open case (closing the case clears that, and ends it). */
  isOn(turn: Turn): boolean {
    const talk = turn.state.talk;
    if (talk && talk.caseId !== turn.state.caseId) turn.state.talk = undefined;
    return turn.state.talk !== undefined;
  }

  leave(turn: Turn): void {
    turn.state.talk = undefined;
  }

  /** "ここで話を続ける": what happens to their words from now on, and when a person reads them. */
  async explain(turn: Turn): Promise<void> {
    const record = turn.state.caseId ? await this.desk.get(turn.state.caseId) : null;
    const window = record ? this.config.windows.find((w) => w.id === record.windowId) : undefined;
    const staffNow =
      record?.status === 'assigned' ||
      this.config.escalation.onCallUserGroup !== undefined ||
      (record !== null && this.desk.isWindowOpen(record.windowId));
    const when =
      !staffNow && window ? nextOpeningText(turn, window, this.now(), this.config.timezone) : undefined;
    turn.sayText(
      when
        ? turn.t('talk.later', { when })
        : turn.t(record?.status === 'assigned' ? 'talk.with-staff' : 'talk.now'),
      [this.menuButton(turn)],
    );
    if (turn.state.talk) turn.state.talk.lastAckAt = this.now().toISOString();
  }

  /** After a message went to the case: a short "received" now and then, never a question. */
  acknowledge(turn: Turn): void {
    const talk = turn.state.talk;
    if (!talk) return;
    const last = talk.lastAckAt ? Date.parse(talk.lastAckAt) : 0;
    if (this.now().getTime() - last < ACK_EVERY_MS) return;
    talk.lastAckAt = this.now().toISOString();
    turn.sayText(turn.t('talk.received'), [this.menuButton(turn)]);
  }

  private menuButton(turn: Turn): QuickReply {
    return {
      kind: 'choice',
      label: turn.t('talk.menu'),
      data: encodeChoice({ kind: 'command', command: 'restart' }),
    };
  }
}
