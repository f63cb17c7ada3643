package tools.iter8.core.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pareto (ours): the best versions are the feasible versions not dominated on the rewards (no other
 * feasible version at least as good on every reward and better on one). By Monte Carlo
 * ({@link FeasibleBestSampler}), each version's probability is P(feasible and on the front);
 * {@code bestVersions} are the feasible versions on the front with probability {@code strength}. A
 * single such version wins once every other version is off the front with probability {@code strength}
 * too; two or more are a front of trade-offs, which no rule can reduce to one, so no winner. The bandit
 * splits each draw's weight evenly across that draw's front.
 */
final class ParetoWinnerRule implements WinnerRule {

  @Override
  public WinnerAssessment assess(WinnerInputs in) {
    List<String> versions = in.plan().versions();
    double strength = in.plan().strength();
    FeasibleBestSampler.Shares shares = FeasibleBestSampler.run(in, true);
    Map<String, Double> probabilities = new LinkedHashMap<>();
    Map<String, Double> preference = new LinkedHashMap<>();
    List<String> best = new ArrayList<>();
    boolean restOff = true;
    int leaderIndex = 0;
    for (int i = 0; i < versions.size(); i++) {
      String v = versions.get(i);
      double p = shares.ranked()[i];
      probabilities.put(v, p);
      preference.put(v, shares.share()[i] + (i == 0 ? shares.none() : 0));
      if (p > shares.ranked()[leaderIndex]) {
        leaderIndex = i;
      }
      if (p >= strength && in.assessments().get(v).feasible()) {
        best.add(v);
      } else if (p > 1 - strength) {
        restOff = false;
      }
    }
    String leader = versions.get(leaderIndex);
    double top = shares.ranked()[leaderIndex];
    if (best.size() == 1 && restOff && in.everyVersionComparable()) {
      return new WinnerAssessment(true, leader, List.copyOf(best), top, probabilities, preference, leader,
          leader + " alone is on the Pareto front of the feasible versions with P = " + Figures.probability(top)
              + " ≥ " + strength);
    }
    String why;
    if (best.size() > 1) {
      why = "no unique winner: " + String.join(", ", best) + " are all on the Pareto front with P ≥ " + strength
          + " (a trade-off between the rewards)";
    } else if (best.size() == 1 && restOff) {
      why = "no winner yet: " + leader + " alone is on the front with P = " + Figures.probability(top) + ", but "
          + RewardWinnerRule.notReady(in, leader);
    } else {
      why = "no winner yet: " + leader + " is on the front with P = " + Figures.probability(top)
          + "; the front is not settled at " + strength;
    }
    return new WinnerAssessment(false, null, List.copyOf(best), top, probabilities, preference, leader, why);
  }
}
