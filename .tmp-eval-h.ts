import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadUnderstanding } from '/work/main/src/core/understanding/load-understanding.ts';

const c = loadUnderstanding('/work/main/flows/lexicon');
const items = parse(readFileSync('/tmp/eval/holdout.yaml', 'utf8')) as any[];
const stat = (name: string, pairs: [string[], string[]][]) => {
  let tp = 0,
    fp = 0,
    fn = 0;
  for (const [g, p] of pairs) {
    for (const x of p) g.includes(x) ? tp++ : fp++;
    for (const x of g) if (!p.includes(x)) fn++;
  }
  console.log(
    name.padEnd(20),
    'P',
    (tp / (tp + fp)).toFixed(3),
    'R',
    (tp / (tp + fn)).toFixed(3),
    `tp${tp} fp${fp} fn${fn}`,
  );
};
const fieldPairs: [string[], string[]][] = [],
  patPairs: any[] = [],
  obsPairs: any[] = [],
  crisisBin: any[] = [],
  catPairs: any[] = [];
const show = process.argv.includes('-v');
for (const it of items) {
  const r = c.classify(it.text);
  const d = c.detectCrisis(it.text);
  fieldPairs.push([it.fields, r.fields]);
  patPairs.push([it.patterns, r.patterns]);
  if (it.speaker === 'neighbour') obsPairs.push([it.observations, r.observations]);
  crisisBin.push([it.crisis.length ? ['c'] : [], d.crisis ? ['c'] : []]);
  catPairs.push([it.crisis, d.categories]);
  const diff = (a: string[], b: string[]) => a.length !== b.length || a.some((x) => !b.includes(x));
  if (show) {
    const m: string[] = [];
    if (diff(it.fields, r.fields)) m.push(`F ${it.fields}→${r.fields}`);
    if (diff(it.patterns, r.patterns)) m.push(`P ${it.patterns}→${r.patterns}`);
    if (it.speaker === 'neighbour' && diff(it.observations, r.observations))
      m.push(`O ${it.observations}→${r.observations}`);
    if (it.crisis.length > 0 !== d.crisis) m.push(`C!! ${it.crisis}→${d.categories}`);
    else if (diff(it.crisis, d.categories)) m.push(`c ${it.crisis}→${d.categories}`);
    if (m.length) console.log(it.text, '|', m.join(' | '));
  }
}
stat('fields', fieldPairs);
stat('patterns', patPairs);
stat('observations', obsPairs);
stat('crisis(binary)', crisisBin);
stat('crisis categories', catPairs);
for (const f of ['elderly', 'disability', 'children', 'livelihood', 'isolation', 'violence'])
  stat(
    ' ' + f,
    fieldPairs.map(([g, p]) => [g.filter((x) => x === f), p.filter((x) => x === f)]),
  );
