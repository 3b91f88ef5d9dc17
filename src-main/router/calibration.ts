/**
 * The threshold that sends at most `maxShare` of `scores` to the strong tier (score ≥ threshold): RouteLLM's
 * calibration, on the training prompts. It lies between the k-th and (k+1)-th highest score, k = ⌊maxShare·n⌋,
 * and above every score equal to the (k+1)-th, so ties never push the share over the limit.
 */
export function calibrateThreshold(scores: readonly number[], maxShare: number): number {
  if (!(maxShare >= 0 && maxShare <= 1)) throw new RangeError(`maxShare must be between 0 and 1, got ${maxShare}`);
  const descending = [...scores].sort((a, b) => b - a);
  const allowed = Math.floor(maxShare * descending.length + 1e-9);
  if (descending.length === 0) return 0.5;
  if (allowed >= descending.length) return 0;
  const firstLeftOut = descending[allowed]!;
  // The lowest score above the first one left out, if any: the threshold sits halfway to it.
  let above: number | undefined;
  for (let i = allowed - 1; i >= 0; i--) {
    if (descending[i]! > firstLeftOut) {
      above = descending[i]!;
      break;
    }
  }
  if (above === undefined) return firstLeftOut + 1e-9;
  return (firstLeftOut + above) / 2;
}
