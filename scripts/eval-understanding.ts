import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadMunicipalityConfig } from '../src/core/municipality/load-municipality-config.js';
import { readBlindSet } from './eval/blind-set.js';
import { evaluate } from './eval/evaluate-understanding.js';
import { formatEvaluation, formatMisses } from './eval/format-evaluation.js';
import { loadUnderstandingUnderTest } from './eval/understanding-under-test.js';

/**
 * `npm run eval`: measures crisis tiers and first-proposal windows on the blind sets.
 * `--set dev` (default) is the development set; `--set sealed` is measured once, after tuning;
 * `--misses` lists what the development set got wrong. `--no-model` measures the dictionaries alone,
 * `--no-field-model` routes by the dictionaries alone, and `--field-model <file>` uses another field
 * model (one trained with `npm run train:fields -- --hold-out <set> --out <file>`).
 */
const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'dev' },
    misses: { type: 'boolean', default: false },
    'no-model': { type: 'boolean', default: false },
    'no-field-model': { type: 'boolean', default: false },
    'field-model': { type: 'string' },
    config: { type: 'string', default: 'config/municipality.example.yaml' },
  },
});
const files: Record<string, string> = {
  dev: 'test/fixtures/eval/blind-dev.yaml',
  sealed: 'test/fixtures/eval/sealed.yaml',
};
const file = files[values.set] ?? values.set;
if (values.misses && values.set === 'sealed') {
  console.error('The sealed set is measured, never read: --misses is for the development set.');
  process.exit(2);
}
const understanding = loadUnderstandingUnderTest(process.cwd(), {
  model: !values['no-model'],
  fieldModel: values['no-field-model'] ? false : values['field-model'],
});
const config = loadMunicipalityConfig(path.resolve(values.config));
const evaluation = evaluate(understanding, config, readBlindSet(file));
console.log(formatEvaluation(file, evaluation));
if (values.misses) console.log(`\n-- misses\n${formatMisses(evaluation)}`);
