package tools.iter8.agent.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.routing.EmulatedCluster;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.MetricInfo;

/**
 * The metric snapshot of an experiment: every Metric its criteria reach, directly or through
 * sampleSize and posterior.histogram, read from the informer's cache or — for one created a moment ago
 * that the cache has not seen yet — from the API server; a missing one is named.
 */
class MetricResolverTest {
  private static EmulatedCluster kube;
  private static MetricResolver resolver;

  @BeforeAll
  static void start() {
    kube = EmulatedCluster.start();
    // An empty cache: every Metric comes through the API server, as right after a Metric is created.
    resolver = new MetricResolver(kube.ops(), (ns, name) -> Optional.empty());
    for (String yaml : new String[] {
        "{apiVersion: iter8.tools/v2alpha2, kind: Metric, metadata: {name: requests, namespace: m}, spec: {type: Counter, urlTemplate: 'http://p', jqExpression: '.'}}",
        "{apiVersion: iter8.tools/v2alpha2, kind: Metric, metadata: {name: histogram, namespace: m}, spec: {type: Histogram, urlTemplate: 'http://p', jqExpression: '.'}}",
        "{apiVersion: iter8.tools/v2alpha2, kind: Metric, metadata: {name: p95, namespace: m}, spec: {sampleSize: requests, posterior: {model: HistogramQuantile, histogram: histogram, quantile: 0.95}, urlTemplate: 'http://p', jqExpression: '.'}}"}) {
      EmulatedCluster.await(kube.setup().create(ResourceKind.METRIC, "m", ApiMapper.read(yaml, JsonNode.class)));
    }
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  private static Experiment experiment(String objectiveMetric) {
    return ApiMapper.read("""
        {apiVersion: iter8.tools/v2alpha2, kind: Experiment, metadata: {name: e, namespace: app},
         spec: {target: app/x, strategy: {testingPattern: Conformance}, versionInfo: {baseline: {name: v1}},
                criteria: {objectives: [{metric: %s, upperLimit: 100}]}}}""".formatted(objectiveMetric), Experiment.class);
  }

  @Test
  void everyMetricReachedThroughSampleSizeAndHistogramIsSnapshottedKeyedByNamespaceAndName() {
    MetricResolver.Resolved r = EmulatedCluster.await(resolver.resolve(experiment("m/p95")));

    assertThat(r.missing()).isEmpty();
    assertThat(r.metrics()).extracting(MetricInfo::name).containsExactly("m/p95", "m/requests", "m/histogram");
    assertThat(r.metrics().get(0).metricObj().metadata().resourceVersion()).as("server bookkeeping dropped").isNull();
  }

  @Test
  void aMissingMetricIsNamed() {
    MetricResolver.Resolved r = EmulatedCluster.await(resolver.resolve(experiment("m/nope")));

    assertThat(r.missing()).contains("m/nope");
  }

  @Test
  void aBareNameResolvesInTheExperimentsNamespace() {
    MetricResolver.Resolved r = EmulatedCluster.await(resolver.resolve(experiment("p95")));

    assertThat(r.missing()).contains("app/p95");
  }
}
