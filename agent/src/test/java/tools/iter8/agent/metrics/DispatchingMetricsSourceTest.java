package tools.iter8.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.metrics.MetricsTestSupport.await;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.metrics.Observation;

class DispatchingMetricsSourceTest {
  private final MetricsSource mock = q -> Future.succeededFuture(new Observation.Value(1));
  private final MetricsSource builtin = q -> Future.succeededFuture(new Observation.Value(2));
  private final MetricsSource http = q -> Future.succeededFuture(new Observation.Value(3));
  private final DispatchingMetricsSource sources = new DispatchingMetricsSource(mock, builtin, http);

  private static MetricQuery query(String spec) {
    Metric m = ApiMapper.read("apiVersion: iter8.tools/v2alpha2\nkind: Metric\nmetadata: {name: m, namespace: ns}\nspec: " + spec,
        Metric.class);
    return new MetricQuery(null, "ns/m", m, new VersionDetail("v1"), "ns", 10, null);
  }

  @Test
  void choosesMockThenBuiltinThenHttpAsTheOriginal() {
    assertThat(await(sources.evaluate(query("{provider: iter8, mock: [{name: v1, level: 1}]}")))).isEqualTo(new Observation.Value(1));
    assertThat(await(sources.evaluate(query("{provider: iter8}")))).isEqualTo(new Observation.Value(2));
    assertThat(await(sources.evaluate(query("{provider: prometheus, urlTemplate: 'http://p', jqExpression: .a}"))))
        .isEqualTo(new Observation.Value(3));
    assertThat(await(sources.evaluate(query("{mock: []}")))).isEqualTo(new Observation.Value(3));
  }

  @Test
  void aBrokenSourceStillGivesAnErrorObservation() {
    MetricsSource throwing = q -> {
      throw new IllegalStateException("bug");
    };
    MetricsSource failing = q -> Future.failedFuture(new IllegalStateException("bug"));
    Observation expected = new Observation.Error("metric ns/m (version v1): internal error: IllegalStateException");
    assertThat(await(new DispatchingMetricsSource(mock, builtin, throwing).evaluate(query("{}")))).isEqualTo(expected);
    assertThat(await(new DispatchingMetricsSource(mock, builtin, failing).evaluate(query("{}")))).isEqualTo(expected);
  }

  @Test
  void evaluateAllKeepsQueryOrder() {
    var all = await(sources.evaluateAll(java.util.List.of(query("{provider: iter8}"), query("{}"), query("{mock: [{name: v1, level: 1}]}"))));
    assertThat(all).containsExactly(new Observation.Value(2), new Observation.Value(3), new Observation.Value(1));
  }
}
