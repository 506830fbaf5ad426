import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { LocaleResources } from '../../i18n/load-locales.js';
import { type Flow, type FlowStep, flowSchema, transitionOf } from './flow-schema.js';

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

export type FlowSet = ReadonlyMap<string, Flow>;

export class FlowError extends Error {
  readonly code = 'FLOWS_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid conversation flows:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'FlowError';
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
