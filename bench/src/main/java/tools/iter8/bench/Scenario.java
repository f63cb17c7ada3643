package tools.iter8.bench;

import java.util.List;

/**
 * One simulated release with a known truth: how traffic arrives, how the environment shakes the metrics,
 * how the baseline and the candidate truly behave, and therefore whether the candidate should be promoted
 * (it meets every objective of {@link BenchExperiment}) and which version, if any, is worse.
 *
 * @param name short name, used in the report
 * @param description what the scenario tests
 * @param traffic how requests arrive
 * @param noise per-minute swings shared by both versions (a noisy environment), none by default
 * @param baseline the baseline's true behaviour
 * @param candidate the candidate's true behaviour
 * @param worse which version serves users worse (its requests count as exposure)
 */
record Scenario(
    String name,
    String description,
    Traffic traffic,
    Noise noise,
    Behaviour baseline,
    Behaviour candidate,
    Worse worse) {

  /** Which version is worse for users. */
  enum Worse {
    BASELINE,
    CANDIDATE,
    NEITHER
  }

  /**
   * A version's truth: each request errs with {@code errorRate}; its latency is log-normal with median
   * {@code latencyMedianMs} and log-sd {@code latencySigma}.
   */
  record Behaviour(double errorRate, double latencyMedianMs, double latencySigma) {}

  /**
   * Requests per minute: Poisson around {@code requestsPerSecond} × 60, except that a minute is quiet (no
   * requests at all) with probability {@code quietShare}, and otherwise its rate is multiplied by a
   * log-normal burst factor with log-sd {@code burstSigma} and mean 1.
   */
  record Traffic(double requestsPerSecond, double quietShare, double burstSigma) {
    static Traffic steady(double requestsPerSecond) {
      return new Traffic(requestsPerSecond, 0, 0);
    }
  }

  /**
   * Per-minute swings common to both versions: every request's error probability is multiplied by a
   * Gamma factor with mean 1 and coefficient of variation {@code errorRateCv}, every latency by a
   * log-normal factor with log-sd {@code latencySigma}.
   */
  record Noise(double errorRateCv, double latencySigma) {
    static final Noise NONE = new Noise(0, 0);
  }

  /** The candidate's true long-run error rate, mean latency and p95 latency (noise included). */
  double[] candidateTruth() {
    return truth(candidate);
  }

  double[] baselineTruth() {
    return truth(baseline);
  }

  private double[] truth(Behaviour b) {
    double s = Math.sqrt(b.latencySigma() * b.latencySigma() + noise.latencySigma() * noise.latencySigma());
    return new double[] {
      b.errorRate(), b.latencyMedianMs() * Math.exp(s * s / 2), b.latencyMedianMs() * Math.exp(1.6448536269514722 * s)
    };
  }

  /** Whether the candidate truly meets every objective: then promoting it is right, else rolling back. */
  boolean candidateShouldWin() {
    double[] t = candidateTruth();
    return t[0] <= BenchExperiment.ERROR_RATE_LIMIT
        && t[1] <= BenchExperiment.MEAN_LATENCY_LIMIT
        && t[2] <= BenchExperiment.P95_LATENCY_LIMIT;
  }

  private static final Behaviour HEALTHY = new Behaviour(0.005, 80, 0.5);
  private static final Behaviour HEAVY_TAILED = new Behaviour(0.005, 45, 1.0);

  /**
   * The suite: the eight situations, plus a bad candidate at low traffic and a noisy environment
   * (swings shared by both versions, which cumulative counts cannot tell from the candidate's own), and
   * two harder bad candidates added later, at the end so the earlier scenarios keep their seeds: a
   * marginally worse candidate at low traffic (the risk of deciding undecided candidates at the horizon)
   * and one in the noisy environment (the risk of swings for promotions).
   */
  static List<Scenario> suite() {
    Traffic normal = Traffic.steady(20);
    Traffic low = Traffic.steady(1);
    return List.of(
        new Scenario("clearly-better", "candidate: 0.2% errors, p95 126 ms (baseline 0.5%, 182 ms)",
            normal, Noise.NONE, HEALTHY, new Behaviour(0.002, 60, 0.45), Worse.BASELINE),
        new Scenario("clearly-worse-errors", "candidate: 5% errors against a 1% objective",
            normal, Noise.NONE, HEALTHY, new Behaviour(0.05, 80, 0.5), Worse.CANDIDATE),
        new Scenario("worse-tail-latency", "candidate: same errors and mean within 150 ms, but p95 388 ms > 300 ms",
            normal, Noise.NONE, HEALTHY, new Behaviour(0.005, 75, 1.0), Worse.CANDIDATE),
        new Scenario("marginally-worse", "candidate: 1.5% errors against a 1% objective (baseline 0.5%)",
            normal, Noise.NONE, HEALTHY, new Behaviour(0.015, 80, 0.5), Worse.CANDIDATE),
        new Scenario("equal", "candidate identical to the baseline, both inside every objective",
            normal, Noise.NONE, HEALTHY, HEALTHY, Worse.NEITHER),
        new Scenario("low-traffic", "candidate identical to the baseline, at a twentieth of the traffic",
            low, Noise.NONE, HEALTHY, HEALTHY, Worse.NEITHER),
        new Scenario("low-traffic-worse", "candidate with 5% errors, at a twentieth of the traffic",
            low, Noise.NONE, HEALTHY, new Behaviour(0.05, 80, 0.5), Worse.CANDIDATE),
        new Scenario("bursty-traffic",
            "30% of minutes without any request, bursts of up to ~5× the mean; candidate identical",
            new Traffic(20, 0.3, 1.0), Noise.NONE, HEALTHY, HEALTHY, Worse.NEITHER),
        new Scenario("noisy-metric",
            "heavy-tailed latency (log-sd 1.0: p95 233 ms, mean 74 ms) in both versions, so a minute's p95 swings;"
                + " candidate identical",
            normal, Noise.NONE, HEAVY_TAILED, HEAVY_TAILED, Worse.NEITHER),
        new Scenario("noisy-environment",
            "per-minute swings shared by both versions (error rate × Gamma with CV 0.7, latency × e^N(0, 0.3));"
                + " candidate identical",
            normal, new Noise(0.7, 0.3), HEALTHY, HEALTHY, Worse.NEITHER),
        new Scenario("low-traffic-marginal",
            "candidate: 1.5% errors against a 1% objective (baseline 0.5%), at a twentieth of the traffic",
            low, Noise.NONE, HEALTHY, new Behaviour(0.015, 80, 0.5), Worse.CANDIDATE),
        new Scenario("noisy-environment-worse",
            "candidate: 1.5% errors against a 1% objective (baseline 0.5%), with the noisy environment's swings",
            normal, new Noise(0.7, 0.3), HEALTHY, new Behaviour(0.015, 80, 0.5), Worse.CANDIDATE));
  }
}
