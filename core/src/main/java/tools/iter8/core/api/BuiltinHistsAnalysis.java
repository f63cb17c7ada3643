package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * Histograms and return codes collected by the built-in {@code metrics/collect} task, per version; free
 * JSON as in the original.
 */
public record BuiltinHistsAnalysis(
    String provenance,
    Instant timestamp,
    String message,
    JsonNode data,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public BuiltinHistsAnalysis {
    extra = Extras.of(extra);
  }
}
