/**
 * Free-text understanding per message: the service's reading (dictionaries on the text, its
 * dictionary forms and readings, plus the statistical risk and field detectors) against a baseline measured in the
 * same run: the same dictionaries on the text alone, without the analyser or the model. Also the
 * one-off costs: loading the analyser and the model, in time and memory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createRiskAssessor } from '../src/core/understanding/assess-risk.js';
import { loadFieldModel } from '../src/core/understanding/field-model.js';
import { loadUnderstanding } from '../src/core/understanding/load-understanding.js';
import { loadRiskModel } from '../src/core/understanding/risk-model.js';
import { createLinderaMorphAnalyzer } from '../src/understanding/lindera-morph-analyzer.js';

// Texts from the training fixtures (never the blind sets, which stay out of everything but npm run eval).
function benchTexts(): string[] {
  const dir = 'test/fixtures/training';
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) =>
      (parse(readFileSync(path.join(dir, f), 'utf8')) as { text: string }[]).map((i) => i.text),
    );
}

function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

function time(run: (text: string) => void, texts: string[], rounds: number): { p50: number; p99: number } {
  for (const text of texts) run(text); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) {
      const started = process.hrtime.bigint();
      run(text);
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return percentiles(samples);
}

export interface UnderstandingFigures {
  messages: number;
  baseline: { p50: number; p99: number };
  madoguchi: { p50: number; p99: number };
  analyzerLoadMs: number;
  analyzerRssMb: number;
  modelLoadMs: number;
  modelHeapMb: number;
  fieldModelLoadMs: number;
  fieldModelHeapMb: number;
}

export function measureUnderstanding(rounds = 3): UnderstandingFigures {
  const texts = benchTexts();
  const lexiconDir = path.resolve('flows/lexicon');
  const baselineClassifier = loadUnderstanding(lexiconDir);
  const baseline = time(
    (text) => {
      baselineClassifier.readRisk(text);
      baselineClassifier.classify(text);
    },
    texts,
    rounds,
  );

  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let started = performance.now();
  const analyzer = createLinderaMorphAnalyzer();
  const analyzerLoadMs = performance.now() - started;
  const analyzerRssMb = (process.memoryUsage().rss - rssBefore) / 1e6;

  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  started = performance.now();
  const model = loadRiskModel(path.resolve('flows/model/risk-model.json'));
  const modelLoadMs = performance.now() - started;
  globalThis.gc?.();
  const modelHeapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;

  globalThis.gc?.();
  const fieldHeapBefore = process.memoryUsage().heapUsed;
  started = performance.now();
  const fieldModel = loadFieldModel(path.resolve('flows/model/field-model.json'));
  const fieldModelLoadMs = performance.now() - started;
  globalThis.gc?.();
  const fieldModelHeapMb = (process.memoryUsage().heapUsed - fieldHeapBefore) / 1e6;

  const classifier = loadUnderstanding(lexiconDir, analyzer, fieldModel);
  const risk = createRiskAssessor({ classifier, model });
  const madoguchi = time(
    (text) => {
      risk.assessLocally(text);
      classifier.classify(text);
    },
    texts,
    rounds,
  );
  return {
    messages: texts.length * rounds,
    baseline,
    madoguchi,
    analyzerLoadMs,
    analyzerRssMb,
    modelLoadMs,
    modelHeapMb,
    fieldModelLoadMs,
    fieldModelHeapMb,
  };
}

export function printUnderstanding(f: UnderstandingFigures): void {
  const ms = (n: number) => n.toFixed(3);
  console.log(
    `\nUnderstanding one message (risk tier + fields), ${f.messages} messages from the training fixtures`,
  );
  console.log(
    '| measure | baseline (dictionaries on the text) | madoguchi (+ readings, lemmas, models) | ratio |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const key of ['p50', 'p99'] as const) {
    console.log(
      `| ${key} (ms) | ${ms(f.baseline[key])} | ${ms(f.madoguchi[key])} | ${(f.madoguchi[key] / Math.max(f.baseline[key], 1e-6)).toFixed(1)} |`,
    );
  }
  console.log(
    `analyser load ${f.analyzerLoadMs.toFixed(0)} ms, +${f.analyzerRssMb.toFixed(0)} MB RSS; risk model load ${f.modelLoadMs.toFixed(0)} ms, +${f.modelHeapMb.toFixed(0)} MB heap; field model load ${f.fieldModelLoadMs.toFixed(0)} ms, +${f.fieldModelHeapMb.toFixed(0)} MB heap`,
  );
  console.log(`goal: p99 < 5 ms per message (${f.madoguchi.p99 < 5 ? 'met' : 'NOT met'})`);
}

if (import.meta.url === `file://${process.argv[1]}`) printUnderstanding(measureUnderstanding());
