package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/** Per metric ({@code namespace/name}), per version: the latest value and its sample size. */
public record AggregatedMetricsAnalysis(
    String provenance,
    Instant timestamp,
    String message,
    Map<String, AggregatedMetric> data,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public AggregatedMetricsAnalysis {
    extra = Extras.of(extra);
  }
}
