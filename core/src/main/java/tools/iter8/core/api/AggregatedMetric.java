package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One metric across versions. */
public record AggregatedMetric(
    Quantity max,
    Quantity min,
    Map<String, AggregatedMetricData> data,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public AggregatedMetric {
    extra = Extras.of(extra);
  }
}
