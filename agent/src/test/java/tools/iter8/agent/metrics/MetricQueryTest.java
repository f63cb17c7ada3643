package tools.iter8.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.MetricInfo;

class MetricQueryTest {

  @Test
  void elapsedTimeIsWholeSecondsSinceStartAndAtLeastOne() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(MetricQuery.elapsedSeconds(start, start.plusMillis(600_999))).isEqualTo(600);
    assertThat(MetricQuery.elapsedSeconds(start, start.plusMillis(400))).isEqualTo(1);
    assertThat(MetricQuery.elapsedSeconds(start, start.minusSeconds(5))).isEqualTo(1);
    assertThat(MetricQuery.elapsedSeconds(null, start)).isEqualTo(1);
  }

  @Test
  void templateValuesLetVersionVariablesOverrideTheNamespaceButNotTheReservedNames() {
    MetricQuery q = MetricsTestSupport.query(MetricsTestSupport.metric("istio", "request-count"), "v2", 42);
    assertThat(q.templateValues()).isEqualTo(Map.of("namespace", "shop", "name", "v2", "elapsedTime", "42"));

    MetricQuery withVariables =
        new MetricQuery(null, "ns/m", q.metric(),
            MetricsTestSupport.version("v2", Map.of("namespace", "other", "name", "x", "elapsedTime", "9", "revision", "r2")),
            "shop", 42, null);
    assertThat(withVariables.templateValues())
        .containsEntry("namespace", "other")
        .containsEntry("revision", "r2")
        .containsEntry("name", "v2")
        .containsEntry("elapsedTime", "42");
  }

  @Test
  void isBuiltFromAnExperimentsStatus() {
    Experiment e = ApiMapper.read("""
        apiVersion: iter8.tools/v2alpha2
        kind: Experiment
        metadata: {name: exp, namespace: shop}
        spec:
          target: shop/backend
          strategy: {testingPattern: Canary}
          versionInfo:
            baseline: {name: v1}
            candidates: [{name: v2, variables: [{name: revision, value: r2}]}]
        status:
          startTime: "2026-01-01T00:00:00Z"
          analysis:
            aggregatedBuiltinHists:
              data: {v2: {DurationHistogram: {Count: 3}}}
          metrics:
          - name: iter8-system/request-count
            metricObj:
              metadata: {name: request-count, namespace: iter8-system}
              spec: {provider: iter8, type: Counter}
        """, Experiment.class);
    MetricInfo metric = e.status().metrics().get(0);

    MetricQuery q = MetricQuery.of(e, metric, e.spec().versionInfo().candidates().get(0), Instant.parse("2026-01-01T00:10:00.5Z"));

    assertThat(q.experiment()).isEqualTo("shop/exp");
    assertThat(q.metricKey()).isEqualTo("iter8-system/request-count");
    assertThat(q.namespace()).isEqualTo("shop");
    assertThat(q.elapsedSeconds()).isEqualTo(600);
    assertThat(q.builtinHistograms().path("v2").path("DurationHistogram").path("Count").asInt()).isEqualTo(3);
    assertThat(q.templateValues()).containsEntry("revision", "r2");
    assertThat(q.describe()).isEqualTo("experiment shop/exp, metric iter8-system/request-count, version v2");
  }
}
