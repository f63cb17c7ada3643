package tools.iter8.testkit.traffic;

/**
 * How one simulated version behaves: the probability that a request fails, its latency (log-normal
 * with this median and log-standard deviation, in milliseconds) and the level of a business reward
 * gauge (e.g. conversion rate), each request's reward drawn around it.
 */
public record VersionProfile(double errorRate, double medianLatencyMs, double latencySigma, double reward) {

  public static VersionProfile healthy() {
    return new VersionProfile(0.001, 40, 0.4, 0.10);
  }

  public VersionProfile withErrorRate(double r) {
    return new VersionProfile(r, medianLatencyMs, latencySigma, reward);
  }

  public VersionProfile withMedianLatency(double ms) {
    return new VersionProfile(errorRate, ms, latencySigma, reward);
  }

  public VersionProfile withReward(double r) {
    return new VersionProfile(errorRate, medianLatencyMs, latencySigma, r);
  }
}
