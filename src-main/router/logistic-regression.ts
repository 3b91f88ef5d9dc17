import type { SparseVector } from './prompt-features';

/** One training example: features, a label in [0, 1] and how much it counts. */
export interface WeightedExample {
  x: SparseVector;
  y: number;
  weight: number;
}

/** A fitted logistic model over hash buckets: P(y = 1 | x) = σ(bias + Σ w·x). */
export interface LogisticModel {
  bias: number;
  /** Weight per bucket; buckets never seen in training have none (0). */
  weights: Map<number, number>;
}

export interface LogisticOptions {
  /** L2 penalty on the weights (not the bias), relative to the mean example loss. */
  l2: number;
  iterations: number;
}

export const DEFAULT_LOGISTIC_OPTIONS: LogisticOptions = { l2: 0.003, iterations: 400 };

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Fits L2-regularised logistic regression by full-batch gradient descent with Nesterov momentum. Full batches
 * make the fit a pure function of the examples (no sampling, so no seed to forget), and the objective is convex:
 * with unit-length features its gradient is (0.25 + l2)-Lipschitz, so a step of 1 / (0.25 + l2) never diverges.
 */
export function fitLogistic(examples: readonly WeightedExample[], options: LogisticOptions = DEFAULT_LOGISTIC_OPTIONS): LogisticModel {
  // Buckets → dense columns, in first-seen order, so the arithmetic runs over typed arrays.
  const column = new Map<number, number>();
  const rows = examples.map((e) => ({
    cols: Int32Array.from(e.x.indices, (bucket) => {
      let c = column.get(bucket);
      if (c === undefined) column.set(bucket, (c = column.size));
      return c;
    }),
    vals: Float64Array.from(e.x.values),
    y: e.y,
    w: e.weight,
  }));
  const totalWeight = rows.reduce((sum, r) => sum + r.w, 0);
  if (rows.length === 0 || !(totalWeight > 0)) return { bias: 0, weights: new Map() };
  const dims = column.size + 1; // the last column is the bias
  let current = new Float64Array(dims);
  let previous = new Float64Array(dims);
  const lookahead = new Float64Array(dims);
  const gradient = new Float64Array(dims);
  const step = 1 / (0.25 + options.l2);

  for (let t = 1; t <= options.iterations; t++) {
    const momentum = (t - 1) / (t + 2);
    for (let j = 0; j < dims; j++) lookahead[j] = current[j]! + momentum * (current[j]! - previous[j]!);
    gradient.fill(0);
    for (const row of rows) {
      let z = lookahead[dims - 1]!;
      for (let k = 0; k < row.cols.length; k++) z += lookahead[row.cols[k]!]! * row.vals[k]!;
      const residual = ((sigmoid(z) - row.y) * row.w) / totalWeight;
      for (let k = 0; k < row.cols.length; k++) gradient[row.cols[k]!]! += residual * row.vals[k]!;
      gradient[dims - 1]! += residual;
    }
    for (let j = 0; j < dims - 1; j++) gradient[j]! += options.l2 * lookahead[j]!;
    [previous, current] = [current, previous];
    for (let j = 0; j < dims; j++) current[j] = lookahead[j]! - step * gradient[j]!;
  }

  const weights = new Map<number, number>();
  for (const [bucket, c] of column) weights.set(bucket, current[c]!);
  return { bias: current[dims - 1]!, weights };
}

/** The model's probability for one example. */
export function predict(model: LogisticModel, x: SparseVector): number {
  let z = model.bias;
  for (let k = 0; k < x.indices.length; k++) z += (model.weights.get(x.indices[k]!) ?? 0) * x.values[k]!;
  return sigmoid(z);
}
