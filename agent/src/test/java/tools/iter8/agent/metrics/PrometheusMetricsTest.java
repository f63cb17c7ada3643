package tools.iter8.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static tools.iter8.agent.metrics.MetricsTestSupport.await;
import static tools.iter8.agent.metrics.MetricsTestSupport.metric;
import static tools.iter8.agent.metrics.MetricsTestSupport.metrics;
import static tools.iter8.agent.metrics.MetricsTestSupport.withParam;
import static tools.iter8.agent.metrics.MetricsTestSupport.withUrl;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.metrics.TrafficApp.Request;
import tools.iter8.agent.metrics.TrafficApp.Version;
import java.util.Map;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.metrics.Histogram;
import tools.iter8.core.metrics.Observation;
import tools.iter8.testkit.prometheus.PrometheusProcess;

/**
 * Every built-in metric of the istio, knative, kserve and http sets, evaluated by {@link HttpMetricsSource}
 * against a real Prometheus that scraped known traffic of two versions ({@link TrafficApp}), comes back
 * with the value the traffic implies.
 *
 * <p>Exact by design, no tolerance for Prometheus's extrapolation: each series has two samples with
 * explicit timestamps, 0 at t0 and its final value at t1; the built-in queries are evaluated at t1 (the
 * only change to the shipped Metrics besides the URL is the added Prometheus parameter {@code time=t1})
 * with {@code $elapsedTime} reaching back past t0. {@code increase()} then extrapolates neither end —
 * toward the start because the first sample is 0 (Prometheus stops at the zero crossing), toward the end
 * because the last sample is at the evaluation instant — so counts, sums and buckets are the exact
 * integers. The only inexactness left is floating point (seconds → milliseconds in the http set) and the
 * histogram's resolution for percentiles, which are checked against both Prometheus's interpolation rule
 * and the true percentile of the requests (within the width of its bucket).
 */
