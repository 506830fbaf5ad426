import type { TextClassifier } from '../understanding/classify-text.js';
import { encodeChoice } from './choice-data.js';
import { rememberPatterns, rememberWords } from './heard-so-far.js';
import { ENTRY_POINTS } from './load-flows.js';
import { startProposal } from './start-proposal.js';
import type { Turn } from './turn.js';

/**
 * Free text the engine understood is proposed, never acted on silently: "is it about money?" at a
 * question, or "would you like to report a worry about a neighbour?" outside one. The answer is
 * handled by answerProposal (proposal-answer.ts).
 */
export class FreeTextProposals {
  constructor(private readonly classifier: TextClassifier) {}

  /** At a step that understands free text: propose the options it seems to mean. false when none. */
  propose(turn: Turn, kind: 'fields' | 'observations', text: string): boolean {
    const result = this.classifier.classify(text);
    const values = kind === 'fields' ? result.fields : result.observations;
    rememberWords(turn.state, text);
    if (kind === 'fields') rememberPatterns(turn.state, result.patterns);
    if (values.length === 0) return false;
    turn.state.proposal = { kind, values };
    this.ask(
      turn,
      turn.list(values.map((v) => turn.t(`${kind === 'fields' ? 'field' : 'observation'}.${v}`))),
    );
    return true;
  }

  /**
   * Free text outside a question: if it sounds like a worry about someone else or about oneself,
   * offer the matching intake. `inFlow`: only offer when it clearly fits (at the welcome menu).
   */
  proposeStart(turn: Turn, text: string, inFlow = false): boolean {
    if (inFlow && turn.state.position?.flowId !== ENTRY_POINTS.welcome.flow) return false;
    const result = this.classifier.classify(text);
    if (!inFlow) rememberWords(turn.state, text);
    rememberPatterns(turn.state, result.patterns);
    const proposal = startProposal(result);
    if (!proposal) return false;
    turn.state.proposal = proposal;
    this.ask(
      turn,
      proposal.kind === 'start-neighbour'
        ? turn.t('proposal.neighbour')
        : turn.list(proposal.values.map((f) => turn.t(`field.${f}`))),
    );
    return true;
  }

  private ask(turn: Turn, about: string): void {
    turn.sayText(turn.t('proposal.question', { about }), [
      {
        kind: 'choice',
        label: turn.t('proposal.yes'),
        data: encodeChoice({ kind: 'proposal', answer: 'yes' }),
      },
      {
        kind: 'choice',
        label: turn.t('proposal.no'),
        data: encodeChoice({ kind: 'proposal', answer: 'no' }),
      },
    ]);
  }
}
