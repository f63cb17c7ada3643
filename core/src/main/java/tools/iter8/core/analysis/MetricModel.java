package tools.iter8.core.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * The statistical model of one metric, with the metrics it draws on resolved to {@code namespace/name}
 * keys: the trials of a Rate ({@code sampleSize}), the buckets of a histogram model
 * ({@code posterior.histogram}). Built by {@link MetricCatalog}.
 *
 * @param key the metric's {@code namespace/name}
 * @param kind how observations become a posterior
 * @param sampleSizeKey the metric counting trials or observations, or null
 * @param histogramKey the {@code type: Histogram} metric whose buckets are modelled, or null
 * @param quantile the quantile of a {@link Kind#HISTOGRAM_QUANTILE} model
 * @param stddev the known spread of one observation of a {@link Kind#NORMAL} model, or null
 * @param counts whether a {@link Kind#RATE} metric reports a count of events rather than a fraction
 * @param problem why the metric cannot be modelled ({@link Kind#INVALID}), else null
 */
record MetricModel(
    String key,
    Kind kind,
    String sampleSizeKey,
    String histogramKey,
    double quantile,
    Double stddev,
    boolean counts,
    String problem) {

  /** How a metric's observations become a posterior (DESIGN §2.6, {@code PosteriorSpec}). */
  enum Kind {
    /** Beta-Binomial over the events among the {@code sampleSize} metric's trials. */
    RATE,
    /** Normal around the observed value. */
    NORMAL,
    /** Dirichlet over the histogram's buckets; the mean. */
    HISTOGRAM_MEAN,
    /** Dirichlet over the histogram's buckets; a quantile. */
    HISTOGRAM_QUANTILE,
    /** A Counter with no model: a count is a fact, not an estimate. */
    EXACT,
    /** Not modelled: the metric is missing or its model is unusable; see {@code problem}. */
    INVALID
  }

  static MetricModel invalid(String key, String problem) {
    return new MetricModel(key, Kind.INVALID, null, null, Double.NaN, null, false, problem);
  }

  /** The metric itself and those it draws on: all of them must be observed for a posterior. */
  List<String> observedKeys() {
    List<String> keys = new ArrayList<>(3);
    if (kind != Kind.HISTOGRAM_MEAN && kind != Kind.HISTOGRAM_QUANTILE) {
      keys.add(key);
    }
    if (histogramKey != null) {
      keys.add(histogramKey);
    }
    if (sampleSizeKey != null) {
      keys.add(sampleSizeKey);
    }
    return keys;
  }
}
