import { SUBJECTS } from '../cases/intake.js';
import type { MunicipalityConfig } from '../municipality/municipality-config-schema.js';
import type { IncomingContent } from '../ports/incoming-event.js';
import { normalizeText } from '../understanding/normalize-text.js';
import type { ChoiceData } from './choice-data.js';
import type { Flow, FlowAction, FlowStep, IntakeBindings, StepOfType, Transition } from './flow-schema.js';
import { transitionOf } from './flow-schema.js';
import type { FlowSet } from './load-flows.js';
import { renderChoice, renderMultiChoice, renderText } from './render-step.js';
import type { Turn } from './turn.js';

/** What the runner needs from the rest of the engine for the steps that do more than talk. */
export interface FlowEffects {
  config: MunicipalityConfig;
  /** The handoff step: create (or complete) the case. */
  handoff(turn: Turn, step: StepOfType<'handoff'>): Promise<void>;
  action(turn: Turn, action: FlowAction, value?: string): Promise<void>;
  /** Free text at a step that understands it: propose what it seems to be about. Returns false when nothing was understood. */
  propose(turn: Turn, kind: 'fields' | 'observations', text: string): boolean;
}

type Subject = (typeof SUBJECTS)[number];

/** The longest chain of steps that run without waiting for the resident (guards against loops in data). */
const MAX_AUTO_STEPS = 20;

/** Walks flows: shows a step, takes the resident's answer, follows transitions. */
export class FlowRunner {
  constructor(
    private readonly flows: FlowSet,
    private readonly effects: FlowEffects,
  ) {}

  flow(id: string): Flow {
    const flow = this.flows.get(id);
    if (!flow) throw new Error(`flow "${id}" does not exist (flows are checked at boot: this is a bug)`);
    return flow;
  }

  /** Starts a flow (at its start or a given step). */
  async start(turn: Turn, flowId: string, stepId?: string): Promise<void> {
    const flow = this.flow(flowId);
    await this.enter(turn, flow, stepId ?? flow.start);
  }

  /** Puts the conversation at a step without showing it: the next answer is read against that step. */
  place(turn: Turn, flowId: string, stepId: string): void {
    const flow = this.flow(flowId);
    turn.state.position = { flowId: flow.id, flowVersion: flow.version, stepId };
  }

  /** Shows the current step again (after an interruption). */
  async repeat(turn: Turn): Promise<void> {
    const position = turn.state.position;
    if (!position) return;
    await this.enter(turn, this.flow(position.flowId), position.stepId);
  }

  /** The multi-choice step of a flow that understands this kind of free text (loadFlows checks it exists). */
  understandingStep(flowId: string, kind: 'fields' | 'observations'): StepOfType<'multi-choice'> | undefined {
    return Object.values(this.flow(flowId).steps).find(
      (s): s is StepOfType<'multi-choice'> => s.type === 'multi-choice' && s.understand === kind,
    );
  }

  private handoffStep(turn: Turn): StepOfType<'handoff'> | undefined {
    const flow = turn.state.position ? this.flows.get(turn.state.position.flowId) : undefined;
    return Object.values(flow?.steps ?? {}).find((s): s is StepOfType<'handoff'> => s.type === 'handoff');
  }

  /** The answer so far that the current flow's handoff binds to this intake field, if any. */
  boundAnswer(turn: Turn, field: keyof IntakeBindings): unknown {
    const answer = this.handoffStep(turn)?.intake[field];
    return answer === undefined ? undefined : turn.state.answers[answer];
  }

  /** Who the current flow is about, as its handoff step says (self when no intake is under way). */
  subjectOf(turn: Turn): Subject {
    const origin = this.handoffStep(turn)?.origin;
    if (origin === undefined) return 'self';
    if (typeof origin === 'string') return origin;
    return SUBJECTS.find((s) => s === turn.state.answers[origin.answer]) ?? 'self';
  }

  currentStep(turn: Turn): { flow: Flow; stepId: string; step: FlowStep } | undefined {
    const position = turn.state.position;
    if (!position) return undefined;
    const flow = this.flows.get(position.flowId);
    const step = flow?.steps[position.stepId];
    if (!flow || !step || flow.version !== position.flowVersion) return undefined;
    return { flow, stepId: position.stepId, step };
  }

  private async follow(
    turn: Turn,
    flow: Flow,
    transition: Transition | undefined,
    depth: number,
  ): Promise<void> {
    if (!transition) {
      turn.state.position = undefined;
      return;
    }
    if ('next' in transition) await this.enter(turn, flow, transition.next, depth + 1);
    else {
      const target = this.flow(transition.goto.flow);
      await this.enter(turn, target, transition.goto.step ?? target.start, depth + 1);
    }
  }

