package tools.iter8.bench;

import java.util.Arrays;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Kayenta's two-sample Mann-Whitney (Wilcoxon rank-sum) confidence interval and Hodges–Lehmann estimate
 * of the shift experiment − control ({@code kayenta-mannwhitney MannWhitney.scala}, after R's
 * {@code wilcox.test}: asymptotic, with tie and continuity corrections): the interval's ends and the
 * estimate are the shifts μ at which the standardised rank statistic of (x − μ) against y equals +z, −z
 * and 0, found by Brent's method between min(x) − max(y) and max(x) − min(y).
 */
final class MannWhitney {
  /** The interval ends and the estimate. */
  record Result(double lower, double upper, double estimate) {}

  private final double[] x;
  private final double[] y;

  private MannWhitney(double[] experiment, double[] control) {
    this.x = experiment.clone();
    this.y = control.clone();
    // A shift keeps x's order, so both are sorted once and merged per evaluation.
    Arrays.sort(x);
    Arrays.sort(y);
  }

  /**
   * @return the result, or null when every observation is tied, where no interval exists (Kayenta then
   *     perturbs the data; the metric passes either way)
   */
  static Result shift(double[] experiment, double[] control, double confidence) {
    MannWhitney mw = new MannWhitney(experiment, control);
    double z = new NormalDistribution().inverseCumulativeProbability(1 - (1 - confidence) / 2);
    double muMin = mw.x[0] - mw.y[mw.y.length - 1];
    double muMax = mw.x[mw.x.length - 1] - mw.y[0];
    if (Double.isNaN(mw.statistic(0))) {
      return null;
    }
    if (muMin == muMax) {
      // Both samples constant: the shift is known exactly (Kayenta jitters the data and gets the same).
      return new Result(muMin, muMin, muMin);
    }
    return new Result(mw.root(z, muMin, muMax), mw.root(-z, muMin, muMax), mw.root(0, muMin, muMax));
  }

  private double root(double target, double muMin, double muMax) {
    if (statistic(muMin) - target <= 0) {
      return muMin;
    }
    if (statistic(muMax) - target >= 0) {
      return muMax;
    }
    // A solver keeps the function it is solving: one per root, so runs on other threads never share one.
    return new BrentSolver(1e-10, 1e-6).solve(1000, mu -> statistic(mu) - target, muMin, muMax);
  }

  /** The continuity- and tie-corrected standardised rank sum of (x − μ) among y; NaN when all tie. */
  double statistic(double mu) {
    int nx = x.length;
    int ny = y.length;
    int n = nx + ny;
    double rankSum = 0;
    double ties = 0;
    int i = 0;
    int j = 0;
    int position = 0;
    while (i < nx || j < ny) {
      double v = i < nx && (j >= ny || x[i] - mu <= y[j]) ? x[i] - mu : y[j];
      int cx = 0;
      while (i < nx && x[i] - mu == v) {
        i++;
        cx++;
      }
      int cy = 0;
      while (j < ny && y[j] == v) {
        j++;
        cy++;
      }
      double t = cx + cy;
      rankSum += cx * (position + (t + 1) / 2);
      ties += t * t * t - t;
      position += cx + cy;
    }
    double dz = rankSum - nx * (nx + 1) / 2.0 - nx * (double) ny / 2;
    double sigma = Math.sqrt((nx * (double) ny / 12) * ((n + 1) - ties / (n * (double) (n - 1))));
    if (sigma == 0) {
      return Double.NaN;
    }
    return (dz - Math.signum(dz) * 0.5) / sigma;
  }
}
