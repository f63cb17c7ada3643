package tools.iter8.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;

/**
 * The experiment and metrics every benchmark judges a candidate by, written as a user would write them:
 * a Canary whose objectives are an error rate of at most 1% (rolling back on failure), a mean latency of
 * at most 150 ms and a p95 latency of at most 300 ms, with the request count as the sample size. The
 * peer policies are configured with the same limits.
 */
final class BenchExperiment {
  static final String NAMESPACE = "bench";
  static final double ERROR_RATE_LIMIT = 0.01;
  static final double MEAN_LATENCY_LIMIT = 150;
  static final double P95_LATENCY_LIMIT = 300;

  /** Latency bucket bounds in ms, Prometheus style; both limits are bucket bounds. */
  static final double[] LATENCY_BOUNDS = {
    10, 25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 2500, 5000, Double.POSITIVE_INFINITY
  };

  static final String REQUESTS = NAMESPACE + "/request-count";
  static final String ERRORS = NAMESPACE + "/error-count";
  static final String LATENCY = NAMESPACE + "/latency";
  static final String LATENCY_MEAN = NAMESPACE + "/latency-mean";
  static final String LATENCY_P95 = NAMESPACE + "/latency-p95";
  static final String CPU = NAMESPACE + "/cpu";

  private BenchExperiment() {}

  /** A Canary between {@code baseline} and {@code candidate}, at most {@code iterations} iterations. */
  static Experiment canary(int iterations, String baseline, String candidate) {
    return experiment("Canary", "", "", iterations, List.of(baseline, candidate));
  }

  /**
   * An experiment over {@code versions} with the three objectives; {@code moreObjectives} and
   * {@code rewards} are YAML flow items added to the objectives and as the rewards.
   */
  static Experiment experiment(
      String testingPattern, String moreObjectives, String rewards, int iterations, List<String> versions) {
    StringBuilder candidates = new StringBuilder();
    for (int i = 1; i < versions.size(); i++) {
      candidates.append(i == 1 ? "" : ", ").append("{name: ").append(versions.get(i)).append('}');
    }
    String yaml = """
        apiVersion: iter8.tools/v2alpha2
        kind: Experiment
        metadata: {name: bench, namespace: %s}
        spec:
          target: %s/app
          strategy: {testingPattern: %s}
          criteria:
            requestCount: request-count
            objectives:
            - {metric: error-count, upperLimit: "%s", rollback_on_failure: true}
            - {metric: latency-mean, upperLimit: %s}
            - {metric: latency-p95, upperLimit: %s}%s%s
          duration: {intervalSeconds: 60, iterationsPerLoop: %d, maxLoops: 1}
          versionInfo:
            baseline: {name: %s}
            candidates: [%s]
        """.formatted(NAMESPACE, NAMESPACE, testingPattern, ERROR_RATE_LIMIT, (int) MEAN_LATENCY_LIMIT,
        (int) P95_LATENCY_LIMIT, moreObjectives.isEmpty() ? "" : "\n    - " + moreObjectives,
        rewards.isEmpty() ? "" : "\n    rewards: [" + rewards + "]", iterations, versions.get(0), candidates);
    return ApiMapper.read(yaml, Experiment.class);
  }

  static Map<String, Metric> metrics() {
    Map<String, Metric> m = new LinkedHashMap<>();
    metric(m, "request-count", "type: Counter");
    metric(m, "error-count", "type: Counter, sampleSize: request-count, posterior: {model: Rate}");
    metric(m, "latency", "type: Histogram");
    metric(m, "latency-mean", "type: Gauge, posterior: {model: HistogramMean, histogram: latency}");
    metric(m, "latency-p95",
        "type: Gauge, posterior: {model: HistogramQuantile, histogram: latency, quantile: 0.95}");
    metric(m, "cpu", "type: Gauge, sampleSize: request-count, posterior: {model: Normal, stddev: \"0.5\"}");
    return m;
  }

  private static void metric(Map<String, Metric> m, String name, String spec) {
    String yaml = "apiVersion: iter8.tools/v2alpha2\nkind: Metric\nmetadata: {name: " + name + ", namespace: "
        + NAMESPACE + "}\nspec: {urlTemplate: 'http://prometheus:9090/api/v1/query', jqExpression: "
        + "'.data.result[0].value[1] | tonumber', " + spec + "}\n";
    m.put(NAMESPACE + "/" + name, ApiMapper.read(yaml, Metric.class));
  }
}
