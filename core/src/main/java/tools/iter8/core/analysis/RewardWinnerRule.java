package tools.iter8.core.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A/B and A/B/N: the winner is the version that is feasible and best on the reward with posterior
 * probability {@code strength}, estimated by Monte Carlo ({@link FeasibleBestSampler}); every version must
 * have served the minimum sample. {@code bestVersions} is the smallest set of versions that are together
 * best with probability {@code strength}: one version is a winner, two or more are a tie (no winner), and
 * none means that too much probability still rests on no version being feasible. On the last iteration,
 * the leader wins when it is more likely than not the best feasible version
 * ({@link WinnerRule#HORIZON_PROBABILITY}), violates no objective and every version has its minimum sample
 * and all its data.
 */
final class RewardWinnerRule implements WinnerRule {

  @Override
  public WinnerAssessment assess(WinnerInputs in) {
    List<String> versions = in.plan().versions();
    FeasibleBestSampler.Shares shares = FeasibleBestSampler.run(in, false);
    Map<String, Double> probabilities = new LinkedHashMap<>();
    Map<String, Double> preference = new LinkedHashMap<>();
    for (int i = 0; i < versions.size(); i++) {
      probabilities.put(versions.get(i), shares.ranked()[i]);
      preference.put(versions.get(i), shares.share()[i] + (i == 0 ? shares.none() : 0));
    }
    // Highest probability first; spec order breaks ties, so the result never depends on hashing.
    List<Integer> order =
        IntStream.range(0, versions.size())
            .boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> -shares.ranked()[i]).thenComparingInt(i -> i))
            .toList();
    List<String> best = new ArrayList<>();
    double together = 0;
    for (int i : order) {
      if (together >= in.plan().strength() || shares.ranked()[i] == 0) {
        break;
      }
      best.add(versions.get(i));
      together += shares.ranked()[i];
    }
    if (together < in.plan().strength()) {
      best.clear();
    }
    String leader = versions.get(order.get(0));
    double top = shares.ranked()[order.get(0)];
    String reward = in.plan().rewards().get(0).metric() + " (" + in.plan().rewards().get(0).preferredDirection() + ")";

    if (best.size() == 1 && in.assessments().get(leader).feasible() && in.everyVersionComparable()) {
      return new WinnerAssessment(true, leader, List.copyOf(best), top, probabilities, preference, leader,
          leader + " is the best feasible version on " + reward + " with P = " + Figures.probability(top)
              + " ≥ " + in.plan().strength());
    }
    if (in.lastIteration() && top >= HORIZON_PROBABILITY && !in.assessments().get(leader).infeasible()
        && in.everyVersionComparable()) {
      return new WinnerAssessment(true, leader, List.of(leader), top, probabilities, preference, leader,
          "last iteration: " + leader + " is more likely than not the best feasible version on " + reward
              + " (P = " + Figures.probability(top) + " ≥ " + HORIZON_PROBABILITY + ", short of "
              + in.plan().strength() + ")");
    }
    String why;
    if (best.size() > 1) {
      why = "no unique winner: " + String.join(", ", best) + " are together best on " + reward + " with P = "
          + Figures.probability(together) + ", none alone reaches " + in.plan().strength()
          + (in.everyVersionComparable() ? "" : "; " + notReady(in, null));
    } else if (best.size() == 1) {
      why = "no winner yet: " + leader + " leads on " + reward + " with P = " + Figures.probability(top) + ", but "
          + notReady(in, leader);
    } else if (shares.none() >= 1 - in.plan().strength()) {
      why = "no winner yet: no version is feasible with P = " + Figures.probability(shares.none())
          + "; leading: " + leader + " with P = " + Figures.probability(top);
    } else {
      why = "no winner yet: " + leader + " leads on " + reward + " with P = " + Figures.probability(top) + " < "
          + in.plan().strength();
    }
    return new WinnerAssessment(false, null, List.copyOf(best), top, probabilities, preference, leader, why);
  }

  /**
   * Why a likely winner is not declared: its own verdicts, or versions that cannot be compared yet.
   *
   * @param leader the likely winner, or null to name only the versions that cannot be compared
   */
  static String notReady(WinnerInputs in, String leader) {
    VersionAssessment a = leader == null ? null : in.assessments().get(leader);
    if (a != null && !a.feasible()) {
      return "it is not yet known to meet every objective (" + a.summary() + ")";
    }
    return in.assessments().values().stream()
        .filter(v -> !(v.sampleReached() && v.missing().isEmpty() && v.errors().isEmpty()))
        .map(v -> !v.errors().isEmpty() || !v.missing().isEmpty()
            ? v.version() + " lacks data"
            : v.version() + " has " + (v.sampleSize() == null ? "no known sample" : Figures.count(v.sampleSize())
                + " requests < minimum sample " + in.plan().minSampleSize()))
        .collect(Collectors.joining(", "));
  }
}
