package tools.iter8.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.metrics.Observation;

class MockMetricsSourceTest {

  private static Metric mock(String type) {
    return ApiMapper.read("""
        apiVersion: iter8.tools/v2alpha2
        kind: Metric
        metadata: {name: user-engagement, namespace: demo}
        spec:
          type: %s
          mock: [{name: v1, level: "15.0"}, {name: v2, level: 20}]
        """.formatted(type), Metric.class);
  }

  private static Observation observe(Metric m, String version, long elapsed) {
    return MockMetricsSource.observe(new MetricQuery(null, "demo/user-engagement", m, new VersionDetail(version), "demo", elapsed, null));
  }

  private static double value(Observation o) {
    return ((Observation.Value) o).value();
  }

  @Test
  void aCounterGrowsAsElapsedTimesLevel() {
    assertThat(observe(mock("Counter"), "v1", 600)).isEqualTo(new Observation.Value(9000));
    assertThat(observe(mock("Counter"), "v2", 1)).isEqualTo(new Observation.Value(20));
  }

  @Test
  void aGaugeVariesAroundItsLevelAndTheSameQueryGivesTheSameValue() {
    Metric gauge = mock(null);
    assertThat(observe(gauge, "v2", 300)).isEqualTo(observe(gauge, "v2", 300));
    assertThat(observe(gauge, "v2", 300)).isNotEqualTo(observe(gauge, "v2", 301));

    double sum = 0;
    for (int elapsed = 100; elapsed < 1100; elapsed++) {
      sum += value(observe(gauge, "v2", elapsed));
    }
    // Beta(e, e) × 2 × level has mean level and standard deviation level / sqrt(2e + 1).
    assertThat(sum / 1000).isCloseTo(20, within(0.2));
    assertThat(value(observe(gauge, "v1", 10_000))).isCloseTo(15, within(0.75));
  }

  @Test
  void aVersionWithoutMockOrAHistogramIsAnError() {
    assertThat(observe(mock("Counter"), "v3", 10))
        .isEqualTo(new Observation.Error("metric demo/user-engagement (version v3): no mock level for this version in spec.mock"));
    assertThat(observe(mock("Histogram"), "v1", 10))
        .isEqualTo(new Observation.Error("metric demo/user-engagement (version v1): mock supports Counter and Gauge metrics, not Histogram"));
  }
}
