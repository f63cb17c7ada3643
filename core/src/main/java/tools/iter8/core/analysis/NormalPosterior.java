package tools.iter8.core.analysis;

import org.apache.commons.math3.special.Erf;

/**
 * Normal(mean, sd) posterior: the Normal model of a gauge, and the normal approximation of a histogram
 * mean's Dirichlet posterior (with that posterior's exact mean and standard deviation). {@code label}
 * says which, for reasons in status.
 */
record NormalPosterior(double mean, double sd, String label) implements Posterior {

  NormalPosterior {
    if (!(sd > 0) || !Double.isFinite(mean)) {
      throw new IllegalArgumentException("a Normal posterior needs a finite mean and a positive sd");
    }
  }

  @Override
  public double probabilityWithin(double lower, double upper) {
    return cdf(upper) - cdf(lower);
  }

  private double cdf(double x) {
    if (x == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return 1;
    }
    // erfc keeps the far tails accurate, where 1 - Φ would round to 0 or 1.
    return 0.5 * Erf.erfc((mean - x) / (sd * Math.sqrt(2)));
  }

  @Override
  public double sample(Sampler sampler) {
    return mean + sd * sampler.gaussian();
  }

  @Override
  public String describe() {
    return (label.isEmpty() ? "" : label + " ") + "Normal(" + Figures.number(mean) + ", sd " + Figures.number(sd) + ")";
  }
}
