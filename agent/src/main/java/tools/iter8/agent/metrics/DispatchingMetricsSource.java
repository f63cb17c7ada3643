package tools.iter8.agent.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import tools.iter8.agent.AgentConfig;
import tools.iter8.core.api.MetricSpec;
import tools.iter8.core.metrics.Observation;
import tools.iter8.core.validation.MetricValidator;

/**
 * Chooses the source of each Metric as the original did: {@code spec.mock} present → {@link
 * MockMetricsSource}; {@code provider: iter8} → {@link BuiltinMetricsSource}; anything else → the HTTP
 * source ({@link HttpMetricsSource}). It also keeps the {@link MetricsSource} contract when a source
 * breaks it: an exception or a failed future becomes an {@link Observation.Error}.
 */
public final class DispatchingMetricsSource implements MetricsSource {
  private final MetricsSource mock;
  private final MetricsSource builtin;
  private final MetricsSource http;

  public DispatchingMetricsSource(MetricsSource mock, MetricsSource builtin, MetricsSource http) {
    this.mock = mock;
    this.builtin = builtin;
    this.http = http;
  }

  /** The agent's metrics sources, the HTTP one configured from {@code config}. */
  public static DispatchingMetricsSource create(Vertx vertx, AgentConfig config, SecretSource secrets) {
    return new DispatchingMetricsSource(
        new MockMetricsSource(), new BuiltinMetricsSource(), HttpMetricsSource.create(vertx, secrets, config));
  }

  /** Which source evaluates this Metric. */
  MetricsSource sourceOf(MetricSpec spec) {
    if (spec.mock() != null && !spec.mock().isEmpty()) {
      return mock;
    }
    if (MetricValidator.BUILTIN_PROVIDER.equals(spec.provider())) {
      return builtin;
    }
    return http;
  }

  @Override
  public Future<Observation> evaluate(MetricQuery query) {
    Future<Observation> result;
    try {
      result = sourceOf(query.metric().spec()).evaluate(query);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.recover(
        e -> Future.succeededFuture(
            new Observation.Error(
                "metric " + query.metricKey() + " (version " + query.version().name() + "): internal error: "
                    + e.getClass().getSimpleName())));
  }
}
