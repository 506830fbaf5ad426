import { softmax } from '../../src/core/understanding/risk-model.js';

/**
 * Training shared by the statistical detectors (scripts/train-risk-model.ts and
 * scripts/train-field-model.ts): a multinomial logistic regression over sparse binary features,
 * full batch with AdaGrad steps and a class-balanced loss, so the same data give the same weights.
 */
export interface SoftmaxOptions {
  epochs: number;
  l2: number;
  learningRate: number;
}

export interface SoftmaxWeights {
  bias: Float64Array;
  /** One row of class weights per feature index. */
  weights: Float64Array[];
}

export function trainSoftmax(
  docs: number[][],
  labels: number[],
  classes: number,
  featureCount: number,
  { epochs, l2, learningRate }: SoftmaxOptions,
): SoftmaxWeights {
  const weights = new Float64Array(featureCount * classes);
  const bias = new Float64Array(classes);
  const gradW = new Float64Array(featureCount * classes);
  const gradB = new Float64Array(classes);
  const squaredW = new Float64Array(featureCount * classes);
  const squaredB = new Float64Array(classes);
  const counts = new Array<number>(classes).fill(0);
  for (const y of labels) counts[y] = (counts[y] ?? 0) + 1;
  const classWeight = counts.map((c) => (c === 0 ? 0 : labels.length / (classes * c)));
  const n = docs.length;
  const scores = new Float64Array(classes);
  const step = (w: Float64Array, g: Float64Array, sq: Float64Array, i: number, gradient: number) => {
    sq[i] = (sq[i] as number) + gradient * gradient;
    w[i] = (w[i] as number) - (learningRate * gradient) / (Math.sqrt(sq[i] as number) + 1e-8);
    g[i] = 0;
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let d = 0; d < n; d++) {
      const features = docs[d] as number[];
      const y = labels[d] as number;
      scores.set(bias);
      for (const f of features)
        for (let k = 0; k < classes; k++)
          scores[k] = (scores[k] as number) + (weights[f * classes + k] as number);
      const p = softmax(Array.from(scores));
      const cw = classWeight[y] as number;
      for (let k = 0; k < classes; k++) {
        const g = cw * ((p[k] as number) - (k === y ? 1 : 0));
        gradB[k] = (gradB[k] as number) + g;
        for (const f of features) gradW[f * classes + k] = (gradW[f * classes + k] as number) + g;
      }
    }
    for (let k = 0; k < classes; k++) step(bias, gradB, squaredB, k, (gradB[k] as number) / n);
    for (let i = 0; i < weights.length; i++)
      step(weights, gradW, squaredW, i, (gradW[i] as number) / n + l2 * (weights[i] as number));
  }
  return {
    bias,
    weights: Array.from({ length: featureCount }, (_, f) => weights.subarray(f * classes, (f + 1) * classes)),
  };
}

export function predictProbabilities(model: SoftmaxWeights, features: number[]): number[] {
  const scores = Array.from(model.bias);
  for (const f of features)
    for (let k = 0; k < scores.length; k++)
      scores[k] = (scores[k] as number) + ((model.weights[f] as Float64Array)[k] as number);
  return softmax(scores);
}
