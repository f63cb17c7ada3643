package tools.iter8.core.analysis;

import java.util.List;

/**
 * Everything the analysis concluded about one version on its own: its sample, a verdict per objective,
 * and whether it is feasible (every objective met), infeasible (one violated) or not yet known.
 *
 * @param version the version's name
 * @param objectives one verdict per objective, in spec order
 * @param feasibility the verdicts combined
 * @param probabilityFeasible P(every objective met), the product of the objectives' probabilities
 *     (metrics are modelled independently); 0 when one has no posterior, 1 with no objectives
 * @param sampleSize the requests (or observations) behind the verdicts, or null when unknown
 * @param sampleReached whether the sample reached {@code criteria.minSampleSize}
 * @param missing why needed metrics have no data, empty when all have
 * @param errors why needed metrics errored, empty when none did
 */
record VersionAssessment(
    String version,
    List<ObjectiveVerdict> objectives,
    Feasibility feasibility,
    double probabilityFeasible,
    Double sampleSize,
    boolean sampleReached,
    List<String> missing,
    List<String> errors) {

  /** The objective verdicts combined. */
  enum Feasibility {
    FEASIBLE,
    INFEASIBLE,
    UNDECIDED
  }

  boolean feasible() {
    return feasibility == Feasibility.FEASIBLE;
  }

  boolean infeasible() {
    return feasibility == Feasibility.INFEASIBLE;
  }

  /**
   * The verdicts in a few words for winner and decision reasons, e.g. {@code error-rate met (0.982),
   * latency-p95 undecided (0.841); 540 requests}.
   */
  String summary() {
    StringBuilder s = new StringBuilder();
    for (ObjectiveVerdict v : objectives) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(v.metric()).append(' ').append(v.verdict().wireName());
      s.append(v.probability() == null ? " (no posterior)" : " (" + Figures.probability(v.probability()) + ")");
    }
    if (s.length() > 0) {
      s.append("; ");
    }
    s.append(sampleSize == null ? "sample size unknown" : Figures.count(sampleSize) + " requests");
    return s.toString();
  }
}
