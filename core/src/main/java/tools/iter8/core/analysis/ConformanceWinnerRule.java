package tools.iter8.core.analysis;

import java.util.List;
import java.util.Map;

/** Conformance: the baseline wins when it is feasible (every objective met); there is nothing to compare. */
final class ConformanceWinnerRule implements WinnerRule {

  @Override
  public WinnerAssessment assess(WinnerInputs in) {
    String baseline = in.plan().baseline();
    VersionAssessment b = in.assessments().get(baseline);
    double p = b.probabilityFeasible();
    Map<String, Double> probabilities = Map.of(baseline, p);
    Map<String, Double> preference = Map.of(baseline, 1.0);
    if (b.feasible()) {
      return new WinnerAssessment(true, baseline, List.of(baseline), p, probabilities, preference, baseline,
          VersionLabel.of("baseline", baseline) + " meets every objective: " + b.summary());
    }
    String state = b.infeasible() ? " violates an objective: " : " is not yet known to meet every objective: ";
    return new WinnerAssessment(false, null, List.of(), p, probabilities, preference, baseline,
        "no winner: " + VersionLabel.of("baseline", baseline) + state + b.summary());
  }
}
