package tools.iter8.core.metrics;

/**
 * What one query of one metric for one version produced (DESIGN §2.5). The three outcomes are kept apart
 * everywhere: a number, no data (empty result, NaN, zero traffic) and an error (unreachable backend,
 * HTTP error, timeout, bad jq). No data holds weights and never promotes; repeated errors fail the
 * experiment.
 */
public sealed interface Observation {

  /** The status word for {@code aggregatedMetrics...outcome}: {@code value}, {@code noData} or {@code error}. */
  String outcome();

  /** A finite number. */
  record Value(double value) implements Observation {
    public Value {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("a metric value must be finite, got " + value + "; that is no data");
      }
    }

    @Override
    public String outcome() {
      return "value";
    }
  }

  /** Cumulative histogram buckets, from a {@code type: Histogram} metric. */
  record Buckets(Histogram histogram) implements Observation {
    @Override
    public String outcome() {
      return histogram.total() > 0 ? "value" : "noData";
    }
  }

  /** The backend answered, but with nothing to judge: empty result, NaN, division by zero. */
  record NoData(String reason) implements Observation {
    @Override
    public String outcome() {
      return "noData";
    }
  }

  /** The query failed; the reason never contains credentials. */
  record Error(String reason) implements Observation {
    @Override
    public String outcome() {
      return "error";
    }
  }
}
