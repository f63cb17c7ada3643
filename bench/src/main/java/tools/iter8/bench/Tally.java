package tools.iter8.bench;

import java.util.Arrays;

/** The results of one policy in one scenario over every run, and the figures reported from them. */
final class Tally {
  private final boolean shouldPromote;
  private final RunResult[] runs;

  Tally(boolean shouldPromote, RunResult[] runs) {
    this.shouldPromote = shouldPromote;
    this.runs = runs;
  }

  int runs() {
    return runs.length;
  }

  int promotions() {
    return (int) Arrays.stream(runs).filter(r -> r.outcome() == Policy.Outcome.PROMOTE).count();
  }

  int wrongPromotions() {
    return shouldPromote ? 0 : promotions();
  }

  int wrongRollbacks() {
    return shouldPromote ? runs.length - promotions() : 0;
  }

  /** The share of all requests in the horizon that a worse version served, over all runs. */
  double worseShare() {
    long worse = 0;
    long all = 0;
    for (RunResult r : runs) {
      worse += r.worseRequests();
      all += r.requests();
    }
    return all == 0 ? 0 : (double) worse / all;
  }

  /** Mean minute of the correct decisions, NaN when there is none. */
  double meanMinutesToCorrectDecision() {
    Policy.Outcome right = shouldPromote ? Policy.Outcome.PROMOTE : Policy.Outcome.ROLLBACK;
    return Arrays.stream(runs)
        .filter(r -> r.outcome() == right)
        .mapToInt(RunResult::minute)
        .average()
        .orElse(Double.NaN);
  }

  double meanMinutesToDecision() {
    return Arrays.stream(runs).mapToInt(RunResult::minute).average().orElse(Double.NaN);
  }

  /** The Wilson 95% upper bound of a rate of {@code k} in {@code n}: what the rate is at most. */
  static double wilsonUpper(int k, int n) {
    double z = 1.959963984540054;
    double p = (double) k / n;
    double centre = p + z * z / (2 * n);
    double spread = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
    return (centre + spread) / (1 + z * z / n);
  }
}
