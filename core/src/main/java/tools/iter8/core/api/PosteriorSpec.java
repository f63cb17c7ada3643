package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code Metric.spec.posterior} (ours): how the analysis turns this metric's observations into a posterior
 * (DESIGN §2.6). {@code model} is one of:
 *
 * <ul>
 *   <li>{@code Rate}: the value is a fraction (a Gauge, e.g. error rate) or a count (a Counter, e.g. error
 *       count) of the {@code sampleSize} metric's trials; Beta-Binomial posterior.
 *   <li>{@code HistogramMean} / {@code HistogramQuantile}: the mean, or the {@code quantile} (e.g. 0.95),
 *       of the {@code histogram} metric's distribution; Dirichlet posterior over its buckets. The metric's
 *       own query, if any, only gives the displayed point value.
 *   <li>{@code Normal} (default for other Gauges): Normal posterior around the value, with
 *       {@code stddev}, the known spread of one observation, divided by the square root of the sample
 *       size when one is known.
 * </ul>
 */
public record PosteriorSpec(
    String model,
    String histogram,
    Double quantile,
    Quantity stddev,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public PosteriorSpec {
    extra = Extras.of(extra);
  }

  public static final String RATE = "Rate";
  public static final String NORMAL = "Normal";
  public static final String HISTOGRAM_MEAN = "HistogramMean";
  public static final String HISTOGRAM_QUANTILE = "HistogramQuantile";
}
