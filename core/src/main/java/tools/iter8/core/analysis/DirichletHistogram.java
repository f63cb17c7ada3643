package tools.iter8.core.analysis;

import java.util.List;
import tools.iter8.core.metrics.Histogram;

/**
 * A Dirichlet posterior over the buckets of a histogram: a Dirichlet(1/K, …, 1/K) prior (Perks: one
 * pseudo-observation spread over the K buckets, so the prior barely moves a distribution of 100
 * requests) updated with the bucket counts. From it, the posteriors of the distribution's mean and
 * quantiles, and the plug-in estimates Prometheus's {@code histogram_quantile} would show.
 *
 * <p>Within a bucket, values are taken as spread evenly, as Prometheus interpolates; the first bucket
 * starts at 0 (or at its bound, if that is not positive). The overflow ({@code +Inf}) bucket has no
 * upper bound: for the mean its observations count at the last finite bound, so a mean with much
 * overflow is a lower bound (the reason says so), and a quantile that falls in it is above every limit
 * beyond the last finite bound.
 */
final class DirichletHistogram {
  /** Total prior weight, spread evenly over the buckets. */
  static final double PRIOR_WEIGHT = 1;

  private final double[] lower;
  private final double[] upper;
  private final double[] counts;
  private final double[] alpha;
  private final double total;
  private final double alphaTotal;

  DirichletHistogram(Histogram histogram) {
    List<Histogram.Bucket> buckets = histogram.buckets();
    int k = buckets.size();
    if (k == 0) {
      throw new IllegalArgumentException("a histogram needs at least one bucket");
    }
    lower = new double[k];
    upper = new double[k];
    counts = histogram.counts();
    alpha = new double[k];
    double prior = PRIOR_WEIGHT / k;
    double sum = 0;
    for (int i = 0; i < k; i++) {
      upper[i] = buckets.get(i).upperBound();
      lower[i] = i == 0 ? Math.min(0, upper[0]) : upper[i - 1];
      alpha[i] = counts[i] + prior;
      sum += counts[i];
    }
    total = sum;
    alphaTotal = sum + PRIOR_WEIGHT;
  }

  /** The number of buckets. */
  int buckets() {
    return upper.length;
  }

  /** The bucket holding value x (the first whose upper bound is at or above it). */
  int boundIndex(double x) {
    for (int i = 0; i < upper.length; i++) {
      if (x <= upper[i]) {
        return i;
      }
    }
    return upper.length - 1;
  }

  /** Observations in all buckets. */
  double total() {
    return total;
  }

  /** The share of observations above the last finite bound. */
  double overflowShare() {
    int last = upper.length - 1;
    return Double.isInfinite(upper[last]) && total > 0 ? counts[last] / total : 0;
  }

  /**
   * The posterior of the mean Σ pᵢ·mᵢ (mᵢ the bucket midpoints), with its exact Dirichlet mean and
   * variance, approximated as Normal: the mean of at least the minimum sample is close to Normal, and the
   * approximation keeps probabilities closed-form.
   */
  NormalPosterior meanPosterior() {
    return meanPosterior(1);
  }

  /** The mean's posterior with its variance multiplied by {@code designEffect} ({@link Overdispersion}). */
  NormalPosterior meanPosterior(double designEffect) {
    double m1 = 0;
    double m2 = 0;
    for (int i = 0; i < alpha.length; i++) {
      double mid = midpoint(i);
      m1 += alpha[i] * mid;
      m2 += alpha[i] * mid * mid;
    }
    double mean = m1 / alphaTotal;
    double variance = Math.max(0, m2 / alphaTotal - mean * mean) / (alphaTotal + 1);
    double sd = Math.sqrt(variance * designEffect);
    // One bucket of zero width (every bound equal) has no spread; keep the posterior proper.
    return new NormalPosterior(mean, sd > 0 ? sd : Math.max(Math.abs(mean), 1) * 1e-9, "Dirichlet mean ≈");
  }

  HistogramQuantilePosterior quantilePosterior(double q) {
    return quantilePosterior(q, null);
  }

  /** @param designEffects per bucket bound, or null ({@link Overdispersion}) */
  HistogramQuantilePosterior quantilePosterior(double q, double[] designEffects) {
    double[] cumulativeAlpha = new double[alpha.length];
    double running = 0;
    for (int i = 0; i < alpha.length; i++) {
      running += alpha[i];
      cumulativeAlpha[i] = running;
    }
    return new HistogramQuantilePosterior(q, lower[0], upper.clone(), cumulativeAlpha, alphaTotal, designEffects);
  }

  /** The mean of the observed counts, overflow at the last finite bound. */
  double pointMean() {
    double sum = 0;
    for (int i = 0; i < counts.length; i++) {
      sum += counts[i] * midpoint(i);
    }
    return sum / total;
  }

  /** Prometheus's {@code histogram_quantile} on the observed counts. */
  double pointQuantile(double q) {
    double rank = q * total;
    double below = 0;
    for (int i = 0; i < counts.length; i++) {
      double above = below + counts[i];
      if (above >= rank && counts[i] > 0) {
        if (Double.isInfinite(upper[i])) {
          return lower[i];
        }
        return lower[i] + (upper[i] - lower[i]) * (rank - below) / counts[i];
      }
      below = above;
    }
    return lastFinite();
  }

  /** The value each observation in bucket i counts as for the mean: its midpoint, overflow at the last bound. */
  double midpoint(int i) {
    return Double.isInfinite(upper[i]) ? lower[i] : (lower[i] + upper[i]) / 2;
  }

  private double lastFinite() {
    int last = upper.length - 1;
    return Double.isInfinite(upper[last]) ? lower[last] : upper[last];
  }
}
