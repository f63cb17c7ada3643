package tools.iter8.agent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.iter8.core.metrics.Histogram;
import tools.iter8.core.metrics.Observation;

/**
 * The built-in metrics of {@code provider: iter8} (reference §2.4(a)): computed from the fortio histograms
 * the {@code metrics/collect} task keeps in {@code status.analysis.aggregatedBuiltinHists}, never queried
 * over HTTP. The metric is chosen by its name:
 *
 * <ul>
 *   <li>{@code request-count}: {@code DurationHistogram.Count};
 *   <li>{@code error-count}: the sum of {@code RetCodes} of codes ≥ 400;
 *   <li>{@code error-rate}: error-count / request-count (no data without requests);
 *   <li>{@code mean-latency}: {@code 1000 × Sum / Count} milliseconds (no data without requests);
 *   <li>{@code latency-<p>th-percentile} (e.g. 50th, 95th, 99.9th): the p-th percentile in milliseconds;
 *   <li>{@code latency-histogram} (ours): the histogram itself in milliseconds, for the Histogram posterior
 *       models.
 * </ul>
 *
 * <p>Percentiles differ from the original on purpose: it drew {@code 10 × Count} uniform samples per fortio
 * bucket with a fixed seed and took {@code np.percentile} of them; we compute the same distribution's
 * percentile exactly — observations spread uniformly within each bucket, linear interpolation within the
 * bucket that holds the p-th percentile — which is what the sampling approximates, without its noise and
 * cost. Values agree with the original's to within its sampling error.
 */
public final class BuiltinMetricsSource implements MetricsSource {
  private static final Pattern PERCENTILE =
      Pattern.compile("^latency-([0-9]+(?:\\.[0-9]+)?)(?:st|nd|rd|th)-percentile$");

  @Override
  public Future<Observation> evaluate(MetricQuery query) {
    return Future.succeededFuture(observe(query));
  }

  static Observation observe(MetricQuery query) {
    String name = query.metric().metadata() == null ? null : query.metric().metadata().name();
    if (name == null) {
      int slash = query.metricKey().indexOf('/');
      name = query.metricKey().substring(slash + 1);
    }
    String prefix = "metric " + query.metricKey() + " (version " + query.version().name() + "): ";
    Matcher percentile = PERCENTILE.matcher(name);
    boolean known =
        percentile.matches()
            || List.of("request-count", "error-count", "error-rate", "mean-latency", "latency-histogram").contains(name);
    if (!known) {
      return new Observation.Error(
          prefix + "provider iter8 computes request-count, error-count, error-rate, mean-latency, "
              + "latency-histogram and latency-<p>th-percentile, not \"" + name + "\"");
    }
    JsonNode all = query.builtinHistograms();
    if (all == null || all.isNull() || all.isMissingNode()) {
      return new Observation.NoData("no built-in histograms yet: the metrics/collect task has not run");
    }
    JsonNode version = all.path(query.version().name());
    if (!version.isObject()) {
      return new Observation.NoData(
          "no built-in histograms for version " + query.version().name() + ": metrics/collect sent it no load");
    }
    JsonNode hist = version.path("DurationHistogram");
    double count = hist.path("Count").asDouble(0);
    switch (name) {
      case "request-count":
        return new Observation.Value(count);
      case "error-count":
        return new Observation.Value(errors(version.path("RetCodes")));
      case "error-rate":
        return count > 0
            ? new Observation.Value(errors(version.path("RetCodes")) / count)
            : new Observation.NoData("no requests yet");
      case "mean-latency":
        return count > 0
            ? new Observation.Value(1000 * hist.path("Sum").asDouble(0) / count)
            : new Observation.NoData("no requests yet");
      case "latency-histogram": {
        List<double[]> buckets = buckets(hist);
        return buckets.isEmpty()
            ? new Observation.NoData("no requests yet")
            : new Observation.Buckets(histogramMillis(buckets));
      }
      default: {
        double p = Double.parseDouble(percentile.group(1));
        if (!(p >= 0 && p <= 100)) {
          return new Observation.Error(prefix + "a percentile is between 0 and 100, got " + p);
        }
        List<double[]> buckets = buckets(hist);
        return buckets.isEmpty()
            ? new Observation.NoData("no requests yet")
            : new Observation.Value(1000 * percentile(buckets, p));
      }
    }
  }

  /** Σ RetCodes[c] for c ≥ 400, as the original ({@code int(c) >= 400}); other keys are skipped. */
  private static double errors(JsonNode retCodes) {
    double errors = 0;
    for (Map.Entry<String, JsonNode> e : retCodes.properties()) {
      try {
        if (Integer.parseInt(e.getKey().strip()) >= 400) {
          errors += e.getValue().asDouble(0);
        }
      } catch (NumberFormatException ignored) {
        // Not an HTTP status code.
      }
    }
    return errors;
  }

  /** Fortio's {@code Data} as {@code [start, end, count]} in seconds, non-empty buckets, sorted by start. */
  private static List<double[]> buckets(JsonNode hist) {
    List<double[]> out = new ArrayList<>();
    for (JsonNode b : hist.path("Data")) {
      double count = b.path("Count").asDouble(0);
      if (count > 0) {
        double start = b.path("Start").asDouble(0);
        out.add(new double[] {start, Math.max(start, b.path("End").asDouble(start)), count});
      }
    }
    out.sort(Comparator.comparingDouble(b -> b[0]));
    return out;
  }

  /**
   * The p-th percentile of observations spread uniformly within each bucket: the bucket where the
   * cumulative count reaches {@code p% × total}, linearly interpolated.
   */
  static double percentile(List<double[]> buckets, double p) {
    double total = 0;
    for (double[] b : buckets) {
      total += b[2];
    }
    double target = p / 100 * total;
    double cumulative = 0;
    for (double[] b : buckets) {
      if (cumulative + b[2] >= target) {
        return b[0] + (b[1] - b[0]) * ((target - cumulative) / b[2]);
      }
      cumulative += b[2];
    }
    return buckets.get(buckets.size() - 1)[1];
  }

  /**
   * Cumulative buckets in milliseconds: a bound at each bucket's start (so gaps between fortio's
   * non-empty buckets stay empty) and end, then +Inf.
   */
  static Histogram histogramMillis(List<double[]> buckets) {
    List<Histogram.Bucket> out = new ArrayList<>();
    double cumulative = 0;
    for (double[] b : buckets) {
      add(out, 1000 * b[0], cumulative);
      cumulative += b[2];
      add(out, 1000 * b[1], cumulative);
    }
    out.add(new Histogram.Bucket(Double.POSITIVE_INFINITY, cumulative));
    return new Histogram(out);
  }

  private static void add(List<Histogram.Bucket> out, double bound, double cumulative) {
    if (!out.isEmpty() && out.get(out.size() - 1).upperBound() == bound) {
      out.set(out.size() - 1, new Histogram.Bucket(bound, cumulative));
    } else {
      out.add(new Histogram.Bucket(bound, cumulative));
    }
  }
}
