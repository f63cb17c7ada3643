package tools.iter8.core.analysis;

/**
 * Turns the posterior preference over versions into a traffic split, the bandit of DESIGN §2.6.
 *
 * <p>With two versions, Thompson sampling: each version gets the share of posterior draws in which it is
 * the version to send traffic to (probability matching, so the split follows the evidence, and a version
 * likely to fail its objectives gets little traffic). With three or more, top-two Thompson sampling
 * (Russo 2016, β = ½): half the weight by Thompson, half to each version's chance of being the strongest
 * challenger, so traffic concentrates on the two contenders a decision hinges on. (With two versions
 * top-two is always 50/50, so it would not reduce exposure to a bad candidate.)
 *
 * <p>A version that has not yet served the minimum sample is explored at an even share (1/n) instead:
 * its posterior cannot give a verdict yet, and the prior of a rate (Jeffreys': 94% sure that a new
 * version fails more than 1% of requests) would starve it of the very traffic a verdict needs. Until the minimum
 * sample, a bad version costs about the same requests whatever its share, so the even share only makes
 * the decision come sooner; the caps still bound every step.
 *
 * <p>Then an additive exploration floor: every eligible version (not found infeasible at two looks in a
 * row) keeps {@code floor}
 * percent and the rest is split by the allocation, so the posterior of a version ranked low still
 * improves (GrowthBook's bandit does the same with 1%).
 */
final class BanditAllocation {
  /** The share of top-two traffic that follows plain Thompson sampling. */
  static final double TOP_TWO_BETA = 0.5;

  private BanditAllocation() {}

  /**
   * @param preference per version (spec order), summing to 1
   * @param eligible per version, whether it keeps the exploration floor
   * @param floor the exploration floor in percent
   * @return per version, percent summing to 100
   */
  static double[] allocate(double[] preference, boolean[] eligible, int floor) {
    double[] psi = preference.length >= 3 ? topTwo(preference) : preference.clone();
    int floors = 0;
    for (boolean e : eligible) {
      floors += e ? floor : 0;
    }
    // Validation keeps floor × versions ≤ 100; scale down rather than fail if it ever is not.
    double scale = floors > 100 ? 100.0 / floors : 1;
    double free = 100 - floors * scale;
    double[] percent = new double[psi.length];
    for (int i = 0; i < psi.length; i++) {
      percent[i] = (eligible[i] ? floor * scale : 0) + free * psi[i];
    }
    return percent;
  }

  /**
   * The preference with every version short of the minimum sample at 1/n; the versions that have it share
   * the rest in proportion to their preference (evenly if they have none).
   */
  static double[] evenUntilSampled(double[] preference, boolean[] sampled) {
    int n = preference.length;
    int unsampled = 0;
    double sampledMass = 0;
    for (int i = 0; i < n; i++) {
      if (sampled[i]) {
        sampledMass += preference[i];
      } else {
        unsampled++;
      }
    }
    if (unsampled == 0) {
      return preference.clone();
    }
    double rest = 1 - (double) unsampled / n;
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      if (!sampled[i]) {
        p[i] = 1.0 / n;
      } else {
        p[i] = sampledMass > 0 ? rest * preference[i] / sampledMass : rest / (n - unsampled);
      }
    }
    return p;
  }

  /**
   * ψᵢ = β·πᵢ + (1 − β)·πᵢ·Σ_{j≠i} πⱼ / (1 − πⱼ): P(i is the top draw or, when resampled, the
   * challenger).
   * When one version is certain to be best, the formula's limit: it keeps β and the others share the
   * challenger's 1 − β by preference (evenly if none has any).
   */
  static double[] topTwo(double[] pi) {
    int n = pi.length;
    double[] p = new double[n];
    double sum = 0;
    int top = 0;
    for (int i = 0; i < n; i++) {
      p[i] = Math.max(pi[i], 0);
      sum += p[i];
      top = p[i] > p[top] ? i : top;
    }
    for (int i = 0; i < n; i++) {
      p[i] /= sum;
    }
    double[] psi = new double[n];
    if (p[top] > 1 - 1e-9) {
      double others = sum(p) - p[top];
      for (int i = 0; i < n; i++) {
        psi[i] = i == top ? TOP_TWO_BETA : (1 - TOP_TWO_BETA) * (others > 0 ? p[i] / others : 1.0 / (n - 1));
      }
      return psi;
    }
    double[] ratio = new double[n];
    double ratios = 0;
    for (int j = 0; j < n; j++) {
      ratio[j] = p[j] / (1 - p[j]);
      ratios += ratio[j];
    }
    for (int i = 0; i < n; i++) {
      psi[i] = TOP_TWO_BETA * p[i] + (1 - TOP_TWO_BETA) * p[i] * (ratios - ratio[i]);
    }
    return psi;
  }

  private static double sum(double[] a) {
    double s = 0;
    for (double x : a) {
      s += x;
    }
    return s;
  }
}
