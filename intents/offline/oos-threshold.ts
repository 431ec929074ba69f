/**
 * How the out-of-scope threshold is chosen on validation data.
 *
 * Rule: the highest threshold on the best probability that costs at most `maxAccuracyLoss` of
 * in-scope accuracy. Rejecting a prediction that was already wrong costs nothing, so only the
 * correctly classified in-scope examples count: with N in-scope examples, p = maxAccuracyLoss · N
 * of them may fall below the threshold. The threshold is the sorted correct examples' best
 * probabilities read at position p + ½ (linear interpolation): for a whole p, halfway between
 * the last one rejected and the first one kept; for a small validation set (p < 1) still a
 * useful, proportionate value rather than zero.
 *
 * Why this objective: "in-scope accuracy + OOS recall" over-weights the (usually few) OOS
 * validation examples and drives the threshold up until accuracy collapses; a fixed accuracy
 * budget needs no OOS examples at all (our own catalog has none) and states the product
 * trade-off directly: "out-of-scope detection may turn away at most 1 in 200 requests we
 * would have understood".
 */
export interface ThresholdRecord {
  /** Best probability of the example. */
  top: number;
  /** The example is in scope and its best label is the gold label. */
  correctInScope: boolean;
}

export function chooseOosThreshold(
  records: readonly ThresholdRecord[],
  inScopeCount: number,
  maxAccuracyLoss: number,
): number {
  const kept = records
    .filter((r) => r.correctInScope)
    .map((r) => r.top)
    .sort((a, b) => a - b);
  if (maxAccuracyLoss <= 0 || kept.length === 0) return 0;
  // 1-based position into `kept`; position 0 reads as probability 0.
  const position = maxAccuracyLoss * inScopeCount + 0.5;
  if (position >= kept.length) return kept[kept.length - 1]!;
  const below = Math.floor(position);
  const lower = below === 0 ? 0 : kept[below - 1]!;
  return lower + (position - below) * (kept[below]! - lower);
}
