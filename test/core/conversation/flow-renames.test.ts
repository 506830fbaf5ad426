import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/config.js';
import { bindIntake } from '../../../src/core/conversation/intake-bindings.js';
import { FlowError, loadFlows } from '../../../src/core/conversation/load-flows.js';
import { loadLocales } from '../../../src/i18n/load-locales.js';

/**
 * The measure of the typed intake: renaming a `saveAs` or a step in a flow either keeps working or
 * fails the check with the file and the path. Each test edits a copy of the shipped flows.
 */
const locales = loadLocales(path.join(projectRoot, 'locales'));
const copies: string[] = [];

function copyOfFlows(edit: Record<string, (yaml: string) => string>): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'madoguchi-flows-')), 'flows');
  cpSync(path.join(projectRoot, 'flows'), dir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}lexicon`) && !src.includes(`${path.sep}model`),
  });
  copies.push(path.dirname(dir));
  for (const [file, change] of Object.entries(edit)) {
    const at = path.join(dir, file);
    const before = readFileSync(at, 'utf8');
    const after = change(before);
    expect(after, `the edit of ${file} changed nothing`).not.toBe(before);
    writeFileSync(at, after);
  }
  return dir;
}

function problemsOf(dir: string): string[] {
  try {
    loadFlows(dir, locales);
  } catch (error) {
    expect(error).toBeInstanceOf(FlowError);
    return (error as FlowError).problems;
  }
  throw new Error('the edited flows were accepted');
}

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('renaming things in a flow', () => {
  it('fails the check, naming file and path, when a saveAs the handoff binds is renamed alone', () => {
    const dir = copyOfFlows({
      'intake-self.flow.yaml': (y) => y.replace('saveAs: urgency', 'saveAs: hurry'),
    });
    expect(problemsOf(dir)).toContain(
      'flows/intake-self.flow.yaml: steps.submit.intake.urgency: no step of this flow saves "urgency" (saveAs)',
    );
  });

  it('keeps working when a saveAs is renamed together with its binding: staff still get the urgency', () => {
    const dir = copyOfFlows({
      'intake-self.flow.yaml': (y) =>
        y.replace('saveAs: urgency', 'saveAs: hurry').replace('urgency: urgency', 'urgency: hurry'),
    });
    // A summary heading is needed for the new name (the confirm step lists answers by saveAs).
    const withHeading = {
      ...locales,
      ...Object.fromEntries(
        Object.entries(locales).map(([lang, namespaces]) => [
          lang,
          { ...namespaces, extra: { 'summary.hurry': 'x' } },
        ]),
      ),
    };
    const flows = loadFlows(dir, withHeading);
    const submit = flows.get('intake-self')?.steps.submit;
    if (submit?.type !== 'handoff') throw new Error('no handoff step');
    const { intake } = bindIntake(submit, { answers: { hurry: 'today' }, heard: {} }, { areas: [] });
    expect(intake.urgency).toBe('today');
  });

  it('fails the check when the origin answer is renamed alone', () => {
    const dir = copyOfFlows({
      'intake-self.flow.yaml': (y) => y.replace('saveAs: subject', 'saveAs: who'),
    });
    expect(problemsOf(dir)).toContain(
      'flows/intake-self.flow.yaml: steps.submit.origin.answer: no step of this flow saves "subject"',
    );
  });

  it('fails the check when an option id bound to a fixed list is renamed', () => {
    const dir = copyOfFlows({
      'intake-self.flow.yaml': (y) => y.replace('{ id: today,', '{ id: now,'),
    });
    expect(problemsOf(dir)).toContain(
      'flows/intake-self.flow.yaml: steps.submit.intake.urgency: option "now" of the step saving "urgency" is not one of today, soon, anytime',
    );
  });

  it('fails the check when a binding names a field the intake does not have', () => {
    const dir = copyOfFlows({
      'intake-self.flow.yaml': (y) => y.replace('      urgency: urgency\n', '      hurry: urgency\n'),
    });
    expect(
      problemsOf(dir).some((p) => p.startsWith('flows/intake-self.flow.yaml: steps.submit.intake')),
    ).toBe(true);
  });

  it('fails the check when the menu step the engine opens by name is renamed', () => {
    const dir = copyOfFlows({
      'welcome.flow.yaml': (y) =>
        y.replace('next: menu', 'next: choices').replace('  menu:\n', '  choices:\n'),
    });
    expect(problemsOf(dir)).toContain(
      'flows/welcome.flow.yaml: steps.menu: missing; the engine opens it by name (menu)',
    );
  });

  it('fails the check when the intake loses the step that accepted proposals fill', () => {
    const dir = copyOfFlows({
      'intake-neighbour.flow.yaml': (y) => y.replace('    understand: observations\n', ''),
    });
    expect(problemsOf(dir)).toContain(
      'flows/intake-neighbour.flow.yaml: steps: no multi-choice step with "understand: observations"; accepted proposals fill it',
    );
  });

  it('keeps working when any other step is renamed with the transitions that lead to it', () => {
    const dir = copyOfFlows({
      'intake-self.flow.yaml': (y) =>
        y.replace('  urgency:\n', '  how-soon:\n').replace(/next: urgency/g, 'next: how-soon'),
    });
    expect(loadFlows(dir, locales).get('intake-self')?.steps['how-soon']).toBeDefined();
  });
});
