package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The recommended traffic split for the next iteration, keyed by version name. */
public record WeightsAnalysis(
    String provenance,
    Instant timestamp,
    String message,
    List<WeightData> data,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public WeightsAnalysis {
    extra = Extras.of(extra);
  }
}
