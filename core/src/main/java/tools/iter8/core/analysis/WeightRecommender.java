package tools.iter8.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.iter8.core.api.TestingPattern;
import tools.iter8.core.api.WeightData;

/**
 * The split for the next iteration, per deployment pattern (DESIGN §2.6), keyed by version name:
 *
 * <ul>
 *   <li>Progressive: the bandit ({@link BanditAllocation}) over the winner rule's preference (an even
 *       share for a version still short of the minimum sample), then the
 *       original's caps ({@link WeightCaps}) against the current weights, then deterministic rounding
 *       ({@link LargestRemainder}). On Hold the current weights stay, except that an eligible version
 *       below the exploration floor is raised to it, so a version that has not had traffic yet can
 *       produce the data the experiment waits for.
 *   <li>FixedSplit and BlueGreen: the current weights (BlueGreen switches at the decision).
 *   <li>DarkLaunch: all live traffic on the baseline; the candidate sees mirrored traffic only.
 *   <li>Any pattern, on a terminal decision: the final split, all traffic to the decision's version.
 *   <li>Conformance: none (one version), as the original.
 * </ul>
 */
final class WeightRecommender {
  private final ExperimentPlan plan;

  WeightRecommender(ExperimentPlan plan) {
    this.plan = plan;
  }

  /**
   * @param previous the previous iteration's conclusions: a version loses its exploration floor only
   *     once it was infeasible there too, so the look that confirms a violation has fresh data
   */
  List<WeightData> recommend(
      DecisionAction action,
      String decisionVersion,
      WinnerAssessment winner,
      Map<String, VersionAssessment> assessments,
      Map<String, Integer> current,
      PreviousLook previous) {
    List<String> versions = plan.versions();
    if (plan.testing() == TestingPattern.CONFORMANCE) {
      return List.of();
    }
    int[] split;
    if (action.terminal()) {
      split = new int[versions.size()];
      split[versions.indexOf(decisionVersion)] = 100;
    } else {
      double[] old = current(current);
      split = switch (plan.deployment()) {
        case FIXED_SPLIT, BLUE_GREEN -> LargestRemainder.round(old);
        case DARK_LAUNCH -> {
          int[] live = new int[versions.size()];
          live[0] = 100;
          yield live;
        }
        case PROGRESSIVE -> progressive(action, winner, assessments, old, previous);
      };
    }
    List<WeightData> weights = new ArrayList<>(versions.size());
    for (int i = 0; i < versions.size(); i++) {
      weights.add(new WeightData(versions.get(i), split[i]));
    }
    return List.copyOf(weights);
  }

  private int[] progressive(
      DecisionAction action,
      WinnerAssessment winner,
      Map<String, VersionAssessment> assessments,
      double[] old,
      PreviousLook previous) {
    List<String> versions = plan.versions();
    int n = versions.size();
    boolean[] eligible = new boolean[n];
    boolean[] sampled = new boolean[n];
    double[] preference = new double[n];
    for (int i = 0; i < n; i++) {
      VersionAssessment a = assessments.get(versions.get(i));
      eligible[i] = !(a.infeasible() && previous.anyViolated(versions.get(i)));
      sampled[i] = a.sampleReached();
      preference[i] = winner.preference().getOrDefault(versions.get(i), 0.0);
      if (i > 0 && a.infeasible()) {
        // Found infeasible at this look: only the floor until the next look confirms or clears it.
        preference[0] += preference[i];
        preference[i] = 0;
      }
    }
    double[] target =
        action == DecisionAction.HOLD
            ? held(old, eligible, sampled)
            : BanditAllocation.allocate(
                BanditAllocation.evenUntilSampled(preference, sampled), eligible, plan.explorationFloor());
    return LargestRemainder.round(
        WeightCaps.apply(target, old, plan.maxCandidateWeight(), plan.maxCandidateWeightIncrement()));
  }

  /**
   * The current weights, with every eligible version raised to the floor, and one that has never had
   * traffic (no weight, short of the minimum sample) to the first step of its ramp: its even share
   * ({@link BanditAllocation#evenUntilSampled}), capped by {@code maxCandidateWeightIncrement} and
   * {@code maxCandidateWeight}, and at least the floor. Its data is missing because it had no traffic, not
   * because of an outage; a held version that has had traffic is not raised beyond the floor.
   */
  private double[] held(double[] old, boolean[] eligible, boolean[] sampled) {
    double[] m = old.clone();
    double firstStep = Math.min(Math.min(100.0 / m.length, plan.maxCandidateWeightIncrement()),
        plan.maxCandidateWeight());
    for (int i = 1; i < m.length; i++) {
      double to = m[i] == 0 && !sampled[i] ? Math.max(plan.explorationFloor(), firstStep) : plan.explorationFloor();
      double raise = eligible[i] ? Math.min(to - m[i], m[0]) : 0;
      if (raise > 0) {
        m[i] += raise;
        m[0] -= raise;
      }
    }
    return m;
  }

  /**
   * The current weights in spec order, scaled to 100; absent versions count as 0, and no weights at all
   * as the original's start, everything on the baseline.
   */
  private double[] current(Map<String, Integer> current) {
    List<String> versions = plan.versions();
    double[] w = new double[versions.size()];
    double sum = 0;
    for (int i = 0; i < w.length; i++) {
      Integer v = current.get(versions.get(i));
      w[i] = v == null ? 0 : Math.max(0, v);
      sum += w[i];
    }
    if (sum <= 0) {
      w[0] = 100;
      return w;
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = w[i] * 100 / sum;
    }
    return w;
  }
}
