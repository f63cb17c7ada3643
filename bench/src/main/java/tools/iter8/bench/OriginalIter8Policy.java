package tools.iter8.bench;

/**
 * The original Iter8 v2 (reference §3, §4), as its docs' Canary samples run it: every iteration it
 * judges the latest cumulative point values ({@code $elapsedTime} queries) against the objectives, the
 * candidate wins when its values satisfy every objective (else the baseline when its do), and the weights
 * are the ε-greedy split (ε = 10%) toward the winner, capped by {@code maxCandidateWeight} 100 and
 * {@code maxCandidateWeightIncrement} 10. A missing value (no requests) fails the objective. Objectives
 * keep their Progressive default {@code rollback_on_failure: false} (with it, a candidate starting at 0%
 * would be rolled back at the first iteration for lack of data); there is no early stop, so the last
 * iteration's recommendation is promoted.
 */
final class OriginalIter8Policy implements Policy {
  private static final double EPSILON = 0.10;
  private static final int MAX_CANDIDATE_WEIGHT = 100;
  private static final int MAX_INCREMENT = 10;

  private final int iterations;
  private int weight;

  OriginalIter8Policy(int iterations) {
    this.iterations = iterations;
  }

  @Override
  public int candidateWeight() {
    return weight;
  }

  @Override
  public Outcome afterMinute(int minute, Ledger ledger) {
    // Canary winner: the candidate if feasible, else the baseline if feasible, else none; only whether
    // the candidate wins matters, as a baseline win and no winner give the same weights and promotion.
    boolean candidateWins = feasible(ledger.total(true));
    if (minute >= iterations) {
      return candidateWins ? Outcome.PROMOTE : Outcome.ROLLBACK;
    }
    // ε-greedy: exploration 1/n each, exploitation on bestVersions (all to the baseline when there is none).
    double exploit = candidateWins ? 1 : 0;
    double target = (EPSILON * 0.5 + (1 - EPSILON) * exploit) * 100;
    double excess = Math.max(0, Math.max(target - weight - MAX_INCREMENT, target - MAX_CANDIDATE_WEIGHT));
    weight = (int) Math.round(target - excess);
    return null;
  }

  private static boolean feasible(Window total) {
    if (total.requests == 0) {
      return false;
    }
    return total.errorRate() <= BenchExperiment.ERROR_RATE_LIMIT
        && total.meanLatency() <= BenchExperiment.MEAN_LATENCY_LIMIT
        && total.latencyQuantile(0.95) <= BenchExperiment.P95_LATENCY_LIMIT;
  }
}
