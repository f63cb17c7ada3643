package tools.iter8.core.analysis;

/**
 * What one version's observations say about one metric: a posterior with its point value and sample
 * size, or no data, or an error, each with a reason for status. The three outcomes stay apart (DESIGN
 * §2.5): no data holds, errors count toward {@code consecutiveErrorLimit}.
 *
 * @param outcome value, no data or error
 * @param posterior the posterior when there is a value, else null
 * @param value the point value shown in {@code aggregatedMetrics} (the quantity objectives judge: a rate,
 *     a mean, a quantile), or null
 * @param sampleSize the trials or observations behind the value, or null when unknown
 * @param reason how the value and posterior came about, or why there is none
 */
record Evidence(Outcome outcome, Posterior posterior, Double value, Double sampleSize, String reason) {

  /** The three outcomes, with the words written to {@code aggregatedMetrics...outcome}. */
  enum Outcome {
    VALUE("value"),
    NO_DATA("noData"),
    ERROR("error");

    private final String wireName;

    Outcome(String wireName) {
      this.wireName = wireName;
    }

    String wireName() {
      return wireName;
    }
  }

  static Evidence of(Posterior posterior, double value, Double sampleSize, String reason) {
    return new Evidence(Outcome.VALUE, posterior, value, sampleSize, reason);
  }

  static Evidence noData(String reason) {
    return new Evidence(Outcome.NO_DATA, null, null, null, reason);
  }

  static Evidence error(String reason) {
    return new Evidence(Outcome.ERROR, null, null, null, reason);
  }

  boolean hasValue() {
    return outcome == Outcome.VALUE;
  }
}
