package tools.iter8.bench;

/**
 * Flagger's canary analysis (peers §3.3, {@code pkg/controller/scheduler.go}), as its tutorials configure
 * it: {@code interval: 1m}, {@code stepWeight: 10}, {@code maxWeight: 50}, {@code threshold: 5}, with
 * the objectives as metric checks over the last interval, on the canary only. Each tick: roll back once
 * the failed checks reach the threshold; at weight 0 start without checks; otherwise run the checks, and
 * on any failure (a value out of range, or no values at all) count a failed check and hold the weight;
 * on success step the weight up, or promote once it has reached {@code maxWeight}. Failed checks are
 * cumulative for the whole run, never reset.
 */
final class FlaggerPolicy implements Policy {
  private static final int STEP_WEIGHT = 10;
  private static final int MAX_WEIGHT = 50;
  private static final int THRESHOLD = 5;

  private int weight;
  private int failedChecks;

  @Override
  public int candidateWeight() {
    return weight;
  }

  @Override
  public Outcome afterMinute(int minute, Ledger ledger) {
    if (failedChecks >= THRESHOLD) {
      return Outcome.ROLLBACK;
    }
    if (weight > 0) {
      if (!checksPass(ledger.lastMinute(true))) {
        failedChecks++;
        return null;
      }
      if (weight >= MAX_WEIGHT) {
        return Outcome.PROMOTE;
      }
    }
    weight = Math.min(100, weight + STEP_WEIGHT);
    return null;
  }

  /** Every metric check over the last interval; "no values found" fails like an out-of-range value. */
  private static boolean checksPass(Window canary) {
    if (canary.requests == 0) {
      return false;
    }
    return canary.errorRate() <= BenchExperiment.ERROR_RATE_LIMIT
        && canary.meanLatency() <= BenchExperiment.MEAN_LATENCY_LIMIT
        && canary.latencyQuantile(0.95) <= BenchExperiment.P95_LATENCY_LIMIT;
  }
}
