package tools.iter8.sandbox;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.iter8.agent.metrics.MetricQuery;
import tools.iter8.agent.metrics.MetricsSource;
import tools.iter8.core.api.NamedValue;
import tools.iter8.core.metrics.Histogram;
import tools.iter8.core.metrics.Observation;

/**
 * The sandbox's metrics when no Prometheus is installed: it answers the built-in {@code http} metric set
 * (request-count, error-count, error-rate, latency-histogram, mean-latency, latency-p50/p90/p95/p99) from
 * the demo pods' own counts, over the same window and for the same pods as the set's PromQL would
 * ({@code increase(...[${elapsedTime}s])} over pods named {@code <workload>-<hash>-<suffix>}), so the
 * analysis sees the same numbers either way. Documented in docs/sandbox.md.
 */
final class EmbeddedMetricsSource implements MetricsSource {
  private final DemoPods pods;

  EmbeddedMetricsSource(DemoPods pods) {
    this.pods = pods;
  }

  @Override
  public Future<Observation> evaluate(MetricQuery q) {
    String metric = q.metricKey().substring(q.metricKey().indexOf('/') + 1);
    String workload = variable(q, "workload");
    Pattern podName = Pattern.compile(Pattern.quote(workload) + "-[a-z0-9]+-[a-z0-9]+");
    long now = System.currentTimeMillis();
    long from = now - q.elapsedSeconds() * 1000;
    long count = 0;
    long errors = 0;
    double sum = 0;
    long[] buckets = new long[RequestStats.BOUNDS.length];
    boolean matched = false;
    for (AppPod pod : pods.all()) {
      if (!podName.matcher(pod.name()).matches()) {
        continue;
      }
      matched = true;
      Map<Integer, RequestStats.ByStatus> end = pod.stats().snapshot();
      Map<Integer, RequestStats.ByStatus> start = pods.countsAt(pod, from);
      for (Map.Entry<Integer, RequestStats.ByStatus> e : end.entrySet()) {
        RequestStats.ByStatus s = e.getValue();
        RequestStats.ByStatus b = start.get(e.getKey());
        long c = s.count - (b == null ? 0 : b.count);
        count += c;
        if (e.getKey() >= 500) {
          errors += c;
        }
        sum += s.sumSeconds - (b == null ? 0 : b.sumSeconds);
        for (int i = 0; i < buckets.length; i++) {
          buckets[i] += s.buckets[i] - (b == null ? 0 : b.buckets[i]);
        }
      }
    }
    if (!matched) {
      return Future.succeededFuture(new Observation.NoData("no series matched the query (no pod of " + workload + ")"));
    }
    Observation o = switch (metric) {
      case "request-count" -> new Observation.Value(count);
      case "error-count" -> new Observation.Value(errors);
      case "error-rate" -> count == 0 ? noRequests(workload) : new Observation.Value((double) errors / count);
      case "mean-latency" -> count == 0 ? noRequests(workload) : new Observation.Value(1000 * sum / count);
      case "latency-histogram" -> count == 0 ? noRequests(workload) : new Observation.Buckets(histogram(buckets));
      case "latency-p50" -> quantile(buckets, count, 0.50, workload);
      case "latency-p90" -> quantile(buckets, count, 0.90, workload);
      case "latency-p95" -> quantile(buckets, count, 0.95, workload);
      case "latency-p99" -> quantile(buckets, count, 0.99, workload);
      default -> new Observation.Error("the sandbox's embedded metrics answer the http set only, not " + q.metricKey());
    };
    return Future.succeededFuture(o);
  }

  private static String variable(MetricQuery q, String name) {
    if (q.version().variables() != null) {
      for (NamedValue v : q.version().variables()) {
        if (name.equals(v.name())) {
          return v.value();
        }
      }
    }
    return q.version().name();
  }

  private static Observation noRequests(String workload) {
    return new Observation.NoData("no requests to " + workload + " in the window");
  }

  private static Histogram histogram(long[] counts) {
    List<Histogram.Bucket> out = new ArrayList<>();
    long cumulative = 0;
    for (int i = 0; i < counts.length; i++) {
      cumulative += counts[i];
      double bound = RequestStats.BOUNDS[i];
      out.add(new Histogram.Bucket(Double.isInfinite(bound) ? bound : bound * 1000, cumulative));
    }
    return new Histogram(out);
  }

  /** Prometheus's histogram_quantile: linear within the bucket, in milliseconds. */
  private static Observation quantile(long[] counts, long total, double q, String workload) {
    if (total == 0) {
      return noRequests(workload);
    }
    double rank = q * total;
    long cumulative = 0;
    double lower = 0;
    for (int i = 0; i < counts.length; i++) {
      long before = cumulative;
      cumulative += counts[i];
      double upper = RequestStats.BOUNDS[i];
      if (cumulative >= rank) {
        if (Double.isInfinite(upper)) {
          return new Observation.Value(lower * 1000);
        }
        double within = counts[i] == 0 ? 0 : (rank - before) / counts[i];
        return new Observation.Value(1000 * (lower + (upper - lower) * within));
      }
      lower = upper;
    }
    return new Observation.Value(lower * 1000);
  }
}
