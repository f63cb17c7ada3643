package tools.iter8.core.analysis;

/**
 * The posterior distribution of one metric's true value for one version: what the objectives and rewards
 * are judged on. Each model answers "how likely is the value within these limits" exactly (or by a
 * documented approximation) and draws values for the Monte Carlo comparisons between versions.
 */
sealed interface Posterior
    permits BetaPosterior, NormalPosterior, HistogramQuantilePosterior, PointPosterior {

  /**
   * P(lower ≤ value ≤ upper); {@code Double.NEGATIVE_INFINITY} or {@code POSITIVE_INFINITY} for an open
   * side.
   */
  double probabilityWithin(double lower, double upper);

  /** One draw of the value. */
  double sample(Sampler sampler);

  /** The distribution in words and numbers, for reasons in status, e.g. {@code Beta(13, 2389)}. */
  String describe();
}
