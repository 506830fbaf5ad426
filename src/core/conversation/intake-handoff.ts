import type { CaseDesk } from '../cases/case-desk.js';
import type { Intake } from '../cases/intake.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import { routeToWindow } from '../municipality/route-to-window.js';
import type { TextClassifier } from '../understanding/classify-text.js';
import type { FieldId, ObservationId, PatternId } from '../vocabulary.js';
import { isLifeLine } from './crisis-response.js';
import type { StepOfType } from './flow-schema.js';
import { tellCaseReceived } from './handoff-receipt.js';
import { rememberPatterns } from './heard-so-far.js';
import { bindIntake } from './intake-bindings.js';
import { callButtons } from './render-step.js';
import { forgetIntake } from './session-state.js';
import type { Turn } from './turn.js';

/**
 * Whether staff know who is consulting: a resident who leaves a phone number, or a neighbour who
 * may be contacted, is not anonymous; everyone else is.
 */
export function isAnonymous(intake: Pick<Intake, 'subject' | 'contact'>): boolean {
  return intake.subject === 'neighbour' ? intake.contact !== 'line' : intake.contact !== 'phone';
}

/**
 * Signs that someone living alone may have collapsed inside (安否確認): not seen for days together
 * with mail piling up or a smell. Such a report is urgent, and the reporter is told that 110 or 119
 * can check now.
 */
export function mayHaveCollapsed(observations: readonly string[]): boolean {
  return observations.includes('not_seen') && ['mail_piling', 'smell'].some((o) => observations.includes(o));
}

/** The handoff step: the flow's answers become the case's intake, routed to a window and handed to staff. */
export class IntakeHandoff {
  constructor(
    private readonly desk: CaseDesk,
    private readonly classifier: TextClassifier,
    private readonly config: MunicipalityConfig,
    private readonly now: () => Date,
  ) {}

  async handoff(turn: Turn, step: StepOfType<'handoff'>): Promise<void> {
    const { intake, ownWords } = bindIntake(step, turn.state, this.config);
    if (ownWords) rememberPatterns(turn.state, this.classifier.classify(ownWords).patterns);
    const subject = intake.subject ?? 'self';
    const patterns = (turn.state.heard.patterns ?? []) as PatternId[];
    const route = routeToWindow(this.config, {
      fields: intake.fields ?? [],
      patterns,
      origin: subject,
      observations: (intake.observations ?? []) as ObservationId[],
      ...(intake.area ? { area: intake.area } : {}),
    });
    const content = {
      windowId: route.windowId,
      fields: (intake.fields ?? []).filter((f): f is Exclude<FieldId, 'unknown'> => f !== 'unknown'),
      patterns,
      origin: subject,
      anonymous: isAnonymous(intake),
      answers: { ...intake, route: route.reason } satisfies Intake,
    };

    const welfareCheck = subject === 'neighbour' && mayHaveCollapsed(intake.observations ?? []);
    const existing = turn.state.caseId ? await this.desk.get(turn.state.caseId) : null;
    const record =
      existing && existing.status !== 'closed' && existing.residentKey === turn.key
        ? await this.desk.complete(existing.id, {
            ...content,
            ownWords: [existing.ownWords, ownWords].filter(Boolean).join('\n') || null,
          })
        : await this.desk.open({
            cause: `intake:${turn.event.id}`,
            residentKey: turn.key,
            channel: turn.event.channel,
            language: turn.language,
            urgent: turn.state.urgent || welfareCheck,
            ...content,
            ownWords,
          });
    if (!record) return;
    turn.state.caseId = record.id;
    forgetIntake(turn.state);
    tellCaseReceived(turn, this.config, {
      number: record.number,
      windowId: record.windowId,
      subject,
      contact: intake.contact,
      fields: record.fields,
      windowOpen: this.desk.isWindowOpen(record.windowId),
      now: this.now(),
    });
    if (welfareCheck) {
      // Last, where its call buttons show (LINE shows quick replies on the last message only): a life
      // may be at stake behind that door, and the police or fire brigade can look now.
      const now = this.config.emergencyNumbers.filter((n) => isLifeLine(n.phone));
      turn.sayText(turn.t('handoff.welfare-check'), callButtons(now, turn.language));
    }
  }
}
