package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One metric for one version. The original only ever filled {@code value}; we also fill
 * {@code sampleSize}. Ours: {@code outcome} ({@code value}, {@code noData} or {@code error}) and
 * {@code reason}, so no data and errors are told apart from a value.
 */
public record AggregatedMetricData(
    Quantity max,
    Quantity min,
    Quantity value,
    Long sampleSize,
    String outcome,
    String reason,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public AggregatedMetricData {
    extra = Extras.of(extra);
  }
}
