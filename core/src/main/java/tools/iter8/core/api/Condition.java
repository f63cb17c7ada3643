package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/** A status condition: {@code Completed}, {@code Failed} or {@code TargetAcquired}. */
public record Condition(
    String type,
    String status,
    Instant lastTransitionTime,
    String reason,
    String message,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public Condition {
    extra = Extras.of(extra);
  }
}
