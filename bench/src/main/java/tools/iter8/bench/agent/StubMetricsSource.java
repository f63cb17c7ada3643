package tools.iter8.bench.agent;

import io.vertx.core.Future;
import tools.iter8.agent.metrics.MetricQuery;
import tools.iter8.agent.metrics.MetricsSource;
import tools.iter8.core.metrics.Observation;

/**
 * The agent's {@link MetricsSource} replaced in-process (the agent's {@code Options.withMetricsSource}, as its
 * scenario tests do): the answers of {@link StubPrometheus} by metric name, without the HTTP round trip, templates
 * and jq, to measure the agent's own cost apart from its metrics path's.
 */
final class StubMetricsSource implements MetricsSource {
  @Override
  public Future<Observation> evaluate(MetricQuery query) {
    String name = query.metricKey().substring(query.metricKey().indexOf('/') + 1);
    return Future.succeededFuture(StubPrometheus.observe(name, query.elapsedSeconds()));
  }
}
