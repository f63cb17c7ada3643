package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * An objective: a metric with an inclusive {@code lowerLimit} and/or {@code upperLimit}. With
 * {@code rollback_on_failure}, a version that violates it ends the experiment with a rollback.
 */
public record Objective(
    String metric,
    Quantity upperLimit,
    Quantity lowerLimit,
    @JsonProperty("rollback_on_failure") Boolean rollbackOnFailure,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public Objective {
    extra = Extras.of(extra);
  }
}
