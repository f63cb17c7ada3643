package tools.iter8.agent.metrics;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import tools.iter8.core.metrics.Observation;

/**
 * The agent's eyes (DESIGN §2.5): obtains one {@link Observation} of one metric for one version.
 *
 * <p>Contract: the returned future <em>always succeeds</em>. Every failure — an unreachable backend, an
 * HTTP error, a timeout, a bad jq expression, a missing Secret — is an {@link Observation.Error} with a
 * reason that names the metric and never contains credentials; "the backend answered, but with nothing
 * to judge" (an empty result, NaN, ±Inf, null) is {@link Observation.NoData}. Callers never have to tell a
 * failed future from an error observation.
 *
 * <p>Implementations: {@link HttpMetricsSource} (Prometheus and any HTTP+JSON backend, as the original),
 * {@link MockMetricsSource} ({@code spec.mock}), {@link BuiltinMetricsSource} ({@code provider: iter8}),
 * and {@link DispatchingMetricsSource}, which picks one of them per Metric.
 */
public interface MetricsSource {

  /** Evaluates the metric for the version; see the class comment for the outcomes. */
  Future<Observation> evaluate(MetricQuery query);

  /**
   * Evaluates all queries concurrently; the observations are in query order. Like {@link #evaluate}, it
   * always succeeds.
   */
  default Future<List<Observation>> evaluateAll(List<MetricQuery> queries) {
    List<Future<Observation>> futures = new ArrayList<>(queries.size());
    for (MetricQuery q : queries) {
      futures.add(evaluate(q));
    }
    return Future.all(futures).map(all -> {
      List<Observation> observations = new ArrayList<>(futures.size());
      for (Future<Observation> f : futures) {
        observations.add(f.result());
      }
      return observations;
    });
  }
}
