package tools.iter8.bench;

/**
 * What one version served in a time window: requests, errors, the latency sum (for exact means, as
 * Prometheus's {@code _sum / _count}) and the latency histogram's per-bucket counts.
 */
final class Window {
  long requests;
  long errors;
  double latencySum;
  final long[] buckets = new long[BenchExperiment.LATENCY_BOUNDS.length];

  void add(Window w) {
    requests += w.requests;
    errors += w.errors;
    latencySum += w.latencySum;
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] += w.buckets[i];
    }
  }

  double errorRate() {
    return (double) errors / requests;
  }

  double meanLatency() {
    return latencySum / requests;
  }

  /** Prometheus's {@code histogram_quantile(q, ...)} over this window's buckets; NaN without requests. */
  double latencyQuantile(double q) {
    if (requests == 0) {
      return Double.NaN;
    }
    double[] bounds = BenchExperiment.LATENCY_BOUNDS;
    double rank = q * requests;
    long below = 0;
    for (int i = 0; i < buckets.length; i++) {
      long upTo = below + buckets[i];
      if (upTo >= rank && buckets[i] > 0) {
        if (Double.isInfinite(bounds[i])) {
          return bounds[i - 1];
        }
        double lower = i == 0 ? 0 : bounds[i - 1];
        return lower + (bounds[i] - lower) * (rank - below) / buckets[i];
      }
      below = upTo;
    }
    return bounds[bounds.length - 2];
  }
}
