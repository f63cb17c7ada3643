package tools.iter8.core.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.metrics.Histogram;
import tools.iter8.core.metrics.Observation;

/**
 * Experiments, metrics and observations for analysis tests: the metric set of the decision-quality
 * benchmark (request count, error count as a Rate, a latency histogram with its mean and p95) plus a
 * Normal gauge and a conversion rate for rewards.
 */
final class Fixtures {
  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  static final double[] LATENCY_BOUNDS = {50, 100, 200, 300, 500, 1000, Double.POSITIVE_INFINITY};

  private Fixtures() {}

  static Map<String, Metric> metrics() {
    Map<String, Metric> m = new LinkedHashMap<>();
    put(m, "request-count", "{type: Counter}");
    put(m, "error-count", "{type: Counter, sampleSize: request-count, posterior: {model: Rate}}");
    put(m, "error-rate", "{type: Gauge, sampleSize: request-count, posterior: {model: Rate}}");
    put(m, "latency", "{type: Histogram}");
    put(m, "latency-mean", "{type: Gauge, posterior: {model: HistogramMean, histogram: latency}}");
    put(m, "latency-p95", "{type: Gauge, posterior: {model: HistogramQuantile, histogram: latency, quantile: 0.95}}");
    put(m, "cpu", "{type: Gauge, posterior: {model: Normal, stddev: \"0.2\"}}");
    put(m, "conversions", "{type: Counter, sampleSize: request-count, posterior: {model: Rate}}");
    put(m, "revenue", "{type: Gauge, sampleSize: request-count, posterior: {model: Normal, stddev: \"20\"}}");
    return m;
  }

  private static void put(Map<String, Metric> m, String name, String spec) {
    String yaml = "apiVersion: iter8.tools/v2alpha2\nkind: Metric\nmetadata: {name: " + name
        + ", namespace: default}\nspec: " + spec.replace("{type", "{jqExpression: '.x', urlTemplate: 'http://p', type");
    m.put("default/" + name, ApiMapper.read(yaml, Metric.class));
  }

  /**
   * An experiment. {@code criteria} is the YAML body of spec.criteria, {@code strategy} of spec.strategy.
   */
  static Experiment experiment(String strategy, String criteria, String... versions) {
    StringBuilder candidates = new StringBuilder();
    for (int i = 1; i < versions.length; i++) {
      candidates.append(i == 1 ? "" : ", ").append("{name: ").append(versions[i]).append('}');
    }
    String yaml = "apiVersion: iter8.tools/v2alpha2\nkind: Experiment\nmetadata: {name: e, namespace: default}\n"
        + "spec:\n  target: default/app\n  strategy: " + strategy + "\n  criteria: " + criteria
        + "\n  duration: {iterationsPerLoop: 20}\n  versionInfo:\n    baseline: {name: " + versions[0] + "}\n"
        + "    candidates: [" + candidates + "]\n";
    return ApiMapper.read(yaml, Experiment.class);
  }

  /** A Canary with the benchmark's objectives: error rate ≤ 1% (rolls back), mean ≤ 150, p95 ≤ 300. */
  static Experiment canary() {
    return experiment("{testingPattern: Canary}", """
        {requestCount: request-count, objectives: [\
        {metric: error-count, upperLimit: "0.01", rollback_on_failure: true},\
        {metric: latency-mean, upperLimit: 150}, {metric: latency-p95, upperLimit: 300}]}""", "v1", "v2");
  }

  /** A/B (or A/B/N with more versions): error rate ≤ 1%, reward: conversion rate, higher is better. */
  static Experiment ab(String pattern, String... versions) {
    return experiment("{testingPattern: " + pattern + "}", """
        {requestCount: request-count, rewards: [{metric: conversions, preferredDirection: High}], objectives: [\
        {metric: error-count, upperLimit: "0.01"}]}""", versions);
  }

  /** Pareto: error rate ≤ 1%; rewards: conversion rate (High) and mean latency (Low). */
  static Experiment pareto(String... versions) {
    return experiment("{testingPattern: Pareto}", """
        {requestCount: request-count, rewards: [{metric: conversions, preferredDirection: High},\
        {metric: latency-mean, preferredDirection: Low}], objectives: [{metric: error-count, upperLimit: "0.01"}]}""",
        versions);
  }

  static Experiment conformance() {
    return experiment("{testingPattern: Conformance}", """
        {requestCount: request-count, objectives: [{metric: error-count, upperLimit: "0.01"},\
        {metric: latency-p95, upperLimit: 300}]}""", "v1");
  }

  /** The experiment with the status the agent writes after {@code previous}. */
  static Experiment after(Experiment e, AnalysisResult previous) {
    return e.withStatus(new tools.iter8.core.api.ExperimentStatus(null, null, null, null, "Running",
        previous.decision().iteration(), null, previous.analysis(), previous.versionRecommendedForPromotion(),
        previous.decision().reason(), null, previous.decision(), null, previous.consecutiveErrors(), null, null, null));
  }

  /** Observations of one version. */
  static final class Version {
    private final Map<String, Observation> observed = new LinkedHashMap<>();

    Version requests(double n) {
      observed.put("default/request-count", new Observation.Value(n));
      return this;
    }

    Version errors(double k) {
      observed.put("default/error-count", new Observation.Value(k));
      return this;
    }

    Version set(String metric, Observation o) {
      observed.put("default/" + metric, o);
      return this;
    }

    Version value(String metric, double v) {
      return set(metric, new Observation.Value(v));
    }

    /** Latency counts per bucket of {@link #LATENCY_BOUNDS} (not cumulative). */
    Version latency(double... perBucket) {
      return set("latency", new Observation.Buckets(histogram(LATENCY_BOUNDS, perBucket)));
    }

    Version conversions(double k) {
      return value("conversions", k);
    }

    /** A healthy version: n requests, 0.5% errors, latencies well inside 150 ms mean and 300 ms p95. */
    Version healthy(double n) {
      return requests(n).errors(Math.round(n * 0.005)).latency(shares(n, 0.3, 0.5, 0.17, 0.02, 0.01, 0, 0));
    }

    Map<String, Observation> build() {
      return observed;
    }
  }

  static Version version() {
    return new Version();
  }

  static double[] shares(double n, double... share) {
    double[] c = new double[share.length];
    for (int i = 0; i < share.length; i++) {
      c[i] = Math.round(n * share[i]);
    }
    return c;
  }

  static Histogram histogram(double[] bounds, double... perBucket) {
    List<Histogram.Bucket> buckets = new ArrayList<>();
    double cumulative = 0;
    for (int i = 0; i < bounds.length; i++) {
      cumulative += perBucket[i];
      buckets.add(new Histogram.Bucket(bounds[i], cumulative));
    }
    return new Histogram(buckets);
  }

  static Map<String, Map<String, Observation>> observations(Object... versionAndObservations) {
    Map<String, Map<String, Observation>> o = new LinkedHashMap<>();
    for (int i = 0; i < versionAndObservations.length; i += 2) {
      o.put((String) versionAndObservations[i], ((Version) versionAndObservations[i + 1]).build());
    }
    return o;
  }

  static AnalysisInput input(
      Experiment e, Map<String, Map<String, Observation>> observations, Map<String, Integer> weights, int iteration) {
    return new AnalysisInput(e, metrics(), observations, weights, iteration, 0, 42L, NOW);
  }

  static AnalysisResult analyze(
      Experiment e, Map<String, Map<String, Observation>> observations, Map<String, Integer> weights, int iteration) {
    return new ExperimentAnalyzer().analyze(input(e, observations, weights, iteration));
  }
}
