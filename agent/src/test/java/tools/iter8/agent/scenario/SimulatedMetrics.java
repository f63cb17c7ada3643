package tools.iter8.agent.scenario;

import io.vertx.core.Future;
import tools.iter8.agent.metrics.MetricQuery;
import tools.iter8.agent.metrics.MetricsSource;
import tools.iter8.core.metrics.Observation;
import tools.iter8.testkit.traffic.SimulatedApp;

/**
 * Answers metric queries from a {@link SimulatedApp} by the metric's name (the built-in sets' names), so
 * scenarios exercise the agent and the analysis on known traffic. An outage can be switched on: every
 * query then fails as an unreachable backend would.
 */
final class SimulatedMetrics implements MetricsSource {
  private final SimulatedApp app;
  private volatile String outage;

  SimulatedMetrics(SimulatedApp app) {
    this.app = app;
  }

  /** Every query fails with this reason until {@link #restore()}. */
  void outage(String reason) {
    outage = reason;
  }

  void restore() {
    outage = null;
  }

  @Override
  public Future<Observation> evaluate(MetricQuery query) {
    String reason = outage;
    if (reason != null) {
      return Future.succeededFuture(new Observation.Error(reason));
    }
    String name = query.metricKey().substring(query.metricKey().indexOf('/') + 1);
    return Future.succeededFuture(app.observe(query.version().name(), name));
  }
}
