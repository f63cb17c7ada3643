package tools.iter8.testkit.traffic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tools.iter8.core.metrics.Histogram;
import tools.iter8.core.metrics.Observation;

/**
 * A seeded simulation of an app with several versions under user traffic: each {@link #tick} sends
 * {@code requestsPerSecond × seconds} requests, split by the traffic weights the router set, and
 * records per version the cumulative counts a Prometheus would hold (requests, errors, a latency
 * histogram, latency sum, a reward sum). {@link #observe} answers a metric query the way the built-in
 * metric sets do, so the analysis sees the same kind of numbers as from a real Prometheus. Used where
 * the traffic, not the metrics pipeline, is under test; thread-safe.
 */
public final class SimulatedApp {
  /** Latency bucket bounds in milliseconds, as typical Istio/Micrometer histograms. */
  public static final double[] BOUNDS_MS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, Double.POSITIVE_INFINITY};

  private final Map<String, VersionProfile> profiles = new LinkedHashMap<>();
  private final Map<String, Counts> counts = new LinkedHashMap<>();
  private final double requestsPerSecond;
  private final SplittableRandom random;
  private double carry;

  private static final class Counts {
    long requests;
    long errors;
    double latencySum;
    double rewardSum;
    final long[] buckets = new long[BOUNDS_MS.length];
  }

  public SimulatedApp(double requestsPerSecond, long seed) {
    this.requestsPerSecond = requestsPerSecond;
    this.random = new SplittableRandom(seed);
  }

  public synchronized SimulatedApp version(String name, VersionProfile profile) {
    profiles.put(name, profile);
    counts.putIfAbsent(name, new Counts());
    return this;
  }

  public synchronized void profile(String name, VersionProfile profile) {
    profiles.put(name, profile);
  }

  /** Sends the requests of {@code seconds} of traffic, split by {@code weights} (percent by version). */
  public synchronized void tick(double seconds, Map<String, Integer> weights) {
    double exact = requestsPerSecond * seconds + carry;
    long n = (long) exact;
    carry = exact - n;
    int total = weights.values().stream().mapToInt(Integer::intValue).sum();
    if (total <= 0) {
      return;
    }
    List<String> names = new ArrayList<>(weights.keySet());
    for (long i = 0; i < n; i++) {
      int pick = random.nextInt(total);
      String version = names.get(names.size() - 1);
      for (String name : names) {
        pick -= weights.get(name);
        if (pick < 0) {
          version = name;
          break;
        }
      }
      serve(version);
    }
  }

  private void serve(String version) {
    VersionProfile p = profiles.get(version);
    Counts c = counts.get(version);
    if (p == null || c == null) {
      return;
    }
    c.requests++;
    if (random.nextDouble() < p.errorRate()) {
      c.errors++;
    }
    double latency = p.medianLatencyMs() * Math.exp(p.latencySigma() * gaussian());
    c.latencySum += latency;
    for (int b = 0; b < BOUNDS_MS.length; b++) {
      if (latency <= BOUNDS_MS[b]) {
        c.buckets[b]++;
        break;
      }
    }
    c.rewardSum += p.reward() * (0.5 + random.nextDouble());
  }

  private double gaussian() {
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Cumulative counts of one version, for an exposition: requests, errors, latency sum and buckets (not cumulative). */
  public record Snapshot(long requests, long errors, double latencySumMs, long[] buckets) {}

  public synchronized Snapshot snapshot(String version) {
    Counts c = counts.get(version);
    return c == null ? new Snapshot(0, 0, 0, new long[BOUNDS_MS.length])
        : new Snapshot(c.requests, c.errors, c.latencySum, c.buckets.clone());
  }

  public synchronized java.util.Set<String> versions() {
    return new java.util.LinkedHashSet<>(profiles.keySet());
  }

  public synchronized long requests(String version) {
    Counts c = counts.get(version);
    return c == null ? 0 : c.requests;
  }

  /**
   * The observation for a metric named like the built-in sets' ({@code request-count},
   * {@code error-count}, {@code error-rate}, {@code latency-histogram}, {@code mean-latency},
   * {@code latency-p50}/{@code p90}/{@code p95}/{@code p99}) or {@code reward} (mean reward per request).
   * A ratio over zero requests is no data, as a PromQL division by zero.
   */
  public synchronized Observation observe(String version, String metric) {
    Counts c = counts.get(version);
    if (c == null) {
      return new Observation.NoData("no series for version " + version);
    }
    return switch (metric) {
      case "request-count" -> new Observation.Value(c.requests);
      case "error-count" -> new Observation.Value(c.errors);
      case "error-rate" -> c.requests == 0 ? noData(version) : new Observation.Value((double) c.errors / c.requests);
      case "mean-latency" -> c.requests == 0 ? noData(version) : new Observation.Value(c.latencySum / c.requests);
      case "reward" -> c.requests == 0 ? noData(version) : new Observation.Value(c.rewardSum / c.requests);
      case "latency-histogram" -> c.requests == 0 ? noData(version) : new Observation.Buckets(histogram(c));
      case "latency-p50" -> quantile(c, 0.50, version);
      case "latency-p90" -> quantile(c, 0.90, version);
      case "latency-p95" -> quantile(c, 0.95, version);
      case "latency-p99" -> quantile(c, 0.99, version);
      default -> new Observation.Error("the simulated app has no metric " + metric);
    };
  }

  private static Observation noData(String version) {
    return new Observation.NoData("no requests to " + version + " yet");
  }

  private static Histogram histogram(Counts c) {
    List<Histogram.Bucket> buckets = new ArrayList<>();
    long cumulative = 0;
    for (int b = 0; b < BOUNDS_MS.length; b++) {
      cumulative += c.buckets[b];
      buckets.add(new Histogram.Bucket(BOUNDS_MS[b], cumulative));
    }
    return new Histogram(buckets);
  }

  /** Prometheus's histogram_quantile: linear interpolation inside the bucket. */
  private static Observation quantile(Counts c, double q, String version) {
    if (c.requests == 0) {
      return noData(version);
    }
    double rank = q * c.requests;
    long cumulative = 0;
    double lower = 0;
    for (int b = 0; b < BOUNDS_MS.length; b++) {
      long before = cumulative;
      cumulative += c.buckets[b];
      if (cumulative >= rank) {
        if (Double.isInfinite(BOUNDS_MS[b])) {
          return new Observation.Value(BOUNDS_MS[b - 1]);
        }
        double inBucket = c.buckets[b];
        return new Observation.Value(lower + (BOUNDS_MS[b] - lower) * (inBucket == 0 ? 0 : (rank - before) / inBucket));
      }
      lower = BOUNDS_MS[b];
    }
    return new Observation.Value(BOUNDS_MS[BOUNDS_MS.length - 2]);
  }
}
