import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/config.js';
import { FlowError, loadFlows, REQUIRED_FLOWS } from '../../../src/core/conversation/load-flows.js';
import { loadLocales } from '../../../src/i18n/load-locales.js';

const locales = loadLocales(path.join(projectRoot, 'locales'));
const broken = (name: string) => path.join(projectRoot, 'test', 'fixtures', 'flows-broken', name);

function problemsOf(dir: string): string[] {
  try {
    loadFlows(dir, locales);
  } catch (error) {
    expect(error).toBeInstanceOf(FlowError);
    return (error as FlowError).problems;
  }
  throw new Error(`${dir} was accepted`);
}

describe('loadFlows', () => {
  it('accepts the shipped flows, with every required flow', () => {
    const flows = loadFlows(path.join(projectRoot, 'flows'), locales);
    for (const id of REQUIRED_FLOWS) expect(flows.has(id)).toBe(true);
  });

  it('names the file and path of an unknown step, and the step it leaves unreachable', () => {
    const problems = problemsOf(broken('bad-target'));
    expect(problems).toContain(
      'bad-target/intake-self.flow.yaml: steps.words.next: no step "urgncy" in this flow',
    );
    expect(problems).toContain('bad-target/intake-self.flow.yaml: steps.urgency: unreachable from "who"');
  });

  it('refuses a choice that leads nowhere', () => {
    expect(problemsOf(broken('dead-end'))).toContain(
      'dead-end/emergency.flow.yaml: steps.danger.options[1]: leads nowhere (add next, goto or action: stop)',
    );
  });

  it('refuses a step nothing leads to', () => {
    expect(problemsOf(broken('unreachable'))).toContain(
      'unreachable/emergency.flow.yaml: steps.orphan: unreachable from "danger"',
    );
  });

  it("refuses more choices than LINE's 13 quick replies", () => {
    expect(problemsOf(broken('too-many'))).toContain(
      'too-many/language.flow.yaml: steps.pick: 20 choices; LINE shows at most 13',
    );
  });

  it('names the path of a schema error (a misspelt step type)', () => {
    const problems = problemsOf(broken('bad-shape'));
    expect(problems.some((p) => p.startsWith('bad-shape/welcome.flow.yaml: steps.menu.type:'))).toBe(true);
  });

  it('refuses a label too long for a LINE button, and text missing in a locale', () => {
    const tooLong = structuredClone(locales);
    (tooLong.en as Record<string, Record<string, string>>).conversation['welcome.menu.self'] =
      'About me or somebody in my family';
    delete (tooLong.vi as Record<string, Record<string, string>>).conversation['intake.confirm.send'];
    let problems: string[] = [];
    try {
      loadFlows(path.join(projectRoot, 'flows'), tooLong);
    } catch (error) {
      problems = (error as FlowError).problems;
    }
    expect(problems).toContain(
      'flows/welcome.flow.yaml: steps.menu: label "welcome.menu.self" in en is 33 characters; at most 20 fit a LINE button',
    );
    expect(problems).toContain(
      'flows/intake-self.flow.yaml: steps.confirm: text "intake.confirm.send" is missing in locale vi',
    );
  });
});
