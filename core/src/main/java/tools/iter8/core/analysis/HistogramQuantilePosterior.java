package tools.iter8.core.analysis;

import java.util.Arrays;
import org.apache.commons.math3.special.Beta;

/**
 * The posterior of the q-quantile Q of a histogram's distribution under its Dirichlet posterior
 * ({@link DirichletHistogram}). At a bucket bound b the answer is exact: Q ≤ b exactly when the share of
 * observations at or below b reaches q, and that share is Beta(A, α − A) distributed (A the Dirichlet
 * weight at or below b, α the total), so P(Q ≤ b) = 1 − I_q(A, α − A). Between two bounds the
 * probability is interpolated linearly, the same evenly-spread assumption Prometheus makes inside a
 * bucket; a limit placed on a bucket bound gets an exact verdict. A quantile in the overflow bucket lies
 * above the last finite bound, so it never meets a limit beyond that bound.
 *
 * <p>P(Q ≤ bound) is computed lazily, per bound, and cached: a verdict needs two bounds, a draw a binary
 * search over them.
 */
final class HistogramQuantilePosterior implements Posterior {
  private final double q;
  private final double start;
  private final double[] upper;
  private final double[] cumulativeAlpha;
  private final double alphaTotal;
  private final double[] atBound;
  private final double[] designEffects;

  HistogramQuantilePosterior(
      double q, double start, double[] upper, double[] cumulativeAlpha, double alphaTotal) {
    this(q, start, upper, cumulativeAlpha, alphaTotal, null);
  }

  /**
   * @param designEffects per bound, the factor the Dirichlet weights at and above the bound are divided by
   *     ({@link Overdispersion}), or null for none
   */
  HistogramQuantilePosterior(
      double q, double start, double[] upper, double[] cumulativeAlpha, double alphaTotal, double[] designEffects) {
    this.designEffects = designEffects;
    this.q = q;
    this.start = start;
    this.upper = upper;
    this.cumulativeAlpha = cumulativeAlpha;
    this.alphaTotal = alphaTotal;
    this.atBound = new double[upper.length];
    Arrays.fill(atBound, Double.NaN);
  }

  /** P(Q ≤ upper bound of bucket j). */
  private double atBound(int j) {
    double p = atBound[j];
    if (Double.isNaN(p)) {
      double d = designEffects == null ? 1 : designEffects[j];
      double a = cumulativeAlpha[j] / d;
      double b = (alphaTotal - cumulativeAlpha[j]) / d;
      p = b <= 1e-12 ? 1 : 1 - Beta.regularizedBeta(q, a, b);
      if (designEffects != null && j > 0) {
        // Design effects differ by bound; keep the distribution function monotone.
        p = Math.max(p, atBound(j - 1));
      }
      atBound[j] = p;
    }
    return p;
  }

  private double lowerBound(int j) {
    return j == 0 ? start : upper[j - 1];
  }

  private double belowBucket(int j) {
    return j == 0 ? 0 : atBound(j - 1);
  }

  /** P(Q ≤ x). */
  double cdf(double x) {
    if (x <= start) {
      return 0;
    }
    for (int j = 0; j < upper.length; j++) {
      if (Double.isInfinite(upper[j])) {
        // Beyond the last finite bound: only quantiles below it are known to be ≤ x.
        return belowBucket(j);
      }
      if (x <= upper[j]) {
        double from = lowerBound(j);
        double width = upper[j] - from;
        if (width <= 0) {
          return atBound(j);
        }
        double below = belowBucket(j);
        return below + (atBound(j) - below) * (x - from) / width;
      }
    }
    return 1;
  }

  @Override
  public double probabilityWithin(double lower, double upperLimit) {
    return Math.max(0, cdf(upperLimit) - cdf(lower));
  }

  /**
   * Inverse-transform draw from the marginal posterior of Q; a draw in the overflow bucket sits at the
   * last finite bound.
   */
  @Override
  public double sample(Sampler sampler) {
    double u = sampler.uniform();
    int finite = Double.isInfinite(upper[upper.length - 1]) ? upper.length - 1 : upper.length;
    if (finite == 0) {
      return start;
    }
    if (u > atBound(finite - 1)) {
      return upper[finite - 1];
    }
    int lo = 0;
    int hi = finite - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (atBound(mid) >= u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    double below = belowBucket(lo);
    double from = lowerBound(lo);
    double span = atBound(lo) - below;
    return span <= 0 ? upper[lo] : from + (upper[lo] - from) * (u - below) / span;
  }

  @Override
  public String describe() {
    return "Dirichlet posterior of p" + Figures.number(q * 100);
  }
}
