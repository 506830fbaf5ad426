import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { callButtons } from '../../../src/core/conversation/render-step.js';
import {
  loadMunicipalityConfig,
  MunicipalityConfigError,
  parseMunicipalityConfig,
} from '../../../src/core/municipality/load-municipality-config.js';
import { LOCALES } from '../../../src/core/vocabulary.js';
import { minimalMunicipalityConfig } from './minimal-municipality-config.js';

const brokenDir = path.resolve(import.meta.dirname, '../../fixtures/municipality-broken');

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(MunicipalityConfigError);
    const e = error as MunicipalityConfigError;
    expect(e.code).toBe('MUNICIPALITY_CONFIG_INVALID');
    for (const problem of e.problems) expect(e.message).toContain(problem);
    return e.problems;
  }
  throw new Error('expected the config to be refused');
}

describe('loadMunicipalityConfig', () => {
  it('loads the example from a path relative to the working directory', () => {
    expect(loadMunicipalityConfig('config/municipality.example.yaml').municipality.id).toBe(
      'komorebi-example',
    );
  });

  // Each fixture is otherwise valid, so exactly these problems (and no others) must be reported.
  it.each([
    ['missing-field-coverage.yaml', ['windows: no window handles field "disability"']],
    ['unknown-area.yaml', ['windows[1].areas[1]: unknown area "east" (line 24)']],
    ['close-before-open.yaml', ['windows[2].hours.mon[0].close: must be after open (line 35)']],
    ['duplicate-window-id.yaml', ['windows[2].id: duplicate window id "houkatsu-north" (line 29)']],
    ['bad-phone.yaml', ['windows[1].phone: must be a Japanese phone number']],
    ['area-not-covered.yaml', ['windows: field "elderly" is split by area but area "south" has no window']],
    [
      'two-coordination-windows.yaml',
      [
        'windows: needs exactly one coordination window (found 2)',
        'windows: needs at least one outreach window',
      ],
    ],
  ])('refuses %s, naming the file and the path', (file, expected) => {
    const problems = problemsOf(() => loadMunicipalityConfig(path.join(brokenDir, file)));
    expect(problems).toHaveLength(expected.length);
    expected.forEach((fragment, i) => {
      expect(problems[i]).toContain(`municipality-broken/${file}: `);
      expect(problems[i]).toContain(fragment);
    });
  });

  it('points at the line of a bad value', () => {
    const [problem] = problemsOf(() => loadMunicipalityConfig(path.join(brokenDir, 'bad-phone.yaml')));
    expect(problem).toMatch(/windows\[1\]\.phone: .* \(line 25\)$/);
  });

  it('reports a YAML syntax error with its line', () => {
    // Written at test time: an unparseable fixture in the repository would break `biome check .`.
    const dir = mkdtempSync(path.join(tmpdir(), 'madoguchi-municipality-'));
    const file = path.join(dir, 'syntax-error.yaml');
    writeFileSync(file, 'version: 1\nwindows: [\n  - id: a\n');
    try {
      const [problem] = problemsOf(() => loadMunicipalityConfig(file));
      expect(problem).toMatch(/syntax-error\.yaml:\d+: \S/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a key written twice instead of keeping the last one', () => {
    const problems = problemsOf(() => loadMunicipalityConfig(path.join(brokenDir, 'duplicate-key.yaml')));
    expect(problems).toEqual([
      expect.stringMatching(/municipality-broken\/duplicate-key\.yaml:6: Map keys must be unique/),
    ]);
  });

  it('reports a missing file without a stack of YAML noise', () => {
    const problems = problemsOf(() => loadMunicipalityConfig(path.join(brokenDir, 'no-such-file.yaml')));
    expect(problems).toEqual([expect.stringMatching(/no-such-file\.yaml: cannot be read \(ENOENT\)$/)]);
  });
});

describe('parseMunicipalityConfig', () => {
  it('accepts an object and names the given file in errors', () => {
    expect(parseMunicipalityConfig(minimalMunicipalityConfig(), 'inline.yaml').windows).toHaveLength(3);
    const { municipality: _m, ...noMunicipality } = minimalMunicipalityConfig();
    expect(problemsOf(() => parseMunicipalityConfig(noMunicipality, 'inline.yaml'))).toEqual([
      'inline.yaml: municipality: is required',
    ]);
  });

  it('lists every problem of one kind in one error', () => {
    const config = minimalMunicipalityConfig();
    const [first] = config.windows;
    if (!first) throw new Error('fixture has windows');
    first.phone = 'x';
    first.hours = { mon: [{ open: '9:00', close: '17:00' }] };
    expect(problemsOf(() => parseMunicipalityConfig(config, 'inline.yaml'))).toEqual([
      expect.stringContaining('inline.yaml: windows[0].phone: '),
      'inline.yaml: windows[0].hours.mon[0].open: must be HH:MM (00:00-24:00)',
    ]);
  });
});

describe('call buttons', () => {
  it('show the number and what it is in every language, within LINE’s 20 characters', () => {
    const config = loadMunicipalityConfig(path.resolve('config/municipality.example.yaml'));
    for (const language of LOCALES) {
      for (const button of callButtons(config.emergencyNumbers, language)) {
        expect(button.kind).toBe('call');
        if (button.kind !== 'call') continue;
        expect(button.label, `${language} ${button.phone}`).toContain(button.phone);
        expect([...button.label].length, button.label).toBeLessThanOrEqual(20);
        expect(button.label.length, button.label).toBeGreaterThan(button.phone.length);
      }
    }
  });
});