class PrometheusMetricsTest {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetricsTest.class);

  private static Vertx vertx;
  private static TrafficApp app;
  private static PrometheusProcess prometheus;
  private static WebClient client;
  private static HttpMetricsSource source;
  private static List<Version> versions;
  private static Instant t1;
  private static long elapsed;

  @BeforeAll
  static void scrapeKnownTraffic() {
    vertx = Vertx.vertx();
    Instant now = Instant.now();
    Instant t0 = now.minusSeconds(30);
    t1 = now.minusSeconds(5);
    elapsed = Duration.between(t0, t1).getSeconds() + 10;
    versions = TrafficApp.defaultVersions();
    app = await(new TrafficApp(versions, t0.toEpochMilli(), t1.toEpochMilli()).start(vertx));
    prometheus = PrometheusProcess.start(app.targets());
    int pods = app.podCount();
    prometheus.await("count(iter8_test_phase == 0)", r -> r.size() == 1 && r.get(0).path("value").get(1).asInt() == pods,
        Duration.ofSeconds(60));
    app.finish();
    prometheus.await("count(iter8_test_phase == 1)", r -> r.size() == 1 && r.get(0).path("value").get(1).asInt() == pods,
        Duration.ofSeconds(60));
    client = WebClient.create(vertx);
    source = new HttpMetricsSource(client, SecretSource.of(java.util.Map.of()), "iter8-system", Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (client != null) {
      client.close();
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  /** A shipped Metric pointed at the test Prometheus and evaluated at t1. */
  private static Metric pinned(String set, String name) {
    return pinned(metric(set, name));
  }

  private static Metric pinned(Metric m) {
    return withParam(withUrl(m, prometheus.queryUrl()), "time", String.format(Locale.ROOT, "%.3f", t1.toEpochMilli() / 1000.0));
  }

  private static Observation evaluate(String set, String name, VersionDetail version) {
    return await(source.evaluate(MetricsTestSupport.query(pinned(set, name), version, elapsed)));
  }

  private static Version baseline() {
    return versions.get(0);
  }

  private static Version candidate() {
    return versions.get(1);
  }

  /**
   * The version as a generated experiment describes it (docs/workloads.md): a logical name, and the
   * variables the built-in sets select on, {@code workload} (istio, http) and {@code revision} (knative,
   * kserve).
   */
  private static VersionDetail nameIn(String set, Version v) {
    String name = v == baseline() ? "baseline" : v == candidate() ? "candidate" : v.workload();
    return MetricsTestSupport.version(name, Map.of("workload", v.workload(), "revision", v.revision()));
  }

  /** The histogram's upper bounds in milliseconds in a set, without +Inf. */
  private static double[] boundsMs(String set) {
    return switch (set) {
      case "istio" -> TrafficApp.ISTIO_BUCKETS_MS;
      case "knative", "kserve" -> TrafficApp.KNATIVE_BUCKETS_MS;
      default -> java.util.Arrays.stream(TrafficApp.MICROMETER_BUCKETS_S).map(b -> b * 1000).toArray();
    };
  }

  private static double value(Observation o) {
    assertThat(o).isInstanceOf(Observation.Value.class);
    return ((Observation.Value) o).value();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"istio", "knative", "kserve", "http"})
  void countsAndRatesAreExact(String set) {
    for (Version v : List.of(baseline(), candidate())) {
      VersionDetail name = nameIn(set, v);
      long requests = v.requests().size();
      long errors = v.count(r -> r.status() >= 500);
      assertThat(value(evaluate(set, "request-count", name))).as("%s request-count %s", set, name).isEqualTo(requests);
      assertThat(value(evaluate(set, "error-count", name))).as("%s error-count %s", set, name).isEqualTo(errors);
      assertThat(value(evaluate(set, "error-rate", name)))
          .as("%s error-rate %s", set, name)
          .isCloseTo((double) errors / requests, within(1e-12));
    }
    // The test data has both 4xx (not errors) and 5xx for each version.
    assertThat(baseline().count(r -> r.status() == 404)).isPositive();
    assertThat(baseline().count(r -> r.status() >= 500)).isEqualTo(4);
    assertThat(candidate().count(r -> r.status() >= 500)).isEqualTo(15);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"istio", "knative", "kserve", "http"})
  void latencyHistogramHasTheExactBuckets(String set) {
    for (Version v : List.of(baseline(), candidate())) {
      Observation o = evaluate(set, "latency-histogram", nameIn(set, v));
      assertThat(o).as("%s latency-histogram %s", set, v.workload()).isInstanceOf(Observation.Buckets.class);
      Histogram h = ((Observation.Buckets) o).histogram();
      double[] bounds = boundsMs(set);
      assertThat(h.buckets()).hasSize(bounds.length + 1);
      for (int i = 0; i < bounds.length; i++) {
        double le = bounds[i];
        assertThat(h.buckets().get(i).upperBound()).isCloseTo(le, within(1e-9));
        assertThat(h.buckets().get(i).cumulativeCount()).as("bucket le=%s", le).isEqualTo(v.count(r -> r.latencyMs() <= le));
      }
      assertThat(h.buckets().get(bounds.length).upperBound()).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(h.total()).isEqualTo(v.requests().size());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"istio", "knative", "kserve", "http"})
  void meanLatencyIsExact(String set) {
    for (Version v : List.of(baseline(), candidate())) {
      double mean = v.requests().stream().mapToDouble(Request::latencyMs).average().orElseThrow();
      assertThat(value(evaluate(set, "mean-latency", nameIn(set, v))))
          .as("%s mean-latency %s", set, v.workload())
          .isCloseTo(mean, within(mean * 1e-12));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"istio", "knative", "kserve", "http"})
  void percentilesAreTheHistogramsWithinItsResolution(String set) {
    double[] bounds = boundsMs(set);
    for (Version v : List.of(baseline(), candidate())) {
      for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
        String name = "latency-p" + Math.round(q * 100);
        double actual = value(evaluate(set, name, nameIn(set, v)));
        double[] cumulative = new double[bounds.length + 1];
        for (int i = 0; i < bounds.length; i++) {
          double le = bounds[i];
          cumulative[i] = v.count(r -> r.latencyMs() <= le);
        }
        cumulative[bounds.length] = v.requests().size();
        // Prometheus's rule: linear interpolation within the bucket holding rank q × total.
        assertThat(actual).as("%s %s %s", set, name, v.workload())
            .isCloseTo(histogramQuantile(q, bounds, cumulative), within(1e-9));
        // And the true percentile of the requests is in the same bucket: the histogram's resolution.
        double truth = nearestRank(v.requests(), q);
        double upper = bounds[bucketOf(truth, bounds)];
        double lower = bucketOf(truth, bounds) == 0 ? 0 : bounds[bucketOf(truth, bounds) - 1];
        assertThat(actual).as("%s %s %s vs true %s", set, name, v.workload(), truth).isBetween(lower, upper);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"istio", "knative", "kserve", "http"})
  void anAbsentVersionIsNoDataForEveryMetric(String set) {
    for (Metric m : metrics(set)) {
      VersionDetail ghost = MetricsTestSupport.version("ghost", Map.of("workload", "ghost", "revision", "ghost-00001"));
      Observation o = await(source.evaluate(MetricsTestSupport.query(pinned(m), ghost, elapsed)));
      assertThat(o).as("%s %s", set, m.metadata().name()).isInstanceOf(Observation.NoData.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"istio", "knative", "kserve", "http"})
  void zeroTrafficIsZeroCountsAndNoDataForRatiosAndLatencies(String set) {
    Version idle = versions.get(2);
    VersionDetail name = nameIn(set, idle);
    assertThat(value(evaluate(set, "request-count", name))).isZero();
    assertThat(value(evaluate(set, "error-count", name))).isZero();
    for (String m : List.of("error-rate", "latency-histogram", "mean-latency", "latency-p50", "latency-p99")) {
      Observation o = evaluate(set, m, name);
      assertThat(o).as("%s %s", set, m).isInstanceOf(Observation.NoData.class);
      assertThat(((Observation.NoData) o).reason()).as("%s %s", set, m).containsAnyOf("NaN", "no observations");
    }
  }

  @Test
  void prometheusDownIsAnError() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Metric m = withUrl(metric("istio", "request-count"), "http://127.0.0.1:" + closedPort + "/api/v1/query");
    Observation o = await(source.evaluate(MetricsTestSupport.query(m, nameIn("istio", baseline()), elapsed)));
    assertThat(o).isInstanceOf(Observation.Error.class);
    assertThat(((Observation.Error) o).reason())
        .startsWith("metric iter8-istio/request-count (version baseline): cannot connect to http://127.0.0.1:" + closedPort);
  }

  @Test
  void aBadQueryIsAnErrorWithPrometheussMessage() {
    Metric m = edit(pinned("istio", "request-count"), "sum(increase(istio_requests_total[${elapsedTime}s]");
    Observation o = await(source.evaluate(MetricsTestSupport.query(m, nameIn("istio", baseline()), elapsed)));
    assertThat(o).isInstanceOf(Observation.Error.class);
    assertThat(((Observation.Error) o).reason()).contains("HTTP 400 from " + prometheus.queryUrl()).contains("bad_data");
  }

  @Test
  void aWrongJqExpressionIsAnErrorNamingIt() {
    Metric m = MetricsTestSupport.edit(pinned("istio", "request-count"), s -> s.put("jqExpression", ".data.result[0].value[1].count"));
    Observation o = await(source.evaluate(MetricsTestSupport.query(m, nameIn("istio", baseline()), elapsed)));
    assertThat(o).isInstanceOf(Observation.Error.class);
    assertThat(((Observation.Error) o).reason())
        .startsWith("metric iter8-istio/request-count (version baseline): jq expression '.data.result[0].value[1].count' failed: ")
        .contains("Cannot index string");
  }

  @Test
  void oneEvaluationOfAllBuiltinsForTwoVersions() {
    List<MetricQuery> queries = new ArrayList<>();
    for (String set : MetricsTestSupport.PROMETHEUS_SETS) {
      for (Metric m : metrics(set)) {
        for (Version v : List.of(baseline(), candidate())) {
          queries.add(MetricsTestSupport.query(pinned(m), nameIn(set, v), elapsed));
        }
      }
    }
    // Fresh source and client: the first pass includes connection set-up and jq compilation.
    WebClient fresh = WebClient.create(vertx);
    try {
      HttpMetricsSource cold = new HttpMetricsSource(fresh, SecretSource.of(java.util.Map.of()), "iter8-system", Duration.ofSeconds(10));
      long start = System.nanoTime();
      List<Observation> first = await(cold.evaluateAll(queries));
      long coldMs = (System.nanoTime() - start) / 1_000_000;
      start = System.nanoTime();
      List<Observation> second = await(cold.evaluateAll(queries));
      long warmMs = (System.nanoTime() - start) / 1_000_000;
      start = System.nanoTime();
      for (MetricQuery q : queries) {
        await(cold.evaluate(q));
      }
      long sequentialMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(first).allMatch(o -> !(o instanceof Observation.Error) && !(o instanceof Observation.NoData));
      assertThat(second).isEqualTo(first);
      String line = String.format(Locale.ROOT,
          "TIMING one evaluation of all %d built-in queries (%d sets x %d metrics x 2 versions) against Prometheus %s: "
              + "concurrent cold %d ms, concurrent warm %d ms, sequential warm %d ms (%.1f ms/query)",
          queries.size(), MetricsTestSupport.PROMETHEUS_SETS.size(), queries.size() / 2 / MetricsTestSupport.PROMETHEUS_SETS.size(),
          prometheus.url(), coldMs, warmMs, sequentialMs, (double) sequentialMs / queries.size());
      System.out.println(line);
      LOG.info(line);
    } finally {
      fresh.close();
    }
  }

  private static Metric edit(Metric m, String query) {
    return MetricsTestSupport.edit(m, s -> {
      for (var p : s.withArray("params")) {
        if (p.path("name").asText().equals("query")) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) p).put("value", query);
        }
      }
    });
  }

  /** Prometheus 2.x's bucketQuantile for cumulative counts at the bounds, the last being +Inf. */
  static double histogramQuantile(double q, double[] bounds, double[] cumulative) {
    double total = cumulative[cumulative.length - 1];
    double rank = q * total;
    int b = 0;
    while (b < cumulative.length - 1 && cumulative[b] < rank) {
      b++;
    }
    if (b == cumulative.length - 1) {
      return bounds[bounds.length - 1];
    }
    double start = b == 0 ? 0 : bounds[b - 1];
    double before = b == 0 ? 0 : cumulative[b - 1];
    double count = cumulative[b] - before;
    return start + (bounds[b] - start) * ((rank - before) / count);
  }

  /** The smallest latency with at least q of the requests at or below it. */
  static double nearestRank(List<Request> requests, double q) {
    double[] sorted = requests.stream().mapToDouble(Request::latencyMs).sorted().toArray();
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static int bucketOf(double latency, double[] bounds) {
    for (int i = 0; i < bounds.length; i++) {
      if (latency <= bounds[i]) {
        return i;
      }
    }
    throw new IllegalArgumentException(latency + " is beyond the last finite bucket");
  }
}
