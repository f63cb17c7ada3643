package tools.iter8.core.analysis;

import org.apache.commons.math3.special.Beta;

/**
 * Beta(a, b) posterior of a rate: Jeffreys' Beta(½, ½) prior updated with k events in n trials gives
 * Beta(½ + k, ½ + n − k). Jeffreys' prior is the reference prior of a binomial rate and its intervals
 * keep their nominal coverage for small rates (Brown, Cai and DasGupta 2001), which matter most here
 * (error rates near 1%); the uniform Beta(1, 1) would add a pseudo-error that pulls a 0.5% rate toward
 * 50%. Probabilities are the regularized incomplete beta function, exact.
 */
record BetaPosterior(double alpha, double beta) implements Posterior {

  /** Jeffreys' prior's pseudo-counts: half an event and half a non-event. */
  static final double PRIOR = 0.5;

  static BetaPosterior of(double events, double trials) {
    return new BetaPosterior(PRIOR + events, PRIOR + trials - events);
  }

  @Override
  public double probabilityWithin(double lower, double upper) {
    return cdf(upper) - cdf(lower);
  }

  private double cdf(double x) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    return Beta.regularizedBeta(x, alpha, beta);
  }

  @Override
  public double sample(Sampler sampler) {
    return sampler.beta(alpha, beta);
  }

  @Override
  public String describe() {
    return "Beta(" + Figures.number(alpha) + ", " + Figures.number(beta) + ")";
  }
}
