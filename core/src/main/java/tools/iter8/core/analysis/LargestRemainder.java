package tools.iter8.core.analysis;

/**
 * Rounds a split to integer percentages summing to 100 by the largest-remainder method: every value is
 * rounded down, and the points still missing go to the largest fractional parts, ties to the earlier
 * version in spec order. Deterministic, unlike the original's randomised rounding (reference §3.4
 * step 5), and never more than one point from the exact value.
 */
final class LargestRemainder {
  /** Values closer than this are equal: float noise must not decide who gets a point. */
  private static final double TIE = 1e-9;

  private LargestRemainder() {}

  /** @param weights non-negative, with a positive sum; scaled to 100 first */
  static int[] round(double[] weights) {
    int n = weights.length;
    double total = 0;
    for (double w : weights) {
      total += Math.max(0, w);
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("a split needs a positive total");
    }
    int[] rounded = new int[n];
    double[] fraction = new double[n];
    int sum = 0;
    for (int i = 0; i < n; i++) {
      double v = Math.max(0, weights[i]) * 100 / total;
      double nearest = Math.rint(v);
      // A value a hair off an integer is that integer.
      rounded[i] = (int) (Math.abs(v - nearest) < TIE ? nearest : Math.floor(v));
      fraction[i] = Math.max(0, v - rounded[i]);
      sum += rounded[i];
    }
    boolean[] given = new boolean[n];
    for (int missing = 100 - sum; missing > 0; missing--) {
      int pick = -1;
      for (int i = 0; i < n; i++) {
        if (!given[i] && (pick < 0 || fraction[i] > fraction[pick] + TIE)) {
          pick = i;
        }
      }
      rounded[pick]++;
      given[pick] = true;
    }
    return rounded;
  }
}
