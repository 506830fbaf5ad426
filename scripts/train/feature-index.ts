/**
 * The features a trainer keeps (those in at least `minDocumentFrequency` examples, sorted, so that
 * the same examples always give the same vocabulary) and each example as their indexes.
 */
export function indexFeatures(
  rawFeatures: string[][],
  minDocumentFrequency: number,
): { vocabulary: string[]; docs: number[][] } {
  const documentFrequency = new Map<string, number>();
  for (const features of rawFeatures)
    for (const f of features) documentFrequency.set(f, (documentFrequency.get(f) ?? 0) + 1);
  const vocabulary = [...documentFrequency]
    .filter(([, df]) => df >= minDocumentFrequency)
    .map(([f]) => f)
    .sort();
  const index = new Map(vocabulary.map((f, i) => [f, i]));
  const docs = rawFeatures.map((features) =>
    features.flatMap((f) => (index.has(f) ? [index.get(f) as number] : [])),
  );
  return { vocabulary, docs };
}
