package tools.iter8.agent.metrics;

import tools.iter8.core.metrics.Observation;

/** Small helpers over core's {@link Observation} for log lines. */
final class Observations {
  private Observations() {}

  /** The value, the bucket summary, or the reason. */
  static String detail(Observation o) {
    if (o instanceof Observation.Value v) {
      return Double.toString(v.value());
    }
    if (o instanceof Observation.Buckets b) {
      return b.histogram().buckets().size() + " buckets, " + b.histogram().total() + " observations";
    }
    if (o instanceof Observation.NoData n) {
      return n.reason();
    }
    if (o instanceof Observation.Error e) {
      return e.reason();
    }
    return String.valueOf(o);
  }
}
