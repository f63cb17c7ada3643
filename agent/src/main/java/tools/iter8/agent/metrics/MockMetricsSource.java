package tools.iter8.agent.metrics;

import io.vertx.core.Future;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import tools.iter8.core.api.MetricSpec;
import tools.iter8.core.api.MockValue;
import tools.iter8.core.defaults.MetricDefaults;
import tools.iter8.core.metrics.Observation;

/**
 * {@code Metric.spec.mock}, the original's semantics (reference §2.2 step 1), for demos and tests: no
 * query is made.
 *
 * <ul>
 *   <li>Counter: {@code elapsed × level}.
 *   <li>Gauge: {@code Beta(elapsed, elapsed) × 2 × level}, whose mean is {@code level} and whose spread
 *       shrinks as the experiment runs.
 *   <li>A version without a mock entry, an unparsable level, and a Histogram metric are errors.
 * </ul>
 *
 * <p>Unlike the original's unseeded numpy draw, the Beta draw is seeded by the metric, the version and the
 * elapsed seconds: the same query gives the same value, so a resumed iteration repeats its numbers and
 * tests are exact, while successive iterations still vary.
 */
public final class MockMetricsSource implements MetricsSource {

  @Override
  public Future<Observation> evaluate(MetricQuery query) {
    return Future.succeededFuture(observe(query));
  }

  static Observation observe(MetricQuery query) {
    MetricSpec spec = MetricDefaults.apply(query.metric()).spec();
    String prefix = "metric " + query.metricKey() + " (version " + query.version().name() + "): ";
    MockValue mock = null;
    if (spec.mock() != null) {
      for (MockValue m : spec.mock()) {
        if (query.version().name().equals(m.name())) {
          mock = m;
          break;
        }
      }
    }
    if (mock == null) {
      return new Observation.Error(prefix + "no mock level for this version in spec.mock");
    }
    if (mock.level() == null || !mock.level().isValid()) {
      return new Observation.Error(prefix + "mock level \"" + mock.level() + "\" is not a quantity");
    }
    double level = mock.level().value();
    long elapsed = query.elapsedSeconds();
    return switch (spec.type()) {
      case "Counter" -> new Observation.Value(elapsed * level);
      case "Gauge" -> new Observation.Value(beta(seed(query), elapsed) * 2 * level);
      default -> new Observation.Error(prefix + "mock supports Counter and Gauge metrics, not " + spec.type());
    };
  }

  /** One draw of Beta(elapsed, elapsed). */
  static double beta(long seed, long elapsed) {
    return new BetaDistribution(new Well19937c(seed), elapsed, elapsed).sample();
  }

  /** Stable across JVMs: {@link String#hashCode()} is specified. */
  static long seed(MetricQuery query) {
    long h = query.metricKey().hashCode();
    h = 31 * h + query.version().name().hashCode();
    return 31 * h + query.elapsedSeconds();
  }
}
