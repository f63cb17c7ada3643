package tools.iter8.core.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canary: the candidate wins when it is feasible; else the baseline wins when the candidate is infeasible
 * and the baseline feasible (the original's rule, with verdicts instead of point values). On the last
 * iteration, a candidate still undecided wins when it more likely than not meets every objective
 * ({@link WinnerRule#HORIZON_PROBABILITY}), has its minimum sample and all its data, and violates none. Both
 * probabilities are exact, with no Monte Carlo: P(candidate best and feasible) = P(candidate feasible),
 * P(baseline best and feasible) = P(candidate not feasible) × P(baseline feasible); the bandit sends the
 * candidate P(candidate feasible) of the traffic and the baseline the rest.
 */
final class CanaryWinnerRule implements WinnerRule {

  @Override
  public WinnerAssessment assess(WinnerInputs in) {
    String baseline = in.plan().baseline();
    String candidate = in.plan().candidates().get(0);
    VersionAssessment b = in.assessments().get(baseline);
    VersionAssessment c = in.assessments().get(candidate);
    double pc = c.probabilityFeasible();
    double pb = (1 - pc) * b.probabilityFeasible();
    Map<String, Double> probabilities = new LinkedHashMap<>();
    probabilities.put(baseline, pb);
    probabilities.put(candidate, pc);
    Map<String, Double> preference = new LinkedHashMap<>();
    preference.put(baseline, 1 - pc);
    preference.put(candidate, pc);
    String leader = pc >= pb ? candidate : baseline;

    if (c.feasible()) {
      return new WinnerAssessment(true, candidate, List.of(candidate), pc, probabilities, preference, candidate,
          VersionLabel.of("candidate", candidate) + " meets every objective: " + c.summary());
    }
    if (c.infeasible() && b.feasible()) {
      return new WinnerAssessment(true, baseline, List.of(baseline), pb, probabilities, preference, baseline,
          VersionLabel.of("baseline", baseline) + " wins: " + VersionLabel.of("candidate", candidate) + " violates an objective (" + c.summary()
              + ") and the baseline meets every objective");
    }
    if (in.lastIteration() && !c.infeasible() && c.sampleReached() && c.missing().isEmpty() && c.errors().isEmpty()
        && pc >= HORIZON_PROBABILITY) {
      return new WinnerAssessment(true, candidate, List.of(candidate), pc, probabilities, preference, candidate,
          "last iteration: " + VersionLabel.of("candidate", candidate) + " more likely than not meets every objective (P = "
              + Figures.probability(pc) + " ≥ " + HORIZON_PROBABILITY + ", short of " + in.plan().strength()
              + "): " + c.summary());
    }
    String why =
        c.infeasible()
            ? VersionLabel.of("candidate", candidate) + " violates an objective (" + c.summary() + ") and " + VersionLabel.of("baseline", baseline)
                + " is not known to meet every objective (" + b.summary() + ")"
            : VersionLabel.of("candidate", candidate) + " is undecided (" + c.summary() + ")";
    return new WinnerAssessment(false, null, List.of(), probabilities.get(leader), probabilities, preference,
        leader, "no winner yet: " + why);
  }
}
