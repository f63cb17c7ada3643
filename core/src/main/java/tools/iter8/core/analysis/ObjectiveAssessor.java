package tools.iter8.core.analysis;

import tools.iter8.core.api.Objective;

/**
 * Judges one objective for one version from its posterior: met when P(lower ≤ value ≤ upper) reaches
 * {@code strength}, violated when P(outside the limits) does, undecided otherwise, and always undecided
 * before the version has served the minimum sample (small samples are where posteriors and their Normal
 * approximations mislead, and where repeated looks most often cross a threshold by chance).
 */
final class ObjectiveAssessor {
  private final double strength;

  ObjectiveAssessor(double strength) {
    this.strength = strength;
  }

  /**
   * @param sampleShortfall why the version's sample is below the minimum, or null when it is not
   */
  ObjectiveVerdict assess(Objective objective, Evidence evidence, String sampleShortfall) {
    String metric = objective.metric();
    if (!evidence.hasValue()) {
      String what = evidence.outcome() == Evidence.Outcome.ERROR ? "error: " : "no data: ";
      return new ObjectiveVerdict(metric, Verdict.UNDECIDED, null, what + evidence.reason());
    }
    double lower = objective.lowerLimit() == null ? Double.NEGATIVE_INFINITY : objective.lowerLimit().value();
    double upper = objective.upperLimit() == null ? Double.POSITIVE_INFINITY : objective.upperLimit().value();
    double p = clamp(evidence.posterior().probabilityWithin(lower, upper));
    String figures = "P(" + metric + " " + limits(objective) + ") = " + Figures.probability(p);
    if (sampleShortfall != null) {
      return new ObjectiveVerdict(
          metric, Verdict.UNDECIDED, p, sampleShortfall + "; " + figures + "; " + evidence.reason());
    }
    if (p >= strength) {
      return new ObjectiveVerdict(
          metric, Verdict.MET, p, "met: " + figures + " ≥ " + strength + "; " + evidence.reason());
    }
    if (1 - p >= strength) {
      return new ObjectiveVerdict(metric, Verdict.VIOLATED, p,
          "violated: " + figures + " ≤ " + Figures.number(1 - strength) + "; " + evidence.reason());
    }
    return new ObjectiveVerdict(metric, Verdict.UNDECIDED, p, "undecided: " + figures + "; " + evidence.reason());
  }

  private static String limits(Objective o) {
    if (o.lowerLimit() != null && o.upperLimit() != null) {
      return "in [" + o.lowerLimit() + ", " + o.upperLimit() + "]";
    }
    return o.upperLimit() != null ? "≤ " + o.upperLimit() : "≥ " + o.lowerLimit();
  }

  private static double clamp(double p) {
    return Math.min(1, Math.max(0, p));
  }
}
