package tools.iter8.core.analysis;

import java.util.List;
import tools.iter8.core.api.PreferredDirection;
import tools.iter8.core.api.Reward;

/**
 * Monte Carlo over the versions' posteriors: in each draw, which versions are feasible and which of
 * them is best on the reward (A/B, A/B/N), or on the Pareto front of the rewards (Pareto).
 *
 * <p>Feasibility in a draw is one Bernoulli draw with the product of the objectives' exact P(met) (the
 * metrics are modelled independently), which is the same in distribution as drawing every metric and
 * comparing it with its limits, and far cheaper; only an objective on a reward metric is checked against
 * that reward's drawn value, so the two stay consistent. A version without a posterior for every objective
 * and reward is never feasible. Draws are taken in a fixed order (versions in spec order, then rewards,
 * then objectives), so a seed fixes the result.
 */
final class FeasibleBestSampler {

  /**
   * Per version (spec order): {@code ranked}, the share of draws in which it is feasible and best (or on
   * the front); {@code share}, its share of the draw's winners (1 for the best, 1/|front| on a front);
   * {@code none}, the share of draws in which no version is feasible.
   */
  record Shares(double[] ranked, double[] share, double none) {}

  private FeasibleBestSampler() {}

  static Shares run(WinnerInputs in, boolean pareto) {
    List<String> versions = in.plan().versions();
    List<Reward> rewards = in.plan().rewards();
    int n = versions.size();
    int r = pareto ? rewards.size() : 1;
    boolean[] higher = new boolean[r];
    for (int k = 0; k < r; k++) {
      higher[k] =
          PreferredDirection.parse(rewards.get(k).preferredDirection()).orElseThrow() == PreferredDirection.HIGH;
    }
    Arm[] arms = new Arm[n];
    for (int i = 0; i < n; i++) {
      arms[i] = Arm.of(in, versions.get(i), r);
    }

    double[] values = new double[n * r];
    boolean[] feasible = new boolean[n];
    double[] ranked = new double[n];
    double[] share = new double[n];
    int none = 0;
    Sampler s = in.sampler();
    for (int d = 0; d < in.draws(); d++) {
      int feasibleCount = 0;
      for (int i = 0; i < n; i++) {
        feasible[i] = arms[i] != null && arms[i].draw(s, values, i * r);
        if (feasible[i]) {
          feasibleCount++;
        }
      }
      if (feasibleCount == 0) {
        none++;
      } else if (pareto) {
        front(values, feasible, higher, r, ranked, share);
      } else {
        int best = -1;
        for (int i = 0; i < n; i++) {
          if (feasible[i] && (best < 0 || better(values[i], values[best], higher[0]))) {
            best = i;
          }
        }
        ranked[best]++;
        share[best]++;
      }
    }
    for (int i = 0; i < n; i++) {
      ranked[i] /= in.draws();
      share[i] /= in.draws();
    }
    return new Shares(ranked, share, (double) none / in.draws());
  }

  private static void front(
      double[] values, boolean[] feasible, boolean[] higher, int r, double[] ranked, double[] share) {
    int n = feasible.length;
    boolean[] onFront = new boolean[n];
    int size = 0;
    for (int i = 0; i < n; i++) {
      if (!feasible[i]) {
        continue;
      }
      boolean dominated = false;
      for (int j = 0; j < n && !dominated; j++) {
        dominated = j != i && feasible[j] && dominates(values, j, i, higher, r);
      }
      if (!dominated) {
        onFront[i] = true;
        size++;
      }
    }
    for (int i = 0; i < n; i++) {
      if (onFront[i]) {
        ranked[i]++;
        share[i] += 1.0 / size;
      }
    }
  }

  /** Whether version a is at least as good as b on every reward and better on one. */
  private static boolean dominates(double[] values, int a, int b, boolean[] higher, int r) {
    boolean strictly = false;
    for (int k = 0; k < r; k++) {
      double va = values[a * r + k];
      double vb = values[b * r + k];
      if (better(vb, va, higher[k])) {
        return false;
      }
      strictly |= better(va, vb, higher[k]);
    }
    return strictly;
  }

  private static boolean better(double a, double b, boolean higher) {
    return higher ? a > b : a < b;
  }

  /**
   * One version's posteriors for drawing: its rewards, and a check per objective. {@link #of} gives null
   * for a version that lacks a posterior, which is never feasible.
   */
  private record Arm(Posterior[] rewards, int[] rewardOfObjective, double[] lower, double[] upper, double pOthers) {

    static Arm of(WinnerInputs in, String version, int r) {
      List<Evidence> rewardEvidence = in.rewardEvidence().get(version);
      List<Evidence> objectiveEvidence = in.objectiveEvidence().get(version);
      Posterior[] rewards = new Posterior[r];
      for (int k = 0; k < r; k++) {
        Evidence e = rewardEvidence.get(k);
        if (!e.hasValue()) {
          return null;
        }
        rewards[k] = e.posterior();
      }
      int m = objectiveEvidence.size();
      int[] rewardOf = new int[m];
      double[] lower = new double[m];
      double[] upper = new double[m];
      double pOthers = 1;
      VersionAssessment a = in.assessments().get(version);
      for (int j = 0; j < m; j++) {
        Double p = a.objectives().get(j).probability();
        if (p == null) {
          return null;
        }
        rewardOf[j] = in.rewardKeys().subList(0, r).indexOf(in.objectiveKeys().get(j));
        if (rewardOf[j] < 0) {
          pOthers *= p;
        }
        var o = in.plan().objectives().get(j);
        lower[j] = o.lowerLimit() == null ? Double.NEGATIVE_INFINITY : o.lowerLimit().value();
        upper[j] = o.upperLimit() == null ? Double.POSITIVE_INFINITY : o.upperLimit().value();
      }
      return new Arm(rewards, rewardOf, lower, upper, pOthers);
    }

    /** Draws this version's rewards into {@code values[offset..]} and returns whether it is feasible. */
    boolean draw(Sampler s, double[] values, int offset) {
      for (int k = 0; k < rewards.length; k++) {
        values[offset + k] = rewards[k].sample(s);
      }
      for (int j = 0; j < rewardOfObjective.length; j++) {
        if (rewardOfObjective[j] >= 0) {
          double v = values[offset + rewardOfObjective[j]];
          if (v < lower[j] || v > upper[j]) {
            return false;
          }
        }
      }
      return pOthers >= 1 || s.uniform() < pOthers;
    }
  }
}
