import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadLexicon } from '/work/main/src/core/understanding/lexicon-schema.ts';

const pat = loadLexicon('/work/main/flows/lexicon/patterns.yaml', 'patterns');
const cri = loadLexicon('/work/main/flows/lexicon/crisis.yaml', 'crisis');
const items = parse(readFileSync('/work/main/test/fixtures/utterances.yaml', 'utf8')) as any[];
for (const it of items) {
  const need = new Set<string>();
  for (const p of it.patterns) for (const f of (pat.patterns as any)[p].impliesFields) need.add(f);
  for (const c of it.crisis) for (const f of (cri.crisis as any)[c].impliesFields) need.add(f);
  const miss = [...need].filter((f) => !it.fields.includes(f));
  if (miss.length) console.log(it.text, it.fields, it.patterns, it.crisis, 'missing', miss);
}
