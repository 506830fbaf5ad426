import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { allowedValues, type IntakeField, isIntakeField, SUBJECTS } from '../cases/intake.js';
import { CodedError } from '../coded-error.js';
import type { LocaleResources } from '../ports/translator.js';
import { type Flow, type FlowStep, flowSchema, type StepOfType, transitionOf } from './flow-schema.js';

/** LINE's quick reply limits: the strictest channel decides what a flow may ask. */
export const MAX_CHOICES = 13;
export const MAX_LABEL_LENGTH = 20;

/** Flows the engine itself relies on. */
export const REQUIRED_FLOWS = [
  'welcome',
  'intake-self',
  'intake-neighbour',
  'emergency',
  'my-data',
  'language',
];

/**
 * The places the engine starts by name (after a command, a declined proposal, a changed flow...).
 * loadFlows refuses a flow set where any of them is missing, so renaming one fails at the check,
 * not in a resident's conversation.
 */
export const ENTRY_POINTS = {
  welcome: { flow: 'welcome' },
  menu: { flow: 'welcome', step: 'menu' },
  selfIntake: { flow: 'intake-self' },
  neighbourIntake: { flow: 'intake-neighbour' },
  language: { flow: 'language' },
} as const satisfies Record<string, { flow: string; step?: string }>;
export type EntryPoint = keyof typeof ENTRY_POINTS;

/**
 * A proposal accepted before an intake starts ("is it about money?" yes) fills the intake's step
 * that understands that kind of free text; each intake flow must have one.
 */
export const UNDERSTANDING_STEPS = [
  { flow: ENTRY_POINTS.selfIntake.flow, understand: 'fields' },
  { flow: ENTRY_POINTS.neighbourIntake.flow, understand: 'observations' },
] as const;

export type FlowSet = ReadonlyMap<string, Flow>;

