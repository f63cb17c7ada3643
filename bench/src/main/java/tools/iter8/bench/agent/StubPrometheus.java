package tools.iter8.bench.agent;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stub of Prometheus' {@code /api/v1/query} for the built-in {@code http} metric set
 * ({@code manifests/metrics/http/metrics.yaml}): it answers each PromQL query the set's Metrics send with a vector of
 * the right shape, from a steady simulated app (10 requests/s per version since the experiment started, 0.5% errors,
 * a fixed log-normal-ish latency histogram), identical for every version, so A/B experiments never decide and run for
 * as long as the benchmark does. It recognises the queries by their text (a histogram by {@code by (le)}, quantiles by
 * {@code histogram_quantile}, errors by {@code status=~'5..'}), so the agent's whole metrics path runs: URL and body
 * templates, the HTTP call, jq.
 */
public final class StubPrometheus implements AutoCloseable {
  /** Upper bounds in seconds, as Micrometer's percentiles-histogram buckets, and the cumulative share at each. */
  private static final double[] LE = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  private static final double[] CUMULATIVE = {0.01, 0.04, 0.15, 0.38, 0.70, 0.93, 0.985, 0.997, 1.0};
  private static final double RATE = 10.0;
  private static final double ERRORS = 0.005;
  private static final Pattern RANGE = Pattern.compile("\\[(\\d+)s]");
  private static final Pattern QUANTILE = Pattern.compile("histogram_quantile\\(([0-9.]+)");

  private final HttpServer server;
  private final LongAdder queries = new LongAdder();

  private StubPrometheus(HttpServer server) {
    this.server = server;
  }

  public static StubPrometheus start(Vertx vertx) {
    StubPrometheus[] self = new StubPrometheus[1];
    HttpServer server = vertx.createHttpServer().requestHandler(req -> self[0].handle(req));
    self[0] = new StubPrometheus(server);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    return self[0];
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/api/v1/query";
  }

  public long queries() {
    return queries.sum();
  }

  private void handle(HttpServerRequest req) {
    if (req.method().name().equals("POST")) {
      req.setExpectMultipart(true);
      req.end().onSuccess(v -> answer(req, req.getFormAttribute("query")));
    } else {
      answer(req, req.getParam("query"));
    }
  }

  private void answer(HttpServerRequest req, String query) {
    queries.increment();
    String body = query == null ? error("no query") : "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
        + "\"result\":[" + result(query) + "]}}";
    req.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
  }

  /** The vector's samples for a query of the http set. */
  static String result(String q) {
    Matcher range = RANGE.matcher(q);
    double elapsed = range.find() ? Double.parseDouble(range.group(1)) : 60;
    double count = RATE * Math.max(1, elapsed);
    boolean errors = q.contains("status=~'5..'");
    Matcher quantile = QUANTILE.matcher(q);
    if (quantile.find()) {
      return sample(null, 1000 * quantileOf(Double.parseDouble(quantile.group(1))));
    }
    if (q.contains("by (le)")) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < LE.length; i++) {
        s.append(sample(String.valueOf(LE[i]), Math.round(count * CUMULATIVE[i]))).append(',');
      }
      return s.append(sample("+Inf", count)).toString();
    }
    if (q.contains("_sum")) {
      return sample(null, 62.5);
    }
    if (errors && q.contains(" / ")) {
      return sample(null, ERRORS);
    }
    if (errors) {
      return sample(null, Math.round(count * ERRORS));
    }
    return sample(null, count);
  }

  /**
   * The same answer as an observation, by the http set's metric name, for {@link StubMetricsSource}: what the agent's
   * jq expressions make of {@link #result}.
   */
  static tools.iter8.core.metrics.Observation observe(String metric, long elapsedSeconds) {
    double count = RATE * Math.max(1, elapsedSeconds);
    return switch (metric) {
      case "latency-histogram" -> {
        java.util.List<tools.iter8.core.metrics.Histogram.Bucket> buckets = new java.util.ArrayList<>();
        for (int i = 0; i < LE.length; i++) {
          buckets.add(new tools.iter8.core.metrics.Histogram.Bucket(1000 * LE[i], Math.round(count * CUMULATIVE[i])));
        }
        buckets.add(new tools.iter8.core.metrics.Histogram.Bucket(Double.POSITIVE_INFINITY, count));
        yield new tools.iter8.core.metrics.Observation.Buckets(new tools.iter8.core.metrics.Histogram(buckets));
      }
      case "latency-p50" -> new tools.iter8.core.metrics.Observation.Value(1000 * quantileOf(0.5));
      case "latency-p90" -> new tools.iter8.core.metrics.Observation.Value(1000 * quantileOf(0.9));
      case "latency-p95" -> new tools.iter8.core.metrics.Observation.Value(1000 * quantileOf(0.95));
      case "latency-p99" -> new tools.iter8.core.metrics.Observation.Value(1000 * quantileOf(0.99));
      case "mean-latency" -> new tools.iter8.core.metrics.Observation.Value(62.5);
      case "error-rate" -> new tools.iter8.core.metrics.Observation.Value(ERRORS);
      case "error-count" -> new tools.iter8.core.metrics.Observation.Value(Math.round(count * ERRORS));
      default -> new tools.iter8.core.metrics.Observation.Value(count);
    };
  }

  private static double quantileOf(double q) {
    double lower = 0;
    double below = 0;
    for (int i = 0; i < LE.length; i++) {
      if (CUMULATIVE[i] >= q) {
        return lower + (LE[i] - lower) * (q - below) / (CUMULATIVE[i] - below);
      }
      lower = LE[i];
      below = CUMULATIVE[i];
    }
    return LE[LE.length - 1];
  }

  private static String sample(String le, double value) {
    String metric = le == null ? "{}" : "{\"le\":\"" + le + "\"}";
    return String.format(Locale.ROOT, "{\"metric\":%s,\"value\":[%d.000,\"%s\"]}", metric,
        System.currentTimeMillis() / 1000, value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value));
  }

  private static String error(String message) {
    return "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"" + message + "\"}";
  }

  @Override
  public void close() {
    server.close();
  }
}
