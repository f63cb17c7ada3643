package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A snapshot of a referenced Metric in {@code status.metrics}, keyed {@code namespace/name}: later edits
 * to the Metric do not change a running experiment.
 */
public record MetricInfo(
    String name,
    Metric metricObj,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public MetricInfo {
    extra = Extras.of(extra);
  }
}