export class FlowError extends CodedError {
  constructor(readonly problems: string[]) {
    super(
      'FLOWS_INVALID',
      'permanent',
      `Invalid conversation flows:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

const FLOW_FILE = /\.flow\.ya?ml$/;

/**
 * Reads flows/*.flow.yaml, validates each with zod and checks them together against the locales:
 * unknown targets, unreachable steps, dead ends, LINE's limits, missing text. Throws FlowError
 * listing every problem with its file and path; the service refuses to boot on any of them.
 */
export function loadFlows(dir: string, locales: LocaleResources): FlowSet {
  const problems: string[] = [];
  const flows = new Map<string, Flow>();
  const fileOf = new Map<string, string>();
  for (const name of readdirSync(dir)
    .filter((f) => FLOW_FILE.test(f))
    .sort()) {
    const file = path.join(path.basename(dir), name);
    let raw: unknown;
    try {
      raw = parse(readFileSync(path.join(dir, name), 'utf8'));
    } catch (error) {
      problems.push(`${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    const parsed = flowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${file}: ${formatPath(issue.path)}: ${issue.message}`);
      continue;
    }
    if (flows.has(parsed.data.id))
      problems.push(`${file}: id: flow "${parsed.data.id}" is also defined in ${fileOf.get(parsed.data.id)}`);
    flows.set(parsed.data.id, parsed.data);
    fileOf.set(parsed.data.id, file);
  }
  for (const required of REQUIRED_FLOWS) {
    if (!flows.has(required)) problems.push(`${path.basename(dir)}: the "${required}" flow is missing`);
  }
  for (const flow of flows.values())
    problems.push(...checkFlow(flow, flows, locales).map((p) => `${fileOf.get(flow.id)}: ${p}`));
  problems.push(...checkEntryPoints(flows, fileOf));
  if (problems.length > 0) throw new FlowError(problems);
  return flows;
}

function formatPath(parts: PropertyKey[]): string {
  return (
    parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') ||
    '(root)'
  );
}

/** Every transition a step can take, with where in the step it is written. */
function transitionsOf(
  step: FlowStep,
): Array<{ at: string; next?: string; goto?: { flow: string; step?: string | undefined } }> {
  if (step.type === 'choice') {
    return step.options.flatMap((o, i) => {
      const t = transitionOf(o);
      return t ? [{ at: `options[${i}]`, ...t }] : [];
    });
  }
  if (step.type === 'handoff' || step.type === 'end') return [];
  const t = transitionOf(step);
  return t ? [{ at: '', ...t }] : [];
}

function checkFlow(flow: Flow, flows: FlowSet, locales: LocaleResources): string[] {
  const problems: string[] = [];
  const at = (stepId: string, rest = '') => `steps.${stepId}${rest ? `.${rest}` : ''}`;
  if (!flow.steps[flow.start]) problems.push(`start: no step "${flow.start}"`);

  for (const [id, step] of Object.entries(flow.steps)) {
    for (const t of transitionsOf(step)) {
      if (t.next && !flow.steps[t.next])
        problems.push(`${at(id, t.at)}.next: no step "${t.next}" in this flow`);
      if (t.goto) {
        const target = flows.get(t.goto.flow);
        if (!target) problems.push(`${at(id, t.at)}.goto.flow: no flow "${t.goto.flow}"`);
        else if (t.goto.step && !target.steps[t.goto.step])
          problems.push(`${at(id, t.at)}.goto.step: no step "${t.goto.step}" in flow "${t.goto.flow}"`);
      }
    }
    problems.push(...deadEnds(id, step).map((p) => `${at(id)}${p}`));
    if (step.type === 'handoff') problems.push(...checkBindings(flow, id, step));
    problems.push(...limits(step, locales).map((p) => `${at(id)}${p}`));
    for (const key of keysOf(step)) {
      for (const [language, namespaces] of Object.entries(locales)) {
        if (!Object.values(namespaces).some((keys) => keys[key] !== undefined))
          problems.push(`${at(id)}: text "${key}" is missing in locale ${language}`);
      }
    }
  }
  if (!locales.ja || Object.values(locales.ja).every((k) => k[flow.title] === undefined))
    problems.push(`title: text "${flow.title}" is missing in locale ja`);

  const reachable = new Set<string>();
  const queue = [flow.start];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (reachable.has(id) || !flow.steps[id]) continue;
    reachable.add(id);
    for (const t of transitionsOf(flow.steps[id] as FlowStep)) if (t.next) queue.push(t.next);
  }
  // A step another flow jumps to directly is reachable too.
  for (const other of flows.values()) {
    for (const step of Object.values(other.steps)) {
      for (const t of transitionsOf(step))
        if (t.goto?.flow === flow.id && t.goto.step) reachable.add(t.goto.step);
    }
  }
  for (const id of Object.keys(flow.steps))
    if (!reachable.has(id)) problems.push(`${at(id)}: unreachable from "${flow.start}"`);
  return problems;
}

function checkEntryPoints(flows: FlowSet, fileOf: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(ENTRY_POINTS)) {
    const flow = flows.get(entry.flow);
    if (flow && 'step' in entry && !flow.steps[entry.step])
      problems.push(
        `${fileOf.get(flow.id)}: steps.${entry.step}: missing; the engine opens it by name (${name})`,
      );
  }
  for (const need of UNDERSTANDING_STEPS) {
    const flow = flows.get(need.flow);
    if (
      flow &&
      !Object.values(flow.steps).some((s) => s.type === 'multi-choice' && s.understand === need.understand)
    )
      problems.push(
        `${fileOf.get(flow.id)}: steps: no multi-choice step with "understand: ${need.understand}"; accepted proposals fill it`,
      );
  }
  for (const intake of [ENTRY_POINTS.selfIntake.flow, ENTRY_POINTS.neighbourIntake.flow]) {
    const flow = flows.get(intake);
    if (flow && !Object.values(flow.steps).some((s) => s.type === 'handoff'))
      problems.push(`${fileOf.get(flow.id)}: steps: no handoff step; an intake must hand the case to staff`);
  }
  return problems;
}

/** Every answer a handoff binds to the intake is saved by a step of the flow, with values the intake accepts. */
function checkBindings(flow: Flow, id: string, step: StepOfType<'handoff'>): string[] {
  const problems: string[] = [];
  const savers = new Map<string, FlowStep>();
  for (const s of Object.values(flow.steps)) if ('saveAs' in s && s.saveAs) savers.set(s.saveAs, s);
  const origin = typeof step.origin === 'string' ? undefined : step.origin.answer;
  if (origin && !savers.has(origin))
    problems.push(`steps.${id}.origin.answer: no step of this flow saves "${origin}"`);
  const originSaver = origin ? savers.get(origin) : undefined;
  if (originSaver && 'options' in originSaver)
    for (const option of originSaver.options)
      if (!(SUBJECTS as readonly string[]).includes(option.id))
        problems.push(
          `steps.${id}.origin.answer: option "${option.id}" of the step saving "${origin}" is not one of ${SUBJECTS.join(', ')}`,
        );
  for (const [name, answer] of Object.entries(step.intake)) {
    const at = `steps.${id}.intake.${name}`;
    const saver = savers.get(answer);
    if (!saver) {
      problems.push(`${at}: no step of this flow saves "${answer}" (saveAs)`);
      continue;
    }
    const allowed = isIntakeField(name) ? allowedValues(name as IntakeField) : undefined;
    if (!allowed || !('options' in saver)) continue;
    for (const option of saver.options)
      if (!allowed.includes(option.id))
        problems.push(
          `${at}: option "${option.id}" of the step saving "${answer}" is not one of ${allowed.join(', ')}`,
        );
  }
  return problems;
}

function deadEnds(_id: string, step: FlowStep): string[] {
  switch (step.type) {
    case 'handoff':
    case 'end':
      return [];
    case 'choice':
      return step.options.flatMap((o, i) =>
        transitionOf(o) || o.action === 'stop'
          ? []
          : [`.options[${i}]: leads nowhere (add next, goto or action: stop)`],
      );
    default:
      // Stopping and erasing end the conversation by themselves.
      return transitionOf(step) ||
        (step.type === 'action' && (step.action === 'stop' || step.action === 'erase-data'))
        ? []
        : [': leads nowhere (add next or goto)'];
  }
}

function limits(step: FlowStep, locales: LocaleResources): string[] {
  const problems: string[] = [];
  const labels: string[] = [];
  if (step.type === 'choice') labels.push(...step.options.map((o) => o.label));
  if (step.type === 'multi-choice') labels.push(...step.options.map((o) => o.label), step.doneLabel);
  if (step.type === 'text' && step.skipLabel) labels.push(step.skipLabel);
  if (labels.length > MAX_CHOICES)
    problems.push(`: ${labels.length} choices; LINE shows at most ${MAX_CHOICES}`);
  for (const key of labels) {
    for (const [language, namespaces] of Object.entries(locales)) {
      const text = Object.values(namespaces).find((keys) => keys[key] !== undefined)?.[key];
      // Multi-choice labels get a "✓ " mark when chosen, so they must leave room for it.
      const room =
        step.type === 'multi-choice' && key !== step.doneLabel ? MAX_LABEL_LENGTH - 2 : MAX_LABEL_LENGTH;
      if (text !== undefined && [...text].length > room)
        problems.push(
          `: label "${key}" in ${language} is ${[...text].length} characters; at most ${room} fit a LINE button`,
        );
    }
  }
  return problems;
}

function keysOf(step: FlowStep): string[] {
  const keys = [...(step.intro ?? [])];
  if ('prompt' in step) keys.push(step.prompt);
  if ('text' in step && step.text) keys.push(...step.text);
  if (step.type === 'choice' || step.type === 'multi-choice') keys.push(...step.options.map((o) => o.label));
  if (step.type === 'multi-choice') keys.push(step.doneLabel);
  if (step.type === 'text' && step.skipLabel) keys.push(step.skipLabel);
  // The confirm step lists answers under these headings.
  if ('saveAs' in step && step.saveAs) keys.push(`summary.${step.saveAs}`);
  return keys;
}
