package tools.iter8.sandbox;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one demo pod has served: requests by status code, their total time and a latency histogram. It
 * renders the exposition Spring Boot/Micrometer apps produce ({@code http_server_requests_seconds}), which
 * the built-in {@code http} metric set reads through Prometheus; the embedded metrics source reads the
 * same numbers directly.
 */
final class RequestStats {
  /** Bucket bounds in seconds (Micrometer's SLO-style bounds, enough for p50..p99 of the demo). */
  static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 1, 2.5, 5, Double.POSITIVE_INFINITY};

  /** Counts of one status code. */
  static final class ByStatus {
    long count;
    double sumSeconds;
    final long[] buckets = new long[BOUNDS.length];

    ByStatus copy() {
      ByStatus c = new ByStatus();
      c.count = count;
      c.sumSeconds = sumSeconds;
      System.arraycopy(buckets, 0, c.buckets, 0, buckets.length);
      return c;
    }
  }

  private final Map<Integer, ByStatus> byStatus = new TreeMap<>();

  RequestStats() {
    // Series exist from the start, so Prometheus's increase() sees the first requests.
    byStatus.put(200, new ByStatus());
    byStatus.put(500, new ByStatus());
  }

  synchronized void record(int status, double seconds) {
    ByStatus s = byStatus.computeIfAbsent(status, k -> new ByStatus());
    s.count++;
    s.sumSeconds += seconds;
    for (int b = 0; b < BOUNDS.length; b++) {
      if (seconds <= BOUNDS[b]) {
        s.buckets[b]++;
        break;
      }
    }
  }

  /** A copy of the counts, by status code. */
  synchronized Map<Integer, ByStatus> snapshot() {
    Map<Integer, ByStatus> copy = new TreeMap<>();
    byStatus.forEach((k, v) -> copy.put(k, v.copy()));
    return copy;
  }

  /** The Prometheus text exposition, as Micrometer writes it. */
  String exposition() {
    StringBuilder out = new StringBuilder("# TYPE http_server_requests_seconds histogram\n");
    snapshot().forEach((status, s) -> {
      String labels = "method=\"GET\",outcome=\"" + (status >= 500 ? "SERVER_ERROR" : "SUCCESS") + "\",status=\""
          + status + "\",uri=\"/\"";
      long cumulative = 0;
      for (int b = 0; b < BOUNDS.length; b++) {
        cumulative += s.buckets[b];
        String le = Double.isInfinite(BOUNDS[b]) ? "+Inf" : Double.toString(BOUNDS[b]);
        out.append("http_server_requests_seconds_bucket{").append(labels).append(",le=\"").append(le).append("\"} ")
            .append(cumulative).append('\n');
      }
      out.append("http_server_requests_seconds_count{").append(labels).append("} ").append(s.count).append('\n');
      out.append("http_server_requests_seconds_sum{").append(labels).append("} ").append(s.sumSeconds).append('\n');
    });
    return out.toString();
  }
}
