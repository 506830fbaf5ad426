import type { FlowRunner } from './flow-runner.js';
import { ENTRY_POINTS, UNDERSTANDING_STEPS } from './load-flows.js';
import type { Turn } from './turn.js';

/** The resident's yes or no to a proposal: fill the question's options, or start the intake it offered. */
export async function answerProposal(turn: Turn, answer: 'yes' | 'no', runner: FlowRunner): Promise<void> {
  const proposal = turn.state.proposal;
  turn.state.proposal = undefined;
  const menu = ENTRY_POINTS.menu;
  if (!proposal) return runner.start(turn, menu.flow, menu.step);
  if (proposal.kind === 'fields' || proposal.kind === 'observations') {
    if (answer === 'yes') return runner.accept(turn, proposal.values);
    turn.say('proposal.declined');
    return runner.repeat(turn);
  }
  if (answer === 'no') {
    turn.say('proposal.declined');
    return runner.start(turn, menu.flow, menu.step);
  }
  const target = proposal.kind === 'start-neighbour' ? ENTRY_POINTS.neighbourIntake : ENTRY_POINTS.selfIntake;
  // The intake's own question for these values starts out answered (loadFlows checks it exists).
  const need = UNDERSTANDING_STEPS.find((n) => n.flow === target.flow);
  const step = need && runner.understandingStep(target.flow, need.understand);
  if (step) turn.state.answers[step.saveAs] = proposal.values;
  return runner.start(turn, target.flow);
}
