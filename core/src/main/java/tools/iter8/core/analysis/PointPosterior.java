package tools.iter8.core.analysis;

/**
 * A value known exactly: a count (a Counter with no model), or a gauge whose spread is zero. Its
 * probabilities are 0 or 1.
 */
record PointPosterior(double value, String label) implements Posterior {

  @Override
  public double probabilityWithin(double lower, double upper) {
    return lower <= value && value <= upper ? 1 : 0;
  }

  @Override
  public double sample(Sampler sampler) {
    return value;
  }

  @Override
  public String describe() {
    return label + " " + Figures.number(value);
  }
}
