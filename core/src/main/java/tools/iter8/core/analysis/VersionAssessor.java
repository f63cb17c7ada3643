package tools.iter8.core.analysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.iter8.core.api.Objective;

/**
 * Assesses one version on its own: its sample against {@code criteria.minSampleSize}, every objective,
 * and the combined feasibility.
 *
 * <p>The sample is the {@code criteria.requestCount} metric when the experiment names one; otherwise
 * the smallest sample among the objective and reward metrics that know theirs (Rate trials, histogram
 * observations, a Normal metric's {@code sampleSize}). With neither, no verdict can be reached and the
 * reason says to set {@code requestCount}.
 */
final class VersionAssessor {
  private final ExperimentPlan plan;
  private final ObjectiveAssessor objectives;

  VersionAssessor(ExperimentPlan plan) {
    this.plan = plan;
    this.objectives = new ObjectiveAssessor(plan.strength());
  }

  /**
   * @param objectiveEvidence the evidence for each objective, in spec order
   * @param rewardEvidence the evidence for each reward, in spec order
   * @param requestCount the evidence of the {@code requestCount} metric, or null when there is none
   */
  VersionAssessment assess(
      String version, List<Evidence> objectiveEvidence, List<Evidence> rewardEvidence, Evidence requestCount) {
    Set<String> missing = new LinkedHashSet<>();
    Set<String> errors = new LinkedHashSet<>();
    List<Evidence> needed = new ArrayList<>(objectiveEvidence);
    needed.addAll(rewardEvidence);
    if (requestCount != null) {
      needed.add(requestCount);
    }
    for (Evidence e : needed) {
      if (e.outcome() == Evidence.Outcome.NO_DATA) {
        missing.add(e.reason());
      } else if (e.outcome() == Evidence.Outcome.ERROR) {
        errors.add(e.reason());
      }
    }

    Double sample = sampleSize(objectiveEvidence, rewardEvidence, requestCount);
    String shortfall = shortfall(sample);

    List<ObjectiveVerdict> verdicts = new ArrayList<>(objectiveEvidence.size());
    double probabilityFeasible = 1;
    boolean anyViolated = false;
    boolean allMet = shortfall == null;
    for (int i = 0; i < objectiveEvidence.size(); i++) {
      Objective o = plan.objectives().get(i);
      ObjectiveVerdict v = objectives.assess(o, objectiveEvidence.get(i), shortfall);
      verdicts.add(v);
      probabilityFeasible *= v.probability() == null ? 0 : v.probability();
      anyViolated |= v.verdict() == Verdict.VIOLATED;
      allMet &= v.verdict() == Verdict.MET;
    }
    VersionAssessment.Feasibility feasibility =
        anyViolated
            ? VersionAssessment.Feasibility.INFEASIBLE
            : allMet ? VersionAssessment.Feasibility.FEASIBLE : VersionAssessment.Feasibility.UNDECIDED;
    return new VersionAssessment(
        version,
        List.copyOf(verdicts),
        feasibility,
        probabilityFeasible,
        sample,
        shortfall == null,
        List.copyOf(missing),
        List.copyOf(errors));
  }

  private Double sampleSize(List<Evidence> objectiveEvidence, List<Evidence> rewardEvidence, Evidence requestCount) {
    if (requestCount != null) {
      if (requestCount.hasValue()) {
        return requestCount.value();
      }
      return requestCount.outcome() == Evidence.Outcome.NO_DATA ? 0.0 : null;
    }
    Double smallest = null;
    for (List<Evidence> list : List.of(objectiveEvidence, rewardEvidence)) {
      for (Evidence e : list) {
        if (e.hasValue() && e.sampleSize() != null && (smallest == null || e.sampleSize() < smallest)) {
          smallest = e.sampleSize();
        }
      }
    }
    return smallest;
  }

  /** Why the sample is too small for a verdict, or null when it is large enough. */
  private String shortfall(Double sample) {
    if (sample == null) {
      return plan.requestCount() != null
          ? "undecided: the request count " + plan.requestCount() + " is unavailable"
          : "undecided: sample size unknown; set criteria.requestCount";
    }
    if (sample < plan.minSampleSize()) {
      return "undecided: " + Figures.count(sample) + " requests < minimum sample " + plan.minSampleSize();
    }
    return null;
  }
}