  private async enter(turn: Turn, flow: Flow, stepId: string, depth = 0): Promise<void> {
    if (depth > MAX_AUTO_STEPS) throw new Error(`flow "${flow.id}" loops without waiting for the resident`);
    const step = flow.steps[stepId];
    if (!step) throw new Error(`flow "${flow.id}" has no step "${stepId}"`);
    turn.state.position = { flowId: flow.id, flowVersion: flow.version, stepId };
    switch (step.type) {
      case 'message':
        for (const key of [...(step.intro ?? []), ...step.text]) turn.say(key);
        return this.follow(turn, flow, transitionOf(step), depth);
      case 'choice':
        renderChoice(
          turn,
          flow,
          stepId,
          step,
          this.effects.config,
          step.summary ? this.summary(turn) : undefined,
        );
        return;
      case 'multi-choice':
        renderMultiChoice(turn, flow, stepId, step, this.selection(turn, step));
        return;
      case 'text':
        renderText(turn, flow, stepId, step);
        return;
      case 'action':
        for (const key of step.intro ?? []) turn.say(key);
        await this.effects.action(turn, step.action);
        if (turn.erased || step.action === 'stop') return;
        return this.follow(turn, flow, transitionOf(step), depth);
      case 'handoff':
        for (const key of step.intro ?? []) turn.say(key);
        turn.state.position = undefined;
        await this.effects.handoff(turn, step);
        return;
      case 'end':
        for (const key of [...(step.intro ?? []), ...(step.text ?? [])]) turn.say(key);
        turn.state.position = undefined;
        return;
    }
  }

  /**
   * Gives the current step the resident's input. Returns false when the input is not an answer to
   * it (the engine then decides what else it could be).
   */
  async answer(turn: Turn, input: IncomingContent, choice: ChoiceData | null): Promise<boolean> {
    const current = this.currentStep(turn);
    if (!current) return false;
    const { flow, stepId, step } = current;
    const forThisStep = choice && 'flow' in choice && choice.flow === flow.id && choice.step === stepId;

    switch (step.type) {
      case 'choice': {
        const option =
          forThisStep && choice.kind === 'option'
            ? step.options.find((o) => o.id === choice.option)
            : input.type === 'text'
              ? this.optionByLabel(turn, step, input.text)
              : undefined;
        if (!option) return false;
        if (step.saveAs) turn.state.answers[step.saveAs] = option.id;
        for (const [k, v] of Object.entries(option.set ?? {})) turn.state.answers[k] = v;
        if (option.action) await this.effects.action(turn, option.action, option.value);
        if (turn.erased || option.action === 'stop') {
          turn.state.position = undefined;
          return true;
        }
        await this.follow(turn, flow, transitionOf(option), 0);
        return true;
      }
      case 'multi-choice': {
        let selected = this.selection(turn, step);
        if (forThisStep && choice.kind === 'toggle' && step.options.some((o) => o.id === choice.option)) {
          selected = this.toggle(step, selected, choice.option);
          turn.state.answers[step.saveAs] = selected;
          // A tap changes the selection: show it, without repeating the introduction.
          renderMultiChoice(turn, flow, stepId, step, selected, { again: true });
          return true;
        }
        if (forThisStep && choice.kind === 'done') {
          if (selected.length === 0) {
            turn.say('common.choose-one-or-more');
            renderMultiChoice(turn, flow, stepId, step, selected);
            return true;
          }
          await this.follow(turn, flow, transitionOf(step), 0);
          return true;
        }
        if (input.type === 'text') {
          const option = this.optionByLabel(turn, step, input.text);
          if (option) {
            turn.state.answers[step.saveAs] = this.toggle(step, selected, option.id);
            renderMultiChoice(turn, flow, stepId, step, turn.state.answers[step.saveAs] as string[]);
            return true;
          }
          if (step.understand) return this.effects.propose(turn, step.understand, input.text);
        }
        return false;
      }
      case 'text': {
        if (forThisStep && choice.kind === 'skip' && step.skipLabel) {
          await this.follow(turn, flow, transitionOf(step), 0);
          return true;
        }
        let value: string | undefined;
        if (input.type === 'text') value = input.text.slice(0, step.maxLength);
        if (input.type === 'location' && step.acceptsLocation) value = describeLocation(input);
        if (value === undefined) return false;
        this.record(turn, step.saveAs, value);
        await this.follow(turn, flow, transitionOf(step), 0);
        return true;
      }
      default:
        return false;
    }
  }

