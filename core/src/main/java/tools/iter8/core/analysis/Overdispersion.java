package tools.iter8.core.analysis;

import java.util.Map;

/**
 * How much a metric swings from one iteration to the next beyond what independent requests explain, and
 * what that does to each version's effective sample.
 *
 * <p>The observations are totals since the start, so a posterior built from them alone treats every
 * request as independent. When the whole environment swings minute to minute (a slow dependency, a noisy
 * neighbour), requests of the same iteration are alike, and a version whose sample comes from a few
 * iterations knows less than its request count says. With the per-iteration history
 * ({@link AnalysisInput#history()}) the increments of every iteration are known; the analysis estimates
 * the intra-iteration correlation ρ of the metric by moments from the Pearson statistic of the
 * per-iteration values (Williams 1982), pooled over the versions, each around its own mean and scaled by
 * its own spread (so neither a real difference between versions nor a version's larger variance is taken
 * for a swing), and divides each version's counts by its design effect D = 1 + ρ(n̄ − 1), where
 * n̄ = Σ nₜ²/N is its requests-weighted mean iteration size (Kish 1965). A version whose sample is spread
 * over many small iterations loses little; one whose sample is one large iteration is one cluster.
 *
 * <p>ρ is estimated per quantity judged: the event rate of a Rate metric, the mean of a histogram, and for
 * quantiles the share of observations at or below each bucket bound. With fewer than {@link #MIN_DF}
 * between-iteration degrees of freedom, or without history, ρ is 0 and nothing changes.
 */
final class Overdispersion {
  /** Between-iteration degrees of freedom (over all versions) below which ρ is not estimated. */
  static final int MIN_DF = 1;

  /** No swing beyond independent requests: every design effect is 1. */
  static final Overdispersion NONE = new Overdispersion(0, Map.of(), "");

  private final double rho;
  private final Map<String, double[]> intervalSizes;
  private final String basis;

  private Overdispersion(double rho, Map<String, double[]> intervalSizes, String basis) {
    this.rho = rho;
    this.intervalSizes = intervalSizes;
    this.basis = basis;
  }

  double rho() {
    return rho;
  }

  /** The design effect of {@code version}'s total: 1 when there is no swing or no history for it. */
  double designEffect(String version) {
    double[] n = intervalSizes.get(version);
    if (rho <= 0 || n == null) {
      return 1;
    }
    double total = 0;
    double squares = 0;
    for (double x : n) {
      total += x;
      squares += x * x;
    }
    return total <= 0 ? 1 : 1 + rho * Math.max(0, squares / total - 1);
  }

  /** For reasons: "ICC 0.012 over 14 iterations". */
  String basis() {
    return basis;
  }

  /**
   * Events among trials per iteration, per version.
   *
   * @param events per version, events (or trials × fraction) per iteration
   * @param trials per version, trials per iteration, aligned with {@code events}
   */
  static Overdispersion binary(Map<String, double[]> events, Map<String, double[]> trials) {
    Pearson x = new Pearson();
    for (Map.Entry<String, double[]> e : trials.entrySet()) {
      double[] n = e.getValue();
      double[] k = events.get(e.getKey());
      double total = 0;
      double hits = 0;
      double[] means = new double[n.length];
      for (int t = 0; t < n.length; t++) {
        if (n[t] > 0) {
          total += n[t];
          hits += k[t];
          means[t] = k[t] / n[t];
        }
      }
      double p = total > 0 ? hits / total : 0;
      x.add(n, means, p, p * (1 - p));
    }
    return x.result(trials);
  }

  /**
   * A continuous quantity per iteration, per version: its count, sum and sum of squares per iteration.
   */
  static Overdispersion continuous(
      Map<String, double[]> counts, Map<String, double[]> sums, Map<String, double[]> squares) {
    Pearson x = new Pearson();
    for (Map.Entry<String, double[]> e : counts.entrySet()) {
      double[] n = e.getValue();
      double[] s1 = sums.get(e.getKey());
      double[] s2 = squares.get(e.getKey());
      double total = 0;
      double sum = 0;
      double within = 0;
      int m = 0;
      double[] means = new double[n.length];
      for (int t = 0; t < n.length; t++) {
        if (n[t] > 0) {
          total += n[t];
          sum += s1[t];
          within += s2[t] - s1[t] * s1[t] / n[t];
          means[t] = s1[t] / n[t];
          m++;
        }
      }
      if (total - m > 0) {
        x.add(n, means, sum / total, within / (total - m));
      }
    }
    return x.result(counts);
  }

  /**
   * The Pearson statistic over every version, each around its own mean and scaled by its own variance
   * within iterations (versions differ in mean and spread; only the swing between iterations is shared):
   * X² = Σ nₜ(x̄ₜ − x̄)²/s², with Σ(m − 1) degrees of freedom and, when requests within an iteration
   * correlate by ρ, expectation df + ρ·Σ(nₜ − 1)(1 − nₜ/N). Hence the moment estimate
   * ρ = max(0, (X² − df) / Σ(nₜ − 1)(1 − nₜ/N)), truncated at 0 as DerSimonian and Laird's between-study
   * variance is: a swing smaller than chance is taken as none.
   */
  private static final class Pearson {
    private double statistic;
    private int df;
    private double scale;
    private int intervals;

    void add(double[] n, double[] means, double mean, double variance) {
      double total = 0;
      int m = 0;
      for (double x : n) {
        if (x > 0) {
          total += x;
          m++;
        }
      }
      if (m < 2 || !(variance > 0)) {
        return;
      }
      for (int t = 0; t < n.length; t++) {
        if (n[t] > 0) {
          double d = means[t] - mean;
          statistic += n[t] * d * d / variance;
          scale += (n[t] - 1) * (1 - n[t] / total);
        }
      }
      df += m - 1;
      intervals = Math.max(intervals, m);
    }

    Overdispersion result(Map<String, double[]> sizes) {
      if (df < MIN_DF || !(scale > 0)) {
        return NONE;
      }
      double rho = (statistic - df) / scale;
      if (!(rho > 0)) {
        return NONE;
      }
      return new Overdispersion(Math.min(1, rho), sizes,
          "ICC " + Figures.number(rho) + " over " + intervals + " iterations");
    }
  }
}
