package tools.iter8.core.analysis;

/**
 * The original's weight constraints (reference §3.4, {@code get_weights} step 4), by version name instead
 * of list position (reference §7.2 item 2). For each candidate i: increase = M[i] − old[i];
 * excess = max(0, increase − maxCandidateWeightIncrement, M[i] − maxCandidateWeight); the excess moves to
 * the baseline. The baseline is never capped and decreases are never limited, so a losing candidate drops
 * at once. A capped candidate is set to its cap exactly, so rounding can never push it above.
 */
final class WeightCaps {
  private WeightCaps() {}

  /**
   * @param target per version (baseline first), percent summing to 100
   * @param old per version, the current weights
   * @return the capped split, still summing to 100
   */
  static double[] apply(double[] target, double[] old, int maxCandidateWeight, int maxIncrement) {
    double[] m = target.clone();
    for (int i = 1; i < m.length; i++) {
      double byIncrement = old[i] + maxIncrement;
      double cap = Math.min(byIncrement, maxCandidateWeight);
      if (m[i] > cap) {
        m[0] += m[i] - cap;
        m[i] = cap;
      }
    }
    return m;
  }
}
