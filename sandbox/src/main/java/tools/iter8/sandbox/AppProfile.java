package tools.iter8.sandbox;

/** How a version of the demo app behaves: its share of failed requests and its latency (log-normal). */
record AppProfile(String description, double errorRate, double medianLatencyMs, double latencySigma) {
  static final AppProfile V1 = new AppProfile("v1", 0.002, 30, 0.35);
  static final AppProfile V2_GOOD = new AppProfile("v2: faster, fewer errors", 0.001, 24, 0.35);
  static final AppProfile V2_BAD = new AppProfile("v2: 8% errors, slower", 0.08, 70, 0.5);
}
