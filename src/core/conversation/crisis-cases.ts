import { answerList } from '../cases/answer-values.js';
import type { CaseDesk } from '../cases/case-desk.js';
import type { Intake } from '../cases/intake.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import { routeToWindow } from '../municipality/route-to-window.js';
import type { CrisisCategory, FieldId } from '../vocabulary.js';
import type { FlowRunner } from './flow-runner.js';
import type { Turn } from './turn.js';

/** Which crisis leads to which field, for a case a crisis opens before any intake was done. */
const CRISIS_FIELDS: Record<CrisisCategory, FieldId[]> = {
  suicide: ['isolation'],
  violence: ['violence'],
  child_abuse: ['children', 'violence'],
  elder_abuse: ['elderly', 'violence'],
  domestic_violence: ['violence'],
  medical: ['unknown'],
};

/** Danger now: the conversation's case becomes urgent, or an urgent case is opened at once. */
export class CrisisCases {
  constructor(
    private readonly desk: CaseDesk,
    private readonly config: MunicipalityConfig,
    private readonly runner: FlowRunner,
  ) {}

  /** `concern`: the resident's answer to the safety question, when it was asked. */
  async raise(
    turn: Turn,
    categories: CrisisCategory[],
    text: string,
    concern?: Intake['concern'],
    aboutSomeoneElse = false,
  ): Promise<void> {
    turn.state.urgent = true;
    if (turn.state.caseId) {
      const open = await this.desk.get(turn.state.caseId);
      // A neighbour who reported a worry and is now in danger themselves gets a case of their own:
      // their crisis never lands on the household they reported, and that report stays anonymous.
      const ownCrisisOnReport = open?.origin === 'neighbour' && !aboutSomeoneElse;
      if (open && open.status !== 'closed' && !ownCrisisOnReport) {
        const record = await this.desk.markCrisis(open.id, text);
        if (record && record.status !== 'closed') return;
      }
    }
    const chosen = this.runner.boundAnswer(turn, 'fields');
    const fields = [...new Set([...categories.flatMap((c) => CRISIS_FIELDS[c]), ...answerList(chosen)])];
    const known = fields.filter((f) => f !== 'unknown') as FieldId[];
    const subject = this.runner.subjectOf(turn);
    const route = routeToWindow(this.config, {
      fields: known.length > 0 ? known : ['unknown'],
      patterns: [],
      origin: subject,
    });
    const intake: Intake = {
      subject,
      crisis: categories,
      route: route.reason,
      ...(concern ? { concern } : {}),
    };
    const record = await this.desk.open({
      cause: `crisis:${turn.event.id}`,
      residentKey: turn.key,
      channel: turn.event.channel,
      origin: subject,
      anonymous: true,
      windowId: route.windowId,
      fields: known,
      patterns: [],
      urgent: true,
      language: turn.language,
      answers: intake,
      ownWords: text,
    });
    turn.state.caseId = record.id;
  }
}