  /** Free text at a text step is the answer even when something else (a crisis) was also done with it. */
  recordTextAnswer(turn: Turn, text: string): boolean {
    const current = this.currentStep(turn);
    if (current?.step.type !== 'text') return false;
    this.record(turn, current.step.saveAs, text.slice(0, current.step.maxLength));
    const t = transitionOf(current.step);
    if (t && 'next' in t)
      turn.state.position = {
        ...(turn.state.position as NonNullable<typeof turn.state.position>),
        stepId: t.next,
      };
    return true;
  }

  /** Adds values to a multi-choice answer (a proposal the resident accepted) and shows the step again. */
  async accept(turn: Turn, values: string[]): Promise<void> {
    const current = this.currentStep(turn);
    if (current?.step.type !== 'multi-choice') return;
    const { step, flow, stepId } = current;
    let selected = this.selection(turn, step);
    for (const v of values)
      if (!selected.includes(v) && step.options.some((o) => o.id === v))
        selected = this.toggle(step, selected, v);
    turn.state.answers[step.saveAs] = selected;
    // The resident has just said yes to these: go straight on rather than ask again.
    if (selected.length > 0) return this.follow(turn, flow, transitionOf(step), 0);
    renderMultiChoice(turn, flow, stepId, step, selected);
  }

  private record(turn: Turn, key: string, value: string): void {
    const previous = turn.state.answers[key];
    turn.state.answers[key] =
      typeof previous === 'string' && previous && previous !== value ? `${previous}\n${value}` : value;
  }

  private selection(turn: Turn, step: StepOfType<'multi-choice'>): string[] {
    const value = turn.state.answers[step.saveAs];
    return Array.isArray(value) ? value.filter((v) => step.options.some((o) => o.id === v)) : [];
  }

  private toggle(step: StepOfType<'multi-choice'>, selected: string[], option: string): string[] {
    if (selected.includes(option)) return selected.filter((s) => s !== option);
    const exclusive = step.exclusive ?? [];
    if (exclusive.includes(option)) return [option];
    return [...selected.filter((s) => !exclusive.includes(s)), option];
  }

  private optionByLabel<O extends { label: string }>(
    turn: Turn,
    step: { options: O[] },
    text: string,
  ): O | undefined {
    const said = normalizeText(text);
    if (!said) return undefined;
    return step.options.find((o) => normalizeText(turn.t(o.label)) === said);
  }

  /** The answers so far, in the resident's language, for the confirm step. */
  summary(turn: Turn): string {
    const lines: string[] = [];
    const position = turn.state.position;
    const flow = position ? this.flows.get(position.flowId) : undefined;
    for (const step of Object.values(flow?.steps ?? {})) {
      if (!('saveAs' in step) || !step.saveAs) continue;
      const value = turn.state.answers[step.saveAs];
      if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
      const labelOf = (id: string) => {
        const option = 'options' in step ? step.options.find((o) => o.id === id) : undefined;
        return option ? turn.t(option.label) : id;
      };
      const shown = Array.isArray(value)
        ? turn.list(value.map(labelOf))
        : step.type === 'text'
          ? turn.t('common.quoted', { text: shorten(String(value), 80, turn.language) })
          : labelOf(String(value));
      lines.push(`・${turn.t(`summary.${step.saveAs}`)}: ${shown}`);
    }
    return lines.length > 0 ? `${turn.t('summary.heading')}\n${lines.join('\n')}` : '';
  }
}

/**
 * The resident's own words, shortened for a summary at a word boundary of their language (never in
 * the middle of a word or a Japanese compound), with an ellipsis when anything was left out.
 */
export function shorten(text: string, max: number, language: string): string {
  if ([...text].length <= max) return text;
  const segmenter = new Intl.Segmenter(language === 'ja-easy' ? 'ja' : language, { granularity: 'word' });
  let kept = '';
  for (const { segment } of segmenter.segment(text)) {
    if ([...kept].length + [...segment].length > max) break;
    kept += segment;
  }
  // A single word longer than the limit: better cut it than show nothing.
  if (kept.trim() === '') kept = [...text].slice(0, max).join('');
  return `${kept.trimEnd()}…`;
}

function describeLocation(input: Extract<IncomingContent, { type: 'location' }>): string {
  const place = [input.title, input.address].filter(Boolean).join(' ');
  return `${place ? `${place} ` : ''}(${input.latitude.toFixed(5)}, ${input.longitude.toFixed(5)})`;
}
